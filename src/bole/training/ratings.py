"""课程评价: attendees rate a session anonymously through the evaluation engine's ballots.

The seam between training and `bole.evaluation`: a session's rating is an anonymous ballot (民主测评) whose
subjects are its lecturers (or the session itself when it names none), opened once the session has attendees and
closed a week after it ends, when the engine computes the scores. Each attendee may take one ballot link: the
attendance row records that they took one, the engine hands out a random unused token and never learns whose it
is, and the ballot itself reaches the engine through its mixer. Hosts see the scores on the session page, lecturers
theirs on their own page.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bole.evaluation import services as ev_services
from bole.evaluation.choices import EvaluationKind, EvaluationStatus, GroupCode
from bole.evaluation.models import Evaluation, SubjectResult

from .choices import SessionStatus
from .models import Attendance, Session
from .services import require_own_person

# What attendees score each lecturer on (out of 10 each, equal weights).
CRITERIA = (gettext_lazy("教学内容"), gettext_lazy("讲授水平"), gettext_lazy("实用性"))
# How long after its end a session may still be rated.
RATING_DAYS = 7


def _subjects(s: Session) -> list[dict]:
    """Who is rated: the topic's lecturers (register people or outside experts) the session names — all of them
    when it names none — else one subject for the session (the lecturer it names, or its title)."""
    lecturers = list(s.topic.lecturers.select_related("person").order_by("id")) if s.topic_id else []
    named = [lec for lec in lecturers if lec.name and lec.name in s.lecturer]
    if lecturers and (named or not s.lecturer):
        return [{"label": "" if lec.person_id else lec.name, "person": lec.person} for lec in named or lecturers]
    return [{"label": s.lecturer or s.title, "person": None}]


@transaction.atomic
def rating_open(*, session: Session) -> Evaluation:
    """The session's anonymous rating, created and opened on first need (the session's row is locked, so two
    attendees asking at once get the same one)."""
    s = Session.objects.select_for_update(of=("self",)).select_related("topic").get(pk=session.pk)
    if s.rating_id:
        return Evaluation.objects.get(pk=s.rating_id)
    if s.status != SessionStatus.PUBLISHED:
        raise ValidationError(_("课程未发布，不能评价"))
    ev = ev_services.evaluation_create(
        actor=None, name=_("%(t)s课程评价") % {"t": s.title}, kind=EvaluationKind.BALLOT, unit=s.host_unit,
        allow_unknown=False, block_own_unit=False,
        description=_("参训干部匿名评价授课：每项 1–10 分。"))
    for name in CRITERIA:
        ev_services.criterion_add(evaluation=ev, name=str(name), max_score=10, weight=1, actor=None)
    ev_services.rater_group_add(evaluation=ev, code=GroupCode.PUBLIC, weight=1, name=_("参训干部"), actor=None)
    for row in _subjects(s):
        ev_services.subject_add(evaluation=ev, label=row["label"], person=row["person"], actor=None)
    ev_services.evaluation_transition(evaluation=ev, to=EvaluationStatus.OPEN, actor=None)
    Session.objects.filter(pk=s.pk).update(rating=ev)
    session.rating_id = ev.pk
    return ev


def rating_link(*, session: Session, person, actor, now: dt.datetime | None = None) -> str:
    """The attendee's one ballot token for the session: only one's own, only after attending, once, and until
    the rating closes. The attendance row records that a token was taken, never which."""
    now = now or timezone.now()
    require_own_person(actor, person, _("只能本人评价"))
    if now > session.ends_at + dt.timedelta(days=RATING_DAYS):
        raise ValidationError(_("评价已结束（课程结束 %(d)s 天内可评价）") % {"d": RATING_DAYS})
    with transaction.atomic():
        att = Attendance.objects.select_for_update().filter(session=session, person=person).first()
        if att is None:
            raise ValidationError(_("签到后才能评价本课程"))
        if att.rating_taken:
            raise ValidationError(_("您已领取过本课程的评价（每次课程只能评价一次）"))
        ev = rating_open(session=session)
        if ev.status != EvaluationStatus.OPEN:
            raise ValidationError(_("评价已结束"))
        Attendance.objects.filter(pk=att.pk).update(rating_taken=True)
        group = ev.groups.get()
        return ev_services.token_hand_out(evaluation=ev, group=group)


def ratings_close(*, now: dt.datetime | None = None) -> int:
    """Periodic: close the ratings of sessions that ended more than RATING_DAYS ago (the engine mixes the last
    ballots and computes the scores). Idempotent."""
    now = now or timezone.now()
    due = Evaluation.objects.filter(
        pk__in=Session.objects.filter(ends_at__lte=now - dt.timedelta(days=RATING_DAYS), rating__isnull=False)
        .values("rating_id"), status=EvaluationStatus.OPEN)
    n = 0
    for ev in due:
        ev_services.evaluation_transition(evaluation=ev, to=EvaluationStatus.CLOSED, actor=None)
        n += 1
    return n


def scores(rating_ids) -> dict[int, list[dict]]:
    """Rating id → its lecturers' current results (label, person id, score out of 100, ballots), one query."""
    out: dict[int, list[dict]] = {}
    rows = (SubjectResult.objects.filter(result__evaluation_id__in=list(rating_ids), result__is_current=True)
            .select_related("subject__person").order_by("result__evaluation_id", "subject__sort", "subject_id"))
    for r in rows:
        out.setdefault(r.result.evaluation_id, []).append({
            "label": r.subject.person.name if r.subject.person_id else r.subject.label,
            "person_id": r.subject.person_id, "score": r.final_score, "n": r.n_ratings})
    return out


def status_of(session: Session) -> dict:
    """What the session page shows of its rating: open or closed, ballots cast, and the scores once closed."""
    if not session.rating_id:
        return {}
    ev = Evaluation.objects.get(pk=session.rating_id)
    cast = ev.tokens.filter(used=True).count()
    return {"evaluation": ev, "open": ev.status == EvaluationStatus.OPEN, "cast": cast,
            "results": scores([ev.pk]).get(ev.pk, [])}


def lecturer_ratings(person) -> QuerySet:
    """The closed ratings of sessions this person lectured: their own rows only."""
    return (SubjectResult.objects.filter(subject__person=person, result__is_current=True,
                                         result__evaluation_id__in=Session.objects.filter(rating__isnull=False)
                                         .values("rating_id"))
            .select_related("result__evaluation").order_by("-result__computed_at"))


def session_of_rating(evaluation_ids) -> dict[int, Session]:
    return {s.rating_id: s for s in Session.objects.filter(rating_id__in=list(evaluation_ids))}
