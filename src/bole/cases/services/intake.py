"""A case comes in: submission and the evidence attached to it."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bole.core.audit import audit_record
from bole.core.choices import AuditAction
from bole.core.uploads import upload_read, upload_store
from bole.org.models import Enterprise, Person
from bole.org.validators import InvalidValue, clean_phone

from .. import calendar as clock
from ..choices import EventKind, State, SubmitterKind
from ..models import Attachment, Case, Category, Desk
from ..permissions import is_desk_staff, is_handler, is_submitter
from .timeline import event_add

MAX_ATTACHMENTS = 9




def attach(case: Case, uploads: Sequence, *, stage: str, actor) -> list[Attachment]:
    """Store uploads under MEDIA_ROOT/cases/YYYY/MM/<random>.<ext>; the original name is only metadata."""
    if len(uploads) > MAX_ATTACHMENTS:
        raise ValidationError({"attachments": _("附件最多 %(n)d 个") % {"n": MAX_ATTACHMENTS}})
    out = []
    for upload in uploads:
        checked = upload_read(upload, field="attachments")
        name, data = checked.name, checked.data
        path = upload_store(checked, f"cases/{clock.local_today():%Y/%m}")
        att = Attachment.objects.create(
            case=case, file=path, content_type=checked.content_type, original_name=name, size=len(data),
            sha256=hashlib.sha256(data).hexdigest(), stage=stage,
            uploaded_by=actor if getattr(actor, "pk", None) else None,
        )
        audit_record(actor=actor, action=AuditAction.CREATE, obj=att, changes={"case": [None, case.pk],
                                                                             "name": [None, name]})
        out.append(att)
    if out:
        event_add(case, actor=actor, kind=EventKind.ATTACH, note="、".join(a.original_name for a in out),
                  data={"attachments": [a.pk for a in out], "stage": stage})
    return out


@transaction.atomic
def attachment_add(*, case: Case, uploads: Sequence, actor, stage: str = "", token: str | None = None) -> list:
    """Add evidence to a case (submitter, handlers or desk staff)."""
    if not (is_submitter(actor, case, token) or is_handler(actor, case) or is_desk_staff(actor, case.desk)):
        raise PermissionDenied
    return attach(case, uploads, stage=stage, actor=actor)


@transaction.atomic
def case_submit(*, desk: Desk, title: str, description: str, submitter_kind: str, actor,
                category: Category | None = None, location: str = "", submitter_enterprise: Enterprise | None = None,
                submitter_person: Person | None = None, submitter_name: str = "", submitter_phone: str = "",
                ref=None, attachments: Sequence = ()) -> Case:
    """A new case on a desk from one of the desk's allowed submitter kinds; returns it with a private token."""
    if not desk.is_active:
        raise ValidationError({"desk": _("该受理台已停用")})
    if submitter_kind not in desk.submitter_kinds and SubmitterKind.LINK not in desk.submitter_kinds:
        raise ValidationError({"submitter_kind": _("该受理台不接受此类提交人")})
    if category is not None and category.desk_id != desk.pk:
        raise ValidationError({"category": _("类别不属于该受理台")})
    if submitter_kind == SubmitterKind.ENTERPRISE and submitter_enterprise is None:
        raise ValidationError({"submitter_enterprise": _("请指定提交企业")})
    if submitter_kind == SubmitterKind.RESIDENT:
        try:
            submitter_phone = clean_phone(submitter_phone)
        except InvalidValue as exc:
            raise ValidationError({"submitter_phone": str(exc)}) from None
    case = Case(
        desk=desk, category=category, title=title.strip(), description=description.strip(), location=location.strip(),
        submitter_kind=submitter_kind, submitter_user=actor if getattr(actor, "pk", None) else None,
        submitter_enterprise=submitter_enterprise, submitter_person=submitter_person,
        submitter_name=submitter_name.strip(), submitter_phone=submitter_phone.strip(),
        follow_token=secrets.token_urlsafe(24), submitted_at=clock.now(), state=State.SUBMITTED,
    )
    if ref is not None:
        case.ref_type = ContentType.objects.get_for_model(ref)
        case.ref_id = ref.pk
    case.full_clean()
    case.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=case,
                 changes={"desk": [None, desk.pk], "state": [None, State.SUBMITTED], "title": [None, case.title]})
    event_add(case, actor=actor, kind=EventKind.SUBMIT, to_state=State.SUBMITTED, note=case.title, at=case.submitted_at)
    if attachments:
        attach(case, attachments, stage="submit", actor=actor)
    return case
