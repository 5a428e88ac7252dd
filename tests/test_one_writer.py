"""Every field of a record, round or evidence row is written in records/services.py and nowhere else
in the product (docs/architecture.md, "One writer"). Development data (devdata) and tests are out."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCT_APPS = [
    "accounts",
    "backoffice",
    "communes",
    "criteria",
    "entry",
    "notices",
    "ops",
    "records",
    "reports",
    "shared",
    "steering",
]
WRITER = ROOT / "records" / "services.py"
MODELS = {"AchievementRecord", "ReportingRound", "Evidence"}
# Fields only the workflow may set; a view or import that sets one bypasses the writer.
WORKFLOW_FIELDS = {
    "status",
    "version",
    "recorded_by",
    "recorded_at",
    "verified_by",
    "verified_at",
    "is_met",
    "return_reason",
    "closed_by",
    "closed_at",
    "value_bool",
    "value_number",
    "reporting_round",
}
WRITE_METHODS = {"create", "bulk_create", "update", "bulk_update", "get_or_create", "update_or_create"}


def _product_modules():
    for app in PRODUCT_APPS:
        for path in (ROOT / app).rglob("*.py"):
            parts = path.relative_to(ROOT).parts
            if "tests" in parts or "migrations" in parts or path == WRITER:
                continue
            yield path


def _writes(tree):
    """(line, what) for each construction, manager write or workflow-field assignment of a record."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in MODELS:
                yield node.lineno, f"{func.id}(...)"
            if isinstance(func, ast.Attribute) and func.attr in WRITE_METHODS:
                base = func.value
                while isinstance(base, ast.Attribute):
                    base = base.value
                if isinstance(base, ast.Name) and base.id in MODELS:
                    yield node.lineno, f"{base.id}...{func.attr}()"
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AugAssign) else []
        )
        for target in targets:
            for leaf in ast.walk(target):
                if (
                    isinstance(leaf, ast.Attribute)
                    and leaf.attr in WORKFLOW_FIELDS
                    and isinstance(leaf.value, ast.Name)
                    and leaf.value.id in {"record", "reporting_round", "evidence", "obj"}
                ):
                    yield leaf.lineno, f"{leaf.value.id}.{leaf.attr} ="


def test_records_rounds_and_evidence_are_written_only_by_records_services():
    offences = [
        f"{path.relative_to(ROOT)}:{line} {what}"
        for path in _product_modules()
        for line, what in _writes(ast.parse(path.read_text(), filename=str(path)))
    ]
    assert offences == []


def test_the_check_sees_a_write_outside_the_writer():
    """The scan is not vacuous: it finds the writes records/services.py makes."""
    found = {what for _line, what in _writes(ast.parse(WRITER.read_text()))}
    assert {"AchievementRecord(...)", "record.status =", "record.version ="} <= found
