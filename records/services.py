"""The only writers of records, rounds and evidence. Whether a record is met is decided here too.

The entry form, the record import, the admin and the command line all call these functions; no
other module sets a record's value, status, version or recorded/verified stamps.

The record workflow (docs/workflow.md): a commune saves a draft or submits; district staff verify
or return with a reason. Per unit, indicator and date there is one verified record (counted) and
at most one pending one (draft, submitted or returned); verifying the pending one replaces the
verified one. Every write bumps `version`, and a write based on an older version is refused.
"""

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from accounts import access
from accounts.access import can_edit, can_verify
from criteria.enrolments import enrolments_import
from criteria.models import (
    ASK_ENROLMENT,
    Enrolment,
    IndicatorKind,
    Threshold,
    applicable_threshold,
    needs_commune_group,
)
from criteria.set_imports import set_workbook_apply
from notices.mail import notify_record_returned
from records.evidence import evidence_check
from records.models import AchievementRecord, Evidence, RecordStatus


class StaleEdit(Exception):
    """Someone saved the record after this form was opened; carries the record as it is now
    (None when it was deleted) and the indicator of the line."""

    def __init__(self, current, indicator=None):
        super().__init__("stale edit")
        self.current = current
        self.indicator = indicator or getattr(current, "indicator", None)


def record_evaluate(
    *,
    unit,
    indicator,
    value_bool=None,
    value_number=None,
    value_items="",
    thresholds=None,
    commune_group=ASK_ENROLMENT,
):
    """Whether the value meets `indicator` for `unit`; ValidationError in Vietnamese if it cannot.

    `thresholds`, and the unit's `commune_group` in the set's period (its enrolment's, None for
    none), may be passed in (already fetched) to avoid queries per record in bulk writes.
    """
    if indicator.kind == IndicatorKind.BOOLEAN:
        if value_bool is None or value_number is not None:
            raise ValidationError(_("Chỉ tiêu %(code)s chỉ nhận giá trị Đạt / Không đạt.") % {"code": indicator.code})
        return bool(value_bool)
    if indicator.kind == IndicatorKind.ANY_OF:
        return _any_of_met(indicator, value_bool, value_number, value_items)
    if value_number is None or value_bool is not None:
        raise ValidationError(_("Chỉ tiêu %(code)s cần một giá trị số.") % {"code": indicator.code})
    try:
        number = Decimal(value_number)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError(_("Giá trị “%(value)s” không phải là số.") % {"value": value_number}) from None
    if not number.is_finite():
        raise ValidationError(_("Giá trị “%(value)s” không phải là số.") % {"value": value_number})
    if thresholds is None:
        thresholds = list(indicator.thresholds.all())
    if commune_group is ASK_ENROLMENT:
        commune_group = (
            Enrolment.objects.commune_group_of(unit, indicator.criterion.criteria_set_id)
            if needs_commune_group(thresholds)
            else None
        )
    threshold = applicable_threshold(thresholds, unit, commune_group)
    if not indicator.decides_with(threshold):
        raise ValidationError(
            _("Chỉ tiêu %(code)s chưa có mức đạt áp dụng cho %(unit)s (theo vùng hoặc nhóm xã).")
            % {"code": indicator.code, "unit": unit.display_name}
        )
    return indicator.passes(number, threshold)


def _any_of_met(indicator, value_bool, value_number, value_items):
    """An any-of value holds its met items' codes and their number; met with min_items of them."""
    if value_bool is not None or value_number is None:
        raise ValidationError(_("Chỉ tiêu %(code)s nhận danh sách các mục đạt.") % {"code": indicator.code})
    _codes, count = indicator.any_of_value(value_items)
    if Decimal(value_number) != count:
        raise ValidationError(
            _("Chỉ tiêu %(code)s: số mục đạt (%(number)s) khác danh sách mục (%(count)d).")
            % {"code": indicator.code, "number": value_number, "count": count}
        )
    return count >= indicator.min_items


