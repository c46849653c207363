"""Writes of the growth records: the checklist template, records, evidence, mentor sign-off, 蹲苗 postings."""

from __future__ import annotations

import calendar
import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bole.core.audit import audit_record
from bole.core.choices import AuditAction
from bole.core.records import record_create
from bole.core.scoping import own_person_id
from bole.core.states import check_move
from bole.core.unique import one_per
from bole.core.uploads import upload_read, upload_store
from bole.org.selectors import person_list

from .choices import EntryStatus
from .models import ChecklistItem, GrowthEntry, GrowthRecord, Posting
from .permissions import policy

E = EntryStatus
# Evidence goes to the mentor, who signs it or returns it for more; a signed entry is final.
TRANSITIONS: dict[str, set[str]] = {
    E.NOT_STARTED: {E.SUBMITTED},
    E.SUBMITTED: {E.SIGNED, E.RETURNED},
    E.RETURNED: {E.SUBMITTED},
    E.SIGNED: set(),
}

TEN = [
    ("一次攻坚行动", "参与一项急难险重任务或重点工作攻坚", 24),
    ("一次国情调研", "围绕中心工作开展一次蹲点调研，形成调研报告", 12),
    ("一项民生实事", "牵头或参与办成一件群众身边的实事", 24),
    ("一次信访接待", "参与信访接待并跟踪化解一件信访事项", 12),
    ("一次基层宣讲", "面向群众开展一次政策理论宣讲", 12),
    ("一次项目服务", "参与一个重点项目的全流程服务", 24),
    ("一次应急处置", "参与一次防汛防台、安全生产等应急处置", 24),
    ("一次矛盾调解", "参与调解一起基层矛盾纠纷", 18),
    ("一次驻村蹲苗", "到村（社区）蹲苗锻炼不少于三个月", 36),
    ("一份成长报告", "撰写一份个人成长报告并接受导师点评", 36),
]


def _add_months(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _county_admin(actor) -> bool:
    return actor is None or policy.may(actor, "configure")


def _manages(actor, record: GrowthRecord) -> bool:
    """Admin, or a unit admin over the young cadre's unit."""
    if actor is None:
        return True
    return policy.restrict(GrowthRecord.objects.filter(pk=record.pk), actor, "change").exists()


def _person_id(actor) -> int | None:
    return own_person_id(actor)


# --- the checklist template ------------------------------------------------------------------------


def checklist_item_create(*, actor, name: str, description: str = "", due_months: int = 24,
                          sort: int = 0) -> ChecklistItem:
    """Add an item to the "十个一" template (county admin); new records get it, existing ones via sync."""
    if not _county_admin(actor):
        raise PermissionDenied
    return record_create(model=ChecklistItem, actor=actor, data={"name": (name or "").strip(),
                         "description": description, "due_months": due_months, "sort": sort})


@transaction.atomic
def checklist_seed_default(*, actor) -> int:
    """The ten items most counties use, added where missing."""
    made = 0
    for i, (name, desc, months) in enumerate(TEN):
        if not ChecklistItem.objects.filter(name=name).exists():
            checklist_item_create(actor=actor, name=name, description=desc, due_months=months, sort=i + 1)
            made += 1
    return made


# --- records ---------------------------------------------------------------------------------------


@transaction.atomic
def growth_record_create(*, person, cohort: int, started_on: dt.date, actor, mentor=None) -> GrowthRecord:
    """Open a young cadre's record with one entry per active checklist item, each due from the start date."""
    if actor is not None:
        if not policy.allows(actor, "add", GrowthRecord):
            raise PermissionDenied
        if not person_list(user=actor).filter(pk=person.pk).exists():
            raise PermissionDenied
    if not person.is_young_cadre:
        raise ValidationError({"person": _("只有选调生可以建立成长档案")})
    def has_record() -> bool:
        return GrowthRecord.objects.filter(person=person).exists()

    if has_record():
        raise ValidationError({"person": _("该选调生已有成长档案")})
    if mentor is not None and mentor.pk == person.pk:
        raise ValidationError({"mentor": _("导师不能是本人")})
    with one_per(has_record, {"person": _("该选调生已有成长档案")}):
        record = record_create(model=GrowthRecord, actor=actor, data={
            "person": person, "cohort": cohort, "started_on": started_on, "mentor": mentor})
    growth_entries_sync(record=record, actor=actor)
    return record


@transaction.atomic
def growth_entries_sync(*, record: GrowthRecord, actor) -> int:
    """Add entries for active template items the record does not have yet."""
    GrowthRecord.objects.select_for_update(no_key=True).filter(pk=record.pk).first()  # one sync of a record at a time
    have = set(record.entries.values_list("item_id", flat=True))
    rows = [GrowthEntry(record=record, item=item, due_date=_add_months(record.started_on, item.due_months))
            for item in ChecklistItem.objects.filter(is_active=True).exclude(pk__in=have)]
    for row in rows:
        row.full_clean()
    GrowthEntry.objects.bulk_create(rows)
    if rows:
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=record,
                     changes={"entries_added": [None, [r.item.name for r in rows]]})
    return len(rows)


