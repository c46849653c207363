"""The seam between awards and the evaluation engine: a review panel (评审会) per round, and its scores.

Everything the awards app needs from `bole.evaluation` goes through these two functions, so the review can
be re-pointed (another rule, another engine) without touching the award workflow.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bole.evaluation import services as ev_services
from bole.evaluation.choices import EvaluationKind, EvaluationStatus, SubjectKind
from bole.evaluation.models import Evaluation, SubjectResult

from .choices import NominationKind
from .models import AwardRound, Nomination

# 评审标准: what the panel scores every nominee on (max score each; weights equal to the max scores).
CRITERIA = [(gettext_lazy("担当作为"), 40), (gettext_lazy("工作实绩"), 40), (gettext_lazy("群众口碑"), 20)]


def panel_create(*, round: AwardRound, nominations: Sequence[Nomination], actor):
    """A draft judged evaluation with one subject per nomination; judges are seated on the evaluation page."""
    teams = any(n.kind == NominationKind.TEAM for n in nominations)
    ev = ev_services.evaluation_create(
        actor=actor, name=_("%(t)s评审会") % {"t": round.title}, kind=EvaluationKind.PANEL,
        subject_kind=SubjectKind.TEAM if teams else SubjectKind.PERSON,
        description=_("担当之星、担当团队评审：按评审标准打分，回避本单位被提名对象。"))
    for name, max_score in CRITERIA:
        ev_services.criterion_add(evaluation=ev, name=str(name), max_score=max_score, weight=max_score, actor=actor)
    for nom in nominations:
        label = nom.team_name if nom.kind == NominationKind.TEAM else ""
        subject = ev_services.subject_add(evaluation=ev, label=label, person=nom.person if not label else None,
                                          unit=nom.unit, actor=actor)
        Nomination.objects.filter(pk=nom.pk).update(subject=subject)
        nom.subject = subject
    return ev


def panel_scores(*, round: AwardRound, actor) -> dict[int, float | None]:
    """Nomination id → the panel's final score (0–100); closes the panel first if it is still open."""
    if round.evaluation_id is None:
        return {}
    ev = Evaluation.objects.get(pk=round.evaluation_id)
    if ev.status == EvaluationStatus.DRAFT:
        return {}
    if ev.status == EvaluationStatus.OPEN:
        ev_services.evaluation_transition(evaluation=ev, to=EvaluationStatus.CLOSED, actor=actor)
    by_subject = dict(
        SubjectResult.objects.filter(result__evaluation=ev, result__is_current=True)
        .values_list("subject_id", "final_score")
    )
    return {pk: by_subject.get(sid) for pk, sid in
            Nomination.objects.filter(round=round, subject__isnull=False).values_list("pk", "subject_id")}


def panel_status(round: AwardRound) -> str:
    """The panel's status code ('' when the round has none yet)."""
    if round.evaluation_id is None:
        return ""

    return Evaluation.objects.filter(pk=round.evaluation_id).values_list("status", flat=True).first() or ""