@transaction.atomic
def record_save(*, unit, indicator, as_of, value_bool=None, value_number=None, value_items="", note="", user=None):
    """Create or replace the verified record of `unit` on `indicator` dated `as_of`.

    The district's direct write (imports, corrections): it counts at once. Communes go through
    `entry_save` instead.
    """
    if indicator.kind == IndicatorKind.ANY_OF and value_items:
        value_items, _count = indicator.any_of_value(value_items)  # the list's order, as files write it
    is_met = record_evaluate(
        unit=unit, indicator=indicator, value_bool=value_bool, value_number=value_number, value_items=value_items
    )
    record = (
        AchievementRecord.objects.select_for_update()
        .filter(unit=unit, indicator=indicator, as_of=as_of, status=RecordStatus.VERIFIED)
        .first()
    ) or AchievementRecord(unit=unit, indicator=indicator, as_of=as_of, status=RecordStatus.VERIFIED, version=0)
    record.value_bool, record.value_number, record.is_met, record.note = value_bool, value_number, is_met, note
    record.value_items = value_items
    record.recorded_by = record.verified_by = user
    record.verified_at = timezone.now()
    record.version += 1
    record._history_user = user
    record.save()
    return record


@dataclass
class Entry:
    """One indicator's line of the entry form, as the commune filled it in."""

    indicator: object
    value_bool: bool | None = None
    value_number: Decimal | None = None
    note: str = ""
    value_items: str = ""  # an any-of indicator's met items (value_number: how many)
    # The version of the pending record the form showed; 0 when it showed none.
    seen_version: int = 0
    files: list = field(default_factory=list)
    # The version of the verified record of the date the form showed (0: none); None when the
    # caller does not say, and then only the pending record is checked.
    seen_verified_version: int | None = None
    # Whether the user changed the line (value, note or files) from what the form showed. A line
    # left as shown is never written, so it cannot put back a value someone changed meanwhile.
    edited: bool = True

    @property
    def is_blank(self):
        return self.value_bool is None and self.value_number is None


def _check_round_open(reporting_round):
    if not reporting_round.is_open:
        raise ValidationError(
            _("Đợt báo cáo “%(round)s” đã đóng; chỉ %(committee)s mở lại được.")
            % {"round": reporting_round.name, "committee": access.verifier_words(reporting_round.unit).committee}
        )


def _moved(entry, pending, verified):
    """Whether the line's records changed, appeared or went since the form showed them."""
    if (pending.version if pending else 0) != entry.seen_version:
        return True
    return (
        entry.seen_verified_version is not None and (verified.version if verified else 0) != entry.seen_verified_version
    )


def _to_write(entry, pending, submit):
    """A line is written when the user edited it, or when the form showed a draft or returned
    record that the user now submits as it stands."""
    shown_pending = entry.seen_version > 0 and pending is not None
    resubmitted = submit and shown_pending and pending.status in (RecordStatus.DRAFT, RecordStatus.RETURNED)
    return entry.edited or resubmitted


def _unchanged(record, entry, status):
    return (
        record is not None
        and record.value_bool == entry.value_bool
        and record.value_number == entry.value_number
        and record.value_items == entry.value_items
        and record.note == entry.note
        and (status is None or record.status == status)
        and not entry.files
    )