# --- entries: evidence and sign-off ----------------------------------------------------------------


@transaction.atomic
def growth_entry_transition(*, entry: GrowthEntry, to: str, actor, comment: str = "",
                            on: dt.date | None = None) -> GrowthEntry:
    """The only way an entry changes state: the cadre submits evidence, the mentor signs or returns it."""
    row = GrowthEntry.objects.select_for_update().select_related("record", "item").get(pk=entry.pk)
    record = row.record
    check_move(TRANSITIONS, EntryStatus, row.status, to)
    pid = _person_id(actor)
    if to == E.SUBMITTED:
        if not (pid == record.person_id or (pid is None and _manages(actor, record))):
            raise PermissionDenied
        if not row.evidence.strip() and not row.evidence_file:
            raise ValidationError({"evidence": _("请先填写佐证材料")})
    else:
        if not (actor is None or (pid is not None and pid == record.mentor_id) or _county_admin(actor)):
            raise PermissionDenied
        if to == E.RETURNED and not (comment or "").strip():
            raise ValidationError({"mentor_comment": _("退回时请写明需要补充的内容")})
    before = row.status
    row.status = to
    if to == E.SUBMITTED and row.done_on is None:
        row.done_on = on or timezone.localdate()
    if to in {E.SIGNED, E.RETURNED}:
        row.mentor_comment = (comment or "").strip()[:300]
    if to == E.SIGNED:
        row.signed_at = timezone.now()
        row.signed_by_id = pid or record.mentor_id
    row.save(update_fields=["status", "done_on", "mentor_comment", "signed_at", "signed_by"])
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=row,
                 changes={"status": [before, to], **({"comment": [None, row.mentor_comment]} if comment else {})})
    entry.status, entry.done_on, entry.signed_at = row.status, row.done_on, row.signed_at
    return row


@transaction.atomic
def growth_entry_submit(*, entry: GrowthEntry, evidence: str, actor, evidence_file=None,
                        done_on: dt.date | None = None) -> GrowthEntry:
    """The young cadre records what they did (text and an optional file) and sends it to the mentor. The file
    passes the upload check (images or PDF, size) and is stored under a random name."""
    pid = _person_id(actor)
    if actor is not None and not (pid == entry.record.person_id or (pid is None and _manages(actor, entry.record))):
        raise PermissionDenied
    if entry.status not in {E.NOT_STARTED, E.RETURNED}:
        raise ValidationError(_("该事项已提交或已签认"))
    entry.evidence = (evidence or "").strip()
    if evidence_file is not None:
        checked = upload_read(evidence_file, field="evidence_file")
        entry.evidence_file.name = upload_store(checked, f"growth/{timezone.localdate():%Y}")
    entry.done_on = done_on or entry.done_on
    entry.full_clean()
    entry.save(update_fields=["evidence", "evidence_file", "done_on"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=entry,
                 changes={"evidence": [None, entry.evidence[:200]],
                          **({"evidence_file": [None, entry.evidence_file.name]} if evidence_file else {})})
    return growth_entry_transition(entry=entry, to=E.SUBMITTED, actor=actor, on=done_on)


# --- 蹲苗 postings ----------------------------------------------------------------------------------


@transaction.atomic
def posting_add(*, record: GrowthRecord, place: str, starts_on: dt.date, actor, ends_on: dt.date | None = None,
                unit=None, role: str = "") -> Posting:
    """Record a 蹲苗 posting (place and period) on a young cadre's record."""
    if not _manages(actor, record):
        raise PermissionDenied
    # Overlapping periods have no portable constraint: postings of one record are added one at a time.
    GrowthRecord.objects.select_for_update(no_key=True).filter(pk=record.pk).first()
    overlap = record.postings.filter(starts_on__lte=ends_on or dt.date.max).exclude(ends_on__lt=starts_on)
    if overlap.exists():
        raise ValidationError({"starts_on": _("与已有蹲苗经历时间重叠")})
    return record_create(model=Posting, actor=actor, data={
        "record": record, "place": (place or "").strip(), "unit": unit, "role": role, "starts_on": starts_on,
        "ends_on": ends_on, "created_by": actor if getattr(actor, "pk", None) else None})
