# Record workflow fixtures: every test here keeps evidence files in a private folder (autouse),
# and `meeting_round` is the demo's open round (tests/workflow_helpers.py).
from tests.workflow_helpers import evidence_root, meeting_round  # noqa: F401
