"""The seam between policy applications and the evaluation engine: a review panel (评审会) of a policy whose
articles say so (`SupportPolicy.panel_review`), and its scores.

As in the awards' review, everything the vouchers app needs from `bole.evaluation` goes through this module: the
panel is an evaluation of kind PANEL, one subject per application; judges are seated and score on the evaluation
pages; the scores are the engine's results once the panel is closed. Approval stays a human decision."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bole.core.audit import audit_record
from bole.core.choices import AuditAction
from bole.evaluation import services as ev_services
from bole.evaluation.choices import EvaluationKind, EvaluationStatus, SubjectKind
from bole.evaluation.models import Evaluation, SubjectResult

from .choices import ApplicationStatus, HolderKind
from .models import Application, SupportPolicy
from .permissions import policy

# 评审标准: what the panel scores every application on (max score each; weights equal to the max scores).
CRITERIA = [(gettext_lazy("技术创新性"), 40), (gettext_lazy("经济社会效益"), 30), (gettext_lazy("实施可行性"), 30)]
SCORED = (EvaluationStatus.CLOSED, EvaluationStatus.PUBLISHED)


@transaction.atomic
def panel_create(*, policy_obj: SupportPolicy, actor) -> Evaluation:
    """组成评审会: a draft judged evaluation with one subject per waiting application of the policy not yet before a
    panel; judges are seated and scoring opened on the evaluation page."""
    if actor is not None:
        policy.require(actor, "manage")
        policy.require(actor, "change", policy_obj)
    if not policy_obj.panel_review:
        raise ValidationError({"panel": _("该政策未设置评审会评审")})
    apps = list(Application.objects.select_for_update(of=("self",))
                .filter(policy=policy_obj, status=ApplicationStatus.SUBMITTED, panel__isnull=True)
                .select_related("applicant_person__unit", "applicant_enterprise").order_by("submitted_at", "id"))
    if not apps:
        raise ValidationError({"panel": _("没有待提交评审会的申请")})
    persons = policy_obj.holder_kind == HolderKind.PERSON
    ev = ev_services.evaluation_create(
        actor=actor, name=_("%(p)s评审会（%(d)s）") % {"p": policy_obj.name, "d": timezone.localdate()},
        kind=EvaluationKind.PANEL, subject_kind=SubjectKind.PERSON if persons else SubjectKind.ENTRY,
        description=_("%(p)s申请评审：按评审标准打分，评分供审核参考，核定金额由人才办决定。") % {"p": policy_obj.name})
    for name, max_score in CRITERIA:
        ev_services.criterion_add(evaluation=ev, name=str(name), max_score=max_score, weight=max_score, actor=actor)
    for app in apps:
        subject = ev_services.subject_add(evaluation=ev, person=app.applicant_person,
                                          label="" if persons else app.applicant_enterprise.name, actor=actor)
        Application.objects.filter(pk=app.pk).update(panel=ev, subject=subject)
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=app, changes={"panel": [None, ev.pk]})
    return ev


def panel_scores(applications) -> dict[int, float | None]:
    """Application id → its panel's final score (0–100) once the panel is closed; None while it is not."""
    apps = [a for a in applications if a.panel_id]
    if not apps:
        return {}
    closed = set(Evaluation.objects.filter(pk__in={a.panel_id for a in apps}, status__in=SCORED)
                 .values_list("pk", flat=True))
    by_subject = dict(SubjectResult.objects.filter(result__evaluation_id__in=closed, result__is_current=True)
                      .values_list("subject_id", "final_score"))
    return {a.pk: (by_subject.get(a.subject_id) if a.panel_id in closed else None) for a in apps}


def panel_state(application: Application) -> dict:
    """What the application page shows of its panel: name, status code and label, score."""
    if not application.panel_id:
        return {}
    ev = Evaluation.objects.filter(pk=application.panel_id).first()
    return {"id": ev.pk, "name": ev.name, "status": ev.status, "status_label": ev.get_status_display(),
            "score": panel_scores([application]).get(application.pk)}


def approval_blocked(application: Application) -> str | None:
    """Why a policy that is reviewed by panel may not approve this application yet (None when it may)."""
    if not application.policy.panel_review:
        return None
    if not application.panel_id:
        return _("该政策须经评审会评审：请先组成评审会")
    status = Evaluation.objects.filter(pk=application.panel_id).values_list("status", flat=True).first()
    if status not in SCORED:
        return _("评审会尚未结束打分，不能审核通过")
    if panel_scores([application]).get(application.pk) is None:
        return _("评审会没有对该申请打分，不能审核通过")
    return None


def panels_of(policy_obj: SupportPolicy) -> list[dict]:
    """The policy's review panels, newest first: id, name, status label, how many applications."""
    counts = dict(Application.objects.filter(policy=policy_obj, panel__isnull=False).values_list("panel_id")
                  .annotate(n=Count("id")).values_list("panel_id", "n"))
    return [{"id": ev.pk, "name": ev.name, "status": ev.status, "status_label": ev.get_status_display(),
             "count": counts.get(ev.pk, 0)}
            for ev in Evaluation.objects.filter(pk__in=counts).order_by("-id")]