@transaction.atomic
def entry_save(*, unit, reporting_round, entries, submit, user):
    """Save a commune's lines for one round as drafts, or submit them for verification.

    Lines the user did not edit, blank lines and lines identical to what is stored are left alone.
    Nothing is written if any line fails: a value that does not fit, a closed round, no
    permission, or a line to write whose pending or verified record someone else saved, created
    or deleted since the form was opened (StaleEdit, carrying the current record).
    Returns the records written.
    """
    if not can_edit(user, unit):
        raise PermissionDenied
    _check_round_open(reporting_round)
    as_of = reporting_round.as_of
    indicator_ids = [e.indicator.pk for e in entries]
    existing = AchievementRecord.objects.select_for_update().filter(
        unit=unit, indicator_id__in=indicator_ids, as_of=as_of
    )
    pending = {r.indicator_id: r for r in existing if r.is_pending}
    verified = {r.indicator_id: r for r in existing if not r.is_pending}
    status = RecordStatus.SUBMITTED if submit else RecordStatus.DRAFT
    written = []
    for entry in entries:
        record = pending.get(entry.indicator.pk)
        if not _to_write(entry, record, submit):
            continue
        if _moved(entry, record, verified.get(entry.indicator.pk)):
            raise StaleEdit(record or verified.get(entry.indicator.pk), entry.indicator)
        if entry.is_blank:
            continue
        if _unchanged(record, entry, status):
            continue
        if record is None and _unchanged(verified.get(entry.indicator.pk), entry, None):
            continue
        is_met = record_evaluate(
            unit=unit,
            indicator=entry.indicator,
            value_bool=entry.value_bool,
            value_number=entry.value_number,
            value_items=entry.value_items,
        )
        for upload in entry.files:
            evidence_check(upload)
        if record is None:
            record = AchievementRecord(unit=unit, indicator=entry.indicator, as_of=as_of, version=0)
        record.reporting_round = reporting_round
        record.value_bool, record.value_number, record.is_met = entry.value_bool, entry.value_number, is_met
        record.value_items = entry.value_items
        record.note = entry.note
        record.status = status
        record.return_reason = "" if submit else record.return_reason
        record.recorded_by = user
        record.version += 1
        record._history_user = user
        record.save()
        for upload in entry.files:
            evidence_add(record=record, upload=upload, user=user)
        written.append(record)
    return written


def evidence_add(*, record, upload, user):
    """Attach an uploaded file to `record` after checking its type and size."""
    content_type = evidence_check(upload)
    evidence = Evidence(
        record=record,
        original_name=upload.name[:255],
        content_type=content_type,
        size=upload.size,
        uploaded_by=user,
    )
    evidence.file.save(upload.name, upload, save=False)
    evidence._history_user = user
    evidence.save()
    return evidence


def _check_verifiable(records, user):
    for record in records:
        if not can_verify(user, record.unit):
            raise PermissionDenied
        if record.reporting_round is not None:
            _check_round_open(record.reporting_round)


def needs_second_person(record, user):
    """Whether NTM_FOUR_EYES keeps `user` from verifying `record`: they entered or submitted it
    (its last writer), so someone else must verify it."""
    return settings.NTM_FOUR_EYES and user is not None and record.recorded_by_id == user.pk


def _check_four_eyes(records, user):
    own = [r for r in records if needs_second_person(r, user)]
    if own:
        names = "; ".join(f"{r.unit.display_name} {r.indicator.code} ({r.as_of:%d/%m/%Y})" for r in own)
        raise ValidationError(
            _("Bạn đã nhập các kết quả này nên không tự duyệt được; cần một cán bộ khác duyệt: %(records)s.")
            % {"records": names}
        )


@transaction.atomic
def records_verify(*, records, user):
    """Verify submitted records: each replaces the verified record of its unit, indicator and date.

    Works on many records at once (the queue's bulk verify) with history for every row. Records
    that are no longer submitted are skipped and not returned; the rest are returned verified.
    With NTM_FOUR_EYES (the default) nothing is verified if `user` entered any of them.
    """
    ids = [r.pk for r in records]
    records = list(
        AchievementRecord.objects.select_for_update(of=("self",))
        .filter(pk__in=ids, status=RecordStatus.SUBMITTED)
        .select_related("unit", "indicator", "reporting_round")
    )
    _check_verifiable(records, user)
    _check_four_eyes(records, user)
    if not records:
        return []
    keys = {(r.unit_id, r.indicator_id, r.as_of) for r in records}
    superseded = [
        old
        for old in AchievementRecord.objects.select_for_update()
        .filter(status=RecordStatus.VERIFIED, unit__in={k[0] for k in keys}, indicator__in={k[1] for k in keys})
        .filter(as_of__in={k[2] for k in keys})
        if (old.unit_id, old.indicator_id, old.as_of) in keys
    ]
    # The replaced value stays in the history; its evidence moves to the new verified record.
    replacement = {(r.unit_id, r.indicator_id, r.as_of): r for r in records}
    moved = list(Evidence.objects.filter(record__in=superseded))
    by_pk = {old.pk: replacement[(old.unit_id, old.indicator_id, old.as_of)] for old in superseded}
    for evidence in moved:
        evidence.record = by_pk[evidence.record_id]
    for old in superseded:
        old._history_user = user
        old.delete()
    now = timezone.now()
    for record in records:
        record.status = RecordStatus.VERIFIED
        record.return_reason = ""
        record.verified_by = user
        record.verified_at = now
        record.version += 1
    bulk_update_with_history(
        records,
        AchievementRecord,
        ["status", "return_reason", "verified_by", "verified_at", "version"],
        default_user=user,
        default_change_reason=_("Duyệt"),
    )
    if moved:
        bulk_update_with_history(moved, Evidence, ["record"], default_user=user)
    return records


