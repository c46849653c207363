"""The assessment's long work as background jobs (bole.core.tasks): computing a round, the bulletin (.docx)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from bole.core.audit import audit_record
from bole.core.choices import AuditAction
from bole.core.tasks import JobFailed, background, job_submit

from . import services
from .bulletin import bulletin_docx
from .models import Round, RoundStatus

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _back(round_id: int) -> dict[str, str]:
    return {"label": _("返回考核轮次"), "url": reverse("assessment-round", args=[round_id]), "method": "get"}


def compute_submit(*, rnd: Round, note: str, owner):
    return job_submit(func="bole.assessment.background.round_compute_job", owner=owner,
                      title=_("计算考核结果：%(r)s") % {"r": rnd}, params={"round_id": rnd.pk, "note": note})


@background
def round_compute_job(ctx, *, round_id: int, note: str = "") -> dict[str, Any]:
    """Move the round to 已计算 (computing its results), as the round page's button does."""
    rnd = Round.objects.get(pk=round_id)
    try:
        rnd = services.round_transition(round=rnd, to=RoundStatus.COMPUTED, actor=ctx.job.owner, note=note,
                                        progress=ctx)
    except ValidationError as exc:
        raise JobFailed("；".join(exc.messages)) from None
    people = rnd.parameters.get("people", 0)
    return {"lines": [_("已计算 %(n)d 人的考核结果") % {"n": people}], "people": people,
            "actions": [_back(round_id)]}


def bulletin_submit(*, rnd: Round, owner):
    return job_submit(func="bole.assessment.background.bulletin_job", owner=owner,
                      title=_("考核结果通报：%(r)s") % {"r": rnd}, params={"round_id": rnd.pk})


@background
def bulletin_job(ctx, *, round_id: int) -> dict[str, Any]:
    """考核结果通报 (.docx) of a published or frozen round."""
    rnd = Round.objects.select_related("scheme").get(pk=round_id)
    if rnd.status not in {RoundStatus.PUBLISHED, RoundStatus.FROZEN}:
        raise JobFailed(_("只有已发布或已归档的轮次才能生成通报"))
    ctx.phase(_("生成通报"))
    data = bulletin_docx(rnd)
    audit_record(actor=ctx.job.owner, action=AuditAction.EXPORT, obj=rnd, changes={"bulletin": rnd.doc_number})
    ctx.result_file(name=f"bulletin-{rnd.period}.docx", content_type=DOCX, data=data)
    return {"lines": [_("通报已生成：%(d)s") % {"d": rnd.doc_number}], "file_label": _("下载通报（Word）"),
            "actions": [_back(round_id)]}