@transaction.atomic
def record_return(*, record, user, reason, seen_version=None):
    """Return a submitted record to its commune with a reason the commune will see."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Hãy ghi lý do trả lại để xã biết cần sửa gì."))
    record = (
        AchievementRecord.objects.select_for_update(of=("self",))
        .select_related("unit", "reporting_round")
        .get(pk=record.pk)
    )
    _check_verifiable([record], user)
    if seen_version is not None and record.version != seen_version:
        raise StaleEdit(record)
    if record.status != RecordStatus.SUBMITTED:
        raise ValidationError(_("Chỉ trả lại được kết quả đang chờ duyệt."))
    record.status = RecordStatus.RETURNED
    record.return_reason = reason
    record.version += 1
    record._history_user = user
    record._change_reason = _("Trả lại: %(reason)s") % {"reason": reason}
    record.save()
    # The commune hears about it by e-mail once this transaction commits (notices keeps the log
    # that makes every e-mail go out exactly once).
    notify_record_returned(record=record, reason=reason, returned_by=user)
    return record


@transaction.atomic
def round_close(*, reporting_round, user):
    """Close a round: its records become read-only until district staff reopen it."""
    return _round_set_closed(reporting_round, user, closed=True)


@transaction.atomic
def round_reopen(*, reporting_round, user):
    """Reopen a closed round so communes can enter and submit again."""
    return _round_set_closed(reporting_round, user, closed=False)


def _round_set_closed(reporting_round, user, *, closed):
    if not can_verify(user, reporting_round.unit):
        raise PermissionDenied
    reporting_round.closed_at = timezone.now() if closed else None
    reporting_round.closed_by = user if closed else None
    reporting_round._history_user = user
    reporting_round.save()
    return reporting_round


@transaction.atomic
def records_reevaluate(*, indicator):
    """Recompute `is_met` on every numeric record of `indicator`, after its targets changed.

    Records whose unit has no applicable target any more are left as they were and returned,
    so the caller can tell the user which ones need a target.
    """
    if indicator.kind == IndicatorKind.ANY_OF:
        return _rejudge_any_of(indicator)
    if indicator.kind != IndicatorKind.NUMERIC:
        return []
    groups = Enrolment.objects.filter(criteria_set__criteria=indicator.criterion_id).commune_groups()
    set_id = indicator.criterion.criteria_set_id
    records = indicator.records.select_related("unit", "indicator").filter(value_number__isnull=False)
    return _rejudge(
        records, {indicator.pk: list(indicator.thresholds.all())}, lambda r: groups.get((r.unit_id, set_id))
    )


def records_reevaluate_enrolment(*, unit, criteria_set):
    """Recompute `is_met` on `unit`'s numeric records of `criteria_set`, after its commune group in
    the set's period changed (other targets apply). Returns the records no target decides."""
    group = Enrolment.objects.commune_group_of(unit, criteria_set.pk)
    records = (
        AchievementRecord.objects.filter(unit=unit, value_number__isnull=False, indicator__kind=IndicatorKind.NUMERIC)
        .for_set(criteria_set)
        .select_related("unit", "indicator")
    )
    thresholds = {}
    for threshold in Threshold.objects.filter(indicator__criterion__criteria_set=criteria_set):
        thresholds.setdefault(threshold.indicator_id, []).append(threshold)
    return _rejudge(records, thresholds, lambda r: group)


def _rejudge_any_of(indicator):
    """After an any-of indicator's number of items to meet changed: met when as many are."""
    changed = []
    for record in indicator.records.filter(value_number__isnull=False):
        is_met = record.value_number >= indicator.min_items
        if is_met != record.is_met:
            record.is_met = is_met
            changed.append(record)
    bulk_update_with_history(changed, AchievementRecord, ["is_met"], default_change_reason=_("Đổi mức đạt"))
    return []


def _rejudge(records, thresholds, group_of):
    changed, undecidable = [], []
    for record in records:
        indicator = record.indicator
        threshold = applicable_threshold(thresholds.get(indicator.pk, []), record.unit, group_of(record))
        if not indicator.decides_with(threshold):
            undecidable.append(record)
            continue
        is_met = indicator.passes(record.value_number, threshold)
        if is_met != record.is_met:
            record.is_met = is_met
            changed.append(record)
    # Targets changed, not the records: history keeps who changed the target's effect and when.
    bulk_update_with_history(changed, AchievementRecord, ["is_met"], default_change_reason=_("Đổi mức đạt"))
    return undecidable


def enrolments_file_import(*, file, allowed, dry_run):
    """Load a file of enrolments (criteria.enrolments) among `allowed` units; a unit whose commune
    group in a set changes has its records of that set judged again in the same transaction."""
    return enrolments_import(
        file=file,
        allowed=allowed,
        dry_run=dry_run,
        reevaluate=lambda unit, criteria_set: records_reevaluate_enrolment(unit=unit, criteria_set=criteria_set),
    )


# Rows per INSERT on databases that limit query parameters; PostgreSQL takes all rows at once.
BATCH_SIZE = None
# Rows per UPDATE where the ORM writes them (UPDATE ... CASE WHEN, which grows quadratically with
# the batch); PostgreSQL updates all rows in one UPDATE ... FROM unnest.
UPDATE_BATCH_SIZE = 500


@dataclass
class ImportedRow:
    """One checked row of a record file (records.imports), ready to be written: `record` is the
    verified or pending record of the same unit, indicator and date it replaces, None for a new one."""

    record: AchievementRecord | None
    unit: object
    indicator: object
    as_of: object
    value_bool: bool | None
    value_number: Decimal | None
    value_items: str
    note: str
    is_met: bool
    status: str
    return_reason: str
    verifier: str
    reporting_round: object


def records_import_write(*, rows, user, progress=None):
    """Write the checked rows of a record file in one transaction (`records_bulk_save`), each
    record stamped as the importing `user`'s write; returns the number written."""
    now = timezone.now()
    user_id = user.pk if user is not None else None
    creates, updates = [], []
    # Every field of a new record, in the model's order: built from positional values, a record
    # costs a third of one built from keywords, and ids, not objects, are assigned below (a
    # related-object assignment costs more than the rest of the row).
    attnames = [f.attname for f in AchievementRecord._meta.concrete_fields]
    blank = dict.fromkeys(attnames)
    blank.update(value_items="", return_reason="", note="", version=0)
    for row in rows:
        record = row.record
        if record is None:
            fresh = blank | {"unit_id": row.unit.pk, "indicator_id": row.indicator.pk, "as_of": row.as_of}
            record = AchievementRecord(*[fresh[name] for name in attnames])
            creates.append(record)
        else:
            updates.append(record)
        record.value_bool, record.value_number, record.is_met, record.note = (
            row.value_bool,
            row.value_number,
            row.is_met,
            row.note,
        )
        record.value_items = row.value_items
        record.status, record.return_reason, record.recorded_by_id, record.recorded_at = (
            row.status,
            row.return_reason,
            user_id,
            now,
        )
        record.reporting_round_id = row.reporting_round.pk if row.reporting_round is not None else None
        record.version += 1
        if row.status == RecordStatus.VERIFIED:
            # The importing user vouches for the file's verified rows; a verifier named in the
            # file is a name typed in a cell, so it goes into the audit trail only.
            record.verified_by_id, record.verified_at = user_id, now
            if row.verifier:
                record._change_reason = _("Nhập từ tệp; người duyệt ghi trong tệp: %(name)s") % {"name": row.verifier}
    return records_bulk_save(creates=creates, updates=updates, user=user, progress=progress)


RECORD_WRITE_FIELDS = [
    "value_bool",
    "value_number",
    "value_items",
    "is_met",
    "note",
    "status",
    "return_reason",
    "reporting_round",
    "recorded_by",
    "recorded_at",
    "verified_by",
    "verified_at",
    "version",
]


@transaction.atomic
def records_bulk_save(*, creates, updates, user, progress=None):
    """Write imported records in one transaction, each with its audit-trail row: new records in
    one INSERT (batched where the database limits parameters), replaced ones in small batched
    UPDATEs, then their history rows copied from the records as written, one INSERT ... SELECT per
    change reason. Values are checked, `is_met` decided and the workflow fields stamped already
    (`records_import_write`). Every imported record is written here.
    """
    reason = _("Nhập từ tệp")
    _records_insert(creates)
    _records_update(updates)
    for history_type, records in (("+", creates), ("~", updates)):
        by_reason = {}
        for record in records:
            by_reason.setdefault(getattr(record, "_change_reason", None) or reason, []).append(record.pk)
        for change_reason, ids in by_reason.items():
            _history_copy(ids=ids, history_type=history_type, user=user, reason=change_reason)
    if progress is not None:
        total = len(creates) + len(updates)
        progress(total, total, _("Ghi"))
    return len(creates) + len(updates)


def _array_of(field):
    """`%s` cast to an array of `field`'s column type, for unnest on PostgreSQL."""
    return f"%s::{field.db_type(connection)}[]"


def _column_values(records, field, add):
    """`field`'s value in each record as the ORM would save it (auto_now fields stamped)."""
    if getattr(field, "auto_now", False) or (add and getattr(field, "auto_now_add", False)):
        return [field.pre_save(record, add) for record in records]
    return [getattr(record, field.attname) for record in records]


def _records_insert(records):
    """Insert new records in one statement and set their ids.

    On PostgreSQL the columns go as arrays through unnest, as Django's bulk_create sends them,
    without preparing every value of every row in Python first (that took longer than the
    INSERT itself); elsewhere through bulk_create. One statement either way (batches where the
    database limits parameters), so statement-level triggers on the table fire once.
    """
    if not records:
        return
    if connection.vendor != "postgresql":
        AchievementRecord.objects.bulk_create(records, batch_size=BATCH_SIZE)
        return
    meta = AchievementRecord._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"SELECT * FROM unnest({', '.join(_array_of(f) for f in fields)}) RETURNING {quote(meta.pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [_column_values(records, f, add=True) for f in fields])
        ids = [row[0] for row in cursor.fetchall()]
    # RETURNING gives the rows in the order unnest gave them (Django's bulk_create relies on it too).
    for record, pk in zip(records, ids, strict=True):
        record.pk = pk
        record._state.adding, record._state.db = False, connection.alias


def _records_update(records):
    """Write RECORD_WRITE_FIELDS of changed records: on PostgreSQL in one UPDATE ... FROM unnest,
    elsewhere in bulk_update's batches."""
    if not records:
        return
    if connection.vendor != "postgresql":
        AchievementRecord.objects.bulk_update(records, fields=RECORD_WRITE_FIELDS, batch_size=UPDATE_BATCH_SIZE)
        return
    meta = AchievementRecord._meta
    fields = [meta.pk] + [meta.get_field(name) for name in RECORD_WRITE_FIELDS]
    quote = connection.ops.quote_name
    names = [quote(f.column) for f in fields]
    sql = (
        f"UPDATE {quote(meta.db_table)} AS r SET {', '.join(f'{n} = v.{n}' for n in names[1:])} "
        f"FROM unnest({', '.join(_array_of(f) for f in fields)}) AS v({', '.join(names)}) "
        # The ids again as a plain list, so that the records are found through their primary key
        # (the planner otherwise hashed all 3.3 million records of the national database for a
        # join with 20,000 rows: 2-26 s instead of a fraction of a second).
        f"WHERE r.{names[0]} = v.{names[0]} AND r.{names[0]} = ANY(%s)"
    )
    columns = [_column_values(records, f, add=False) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*columns, columns[0]])


def _history_copy(*, ids, history_type, user, reason):
    """Add the audit-trail row of each record in `ids` as it is stored now, in one statement.

    What django-simple-history's bulk_history_create writes (the tracked fields, the date, the
    user, the reason, + or ~), without building a model instance for each row in Python: that
    took longer than the records' own INSERT.
    """
    if not ids or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    history = AchievementRecord.history.model
    tracked = [field.attname for field in history.tracked_fields]
    target = [history._meta.get_field(name).column for name in tracked]
    source = [AchievementRecord._meta.get_field(name).column for name in tracked]
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        chosen = "r.id = ANY(%s)"
    else:  # one parameter whatever the number of rows (SQLite limits them)
        chosen, ids = "r.id IN (SELECT value FROM json_each(%s))", json.dumps(ids)
    sql = (
        f"INSERT INTO {quote(history._meta.db_table)} "
        f"({', '.join(map(quote, target))}, history_date, history_change_reason, history_type, history_user_id) "
        f"SELECT {', '.join('r.' + quote(c) for c in source)}, %s, %s, %s, %s "
        f"FROM {quote(AchievementRecord._meta.db_table)} r WHERE {chosen} ORDER BY r.id"
    )
    when = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(sql, [when, reason, history_type, user.pk if user is not None else None, ids])


@transaction.atomic
def record_admin_save(*, record, changed_fields, user, is_new):
    """Save a record changed in the admin. The admin form has checked and applied its fields
    (`changed_fields` names those the user changed); here `is_met` is decided and the user, the
    verification and the version are stamped, as every other write does."""
    record.is_met = record_evaluate(
        unit=record.unit,
        indicator=record.indicator,
        value_bool=record.value_bool,
        value_number=record.value_number,
        value_items=record.value_items,
    )
    record.recorded_by = user
    if record.status == RecordStatus.VERIFIED and (is_new or "status" in changed_fields):
        record.verified_by = user
        record.verified_at = timezone.now()
    record.version = 1 if is_new else (record.version or 0) + 1
    record._history_user = user
    record.save()
    return record


@transaction.atomic
def round_admin_save(*, reporting_round, user):
    """Save a round changed in the admin; one closed there is stamped as closed by `user`."""
    if reporting_round.closed_at and not reporting_round.closed_by_id:
        reporting_round.closed_by = user
    reporting_round._history_user = user
    reporting_round.save()
    return reporting_round


def criteria_set_import(*, file, dry_run, user=None, max_bytes=None, max_rows=None):
    """Load a criteria set workbook as `user` (None: the command line): the set's owner only
    (accounts.access), and the records of every indicator whose targets change re-evaluated in the
    same transaction. Rolls back when `dry_run`; returns criteria.set_imports.SetImportResult."""
    if not access.may_import_sets(user):
        raise PermissionDenied(_("Chỉ quản trị hệ thống và cán bộ cấp tỉnh được nạp bộ tiêu chí."))

    def may_write(proposed, existing):
        # Both as the set is now (if it exists) and as the workbook makes it.
        return access.may_change_criteria_set(user, proposed) and (
            existing is None or access.may_change_criteria_set(user, existing)
        )

    return set_workbook_apply(
        file=file,
        dry_run=dry_run,
        may_write=None if user is None else may_write,
        reevaluate=lambda indicator: records_reevaluate(indicator=indicator),
        max_bytes=max_bytes,
        max_rows=max_rows,
    )
