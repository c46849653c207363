"""Reads of the evaluation app, scoped to the acting user through the evaluation policy."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from bole.core.figures import FLOW, Figure
from bole.core.scoping import own_person_id

from .choices import EvaluationKind, EvaluationStatus, SignoffState, Verdict, rule_plain_name
from .compute import published_scores
from .models import (
    BallotToken,
    Evaluation,
    EvaluationResult,
    EventJudge,
    JudgeScore,
    QueuedBallot,
    Signoff,
    Subject,
    SubjectResult,
)
from .permissions import policy
from .services import judge_may_score


def evaluation_list(*, user, action: str = "view") -> QuerySet[Evaluation]:
    """Evaluations this user may act on (a cadre: those where they are a subject)."""
    return policy.restrict(Evaluation.objects.select_related("unit"), user, action).distinct()


def evaluation_get(*, user, pk, action: str = "view") -> Evaluation:
    """One evaluation within scope; 404 outside it."""
    return policy.get(evaluation_list(user=user, action=action), user, pk, action)


def may(user, action: str) -> bool:
    """Whether the user's role allows an action on evaluations at all (menus and buttons)."""
    return policy.allows(user, action, Evaluation)


def is_manager(user, evaluation: Evaluation) -> bool:
    """Whether the user runs this evaluation (admin or unit admin in scope), not just a subject of it."""
    return evaluation_list(user=user, action="change").filter(pk=evaluation.pk).exists()


def response_rates(*, evaluation: Evaluation) -> list[dict]:
    """Per rater group: expected, tokens issued/used, ballots received and the response rate.

    A token is used in the transaction that queues its ballot, so used tokens are the ballots received,
    mixed or still waiting (`waiting`: queued, counted once mixed; all are mixed at close)."""
    tokens = {
        row["group_id"]: row
        for row in BallotToken.objects.filter(evaluation=evaluation)
        .values("group_id")
        .annotate(issued=Count("id"), used=Count("id", filter=Q(used=True)))
    }
    waiting = dict(
        QueuedBallot.objects.filter(evaluation=evaluation).values_list("group_id").annotate(n=Count("id"))
        .values_list("group_id", "n")
    )
    out = []
    for g in evaluation.groups.all():
        t = tokens.get(g.pk, {"issued": 0, "used": 0})
        n = t["used"]
        base = g.expected_count or t["issued"]
        out.append({"group": g, "expected": g.expected_count, "issued": t["issued"], "used": t["used"],
                    "ballots": n, "waiting": waiting.get(g.pk, 0), "rate": (100.0 * n / base) if base else None})
    return out


def ballot_counts(*, evaluation: Evaluation) -> dict[str, int]:
    """Ballots received (tokens used), mixed into the ballot table (what results read) and still waiting."""
    return {
        "received": BallotToken.objects.filter(evaluation=evaluation, used=True).count(),
        "mixed": evaluation.ballots.count(),
        "waiting": QueuedBallot.objects.filter(evaluation=evaluation).count(),
    }


def unused_tokens(*, evaluation: Evaluation, group_id: int | None = None) -> QuerySet[BallotToken]:
    """Tokens still to hand out, for the printable QR sheet."""
    qs = BallotToken.objects.filter(evaluation=evaluation, used=False).select_related("group").order_by("group", "id")
    return qs.filter(group_id=group_id) if group_id else qs


def ballot_form(*, evaluation_id: int, group_id: int) -> dict:
    """What a ballot page shows for a valid token: the evaluation, the rater group, subjects and criteria."""
    ev = Evaluation.objects.get(pk=evaluation_id)
    criteria = list(ev.criteria.all())
    for c in criteria:
        c.options = list(range(int(c.max_score), -1, -1)) if c.max_score <= 10 else []
    return {
        "ev": ev,
        "group": ev.groups.get(pk=group_id),
        "subjects": list(ev.subjects.select_related("unit")),
        "criteria": criteria,
    }


# --- judges ---------------------------------------------------------------------------------------


def judge_seats(*, user) -> QuerySet[EventJudge]:
    """The events this account judges (a judge sees nothing else of the evaluation app), and the sign-off
    panels the logged-in cadre sits on."""
    if not getattr(user, "is_authenticated", False):
        return EventJudge.objects.none()
    person_id = own_person_id(user)
    mine = Q(user=user)
    if person_id is not None:
        mine |= Q(person_id=person_id, evaluation__kind=EvaluationKind.SIGNOFF)
    return EventJudge.objects.filter(mine).select_related("evaluation").order_by("-evaluation__created_at", "-id")


def judge_seat_get(*, user, evaluation_id) -> EventJudge:
    """The user's seat on one event; 404 for anyone not seated there."""
    seat = judge_seats(user=user).filter(evaluation_id=evaluation_id).first()
    if seat is None:
        raise Http404
    return seat


def judge_sheet(*, seat: EventJudge) -> list[dict]:
    """The contestants this judge may score, with the judge's OWN scores only (never other judges')."""
    ev = seat.evaluation
    criteria = list(ev.criteria.all())
    mine: dict[int, dict[int, float]] = {}
    for sid, cid, score in JudgeScore.objects.filter(judge=seat).values_list("subject_id", "criterion_id", "score"):
        mine.setdefault(sid, {})[cid] = score
    rows = []
    for s in ev.subjects.select_related("unit"):
        allowed = judge_may_score(seat, s)
        scores = mine.get(s.pk, {})
        total = None
        if scores and len(scores) == len(criteria):
            wsum = sum(c.weight for c in criteria) or 1
            total = sum(c.weight * 100 * scores[c.pk] / c.max_score for c in criteria) / wsum
        rows.append({"subject": s, "allowed": allowed, "scores": scores,
                     "done": allowed and len(scores) == len(criteria), "total": total})
    return rows


def scoreboard(*, evaluation: Evaluation, by_rank: bool = False) -> dict:
    """The big screen: which judge has scored whom and, for contestants the host has revealed (亮分), each
    judge's total and the score that is published — the stored result's own figure, or while the contest
    is open the same computation run on the scores so far. Judges appear as 评委1…N in seat order, never
    by name. `by_rank` puts revealed contestants best first (draw order otherwise, the unrevealed after)."""
    judges = list(evaluation.judges.all())
    criteria = list(evaluation.criteria.all())
    subjects = list(evaluation.subjects.all())
    wsum = sum(c.weight for c in criteria) or 1
    crit = {c.pk: c for c in criteria}
    cells: dict[tuple[int, int], list] = {}
    for jid, sid, cid, score in JudgeScore.objects.filter(evaluation=evaluation).values_list(
        "judge_id", "subject_id", "criterion_id", "score"
    ):
        cells.setdefault((jid, sid), []).append((cid, score))
    revealed_any = any(s.revealed for s in subjects)
    published, provisional = published_scores(evaluation=evaluation) if revealed_any else ({}, True)
    rows = []
    n_done = 0
    for s in subjects:
        marks = []
        n_totals = 0
        for j in judges:
            got = cells.get((j.pk, s.pk), [])
            done = len(got) == len(criteria)
            total = sum(crit[c].weight * 100 * v / crit[c].max_score for c, v in got) / wsum if done else None
            n_totals += done
            state = "na" if not judge_may_score(j, s) else ("done" if done else ("partial" if got else "todo"))
            marks.append({"state": state, "total": total if s.revealed else None})
        n_done += sum(1 for m in marks if m["state"] == "done")
        score = published.get(s.pk) if s.revealed else None
        rows.append({"subject": s, "marks": marks, "score": score, "n_done": n_totals, "rank": None})
    shown = sorted((r for r in rows if r["score"] is not None), key=lambda r: -r["score"])
    for i, r in enumerate(shown):
        r["rank"] = i + 1 if i == 0 or r["score"] != shown[i - 1]["score"] else shown[i - 1]["rank"]
    if by_rank:
        rows = shown + [r for r in rows if r["score"] is None]
    expected = sum(1 for s in subjects for j in judges if judge_may_score(j, s))
    return {"judges": [_("评委%(n)s") % {"n": i + 1} for i in range(len(judges))], "rows": rows,
            "done": n_done, "expected": expected, "submitted": sum(1 for j in judges if j.submitted_at),
            "rule": rule_plain_name(evaluation.rule, trim_k=evaluation.trim_k), "provisional": provisional,
            "by_rank": by_rank}


# --- sign-off panels -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SignoffVerdict:
    """Whether a subject's current attempt is passed, with who is still to sign and why not."""

    passed: bool
    eligible: int
    signed: int
    failed: int
    attempt: int = 0
    waiting: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def signoff_verdict(*, subject: Subject, seats: list[EventJudge] | None = None,
                    signoffs: list[Signoff] | None = None) -> SignoffVerdict:
    """Every member without a declared conflict must sign the current attempt, and every one must pass.

    Verdicts of earlier attempts, and of members who have since declared a conflict, do not count.
    `seats` may be passed in when the caller already holds the panel, and `signoffs` when it holds the
    current attempt's verdicts (`current_signoffs_of`): one query fewer per subject each."""
    if seats is None:
        seats = list(EventJudge.objects.filter(evaluation_id=subject.evaluation_id).order_by("sort", "id"))
    eligible = [s for s in seats if not s.conflicted]
    if not subject.attempt:
        verdicts = {}
    elif signoffs is None:
        verdicts = dict(Signoff.objects.filter(subject=subject, attempt=subject.attempt)
                        .values_list("judge_id", "verdict"))
    else:
        verdicts = {row.judge_id: row.verdict for row in signoffs}
    waiting = [s.name for s in eligible if s.pk not in verdicts]
    failed = sum(1 for s in eligible if verdicts.get(s.pk) == Verdict.FAIL)
    signed = sum(1 for s in eligible if s.pk in verdicts)
    reasons = []
    if not subject.attempt:
        reasons.append(_("尚未提请签署"))
    if not eligible:
        reasons.append(_("评审组没有可签署的成员（未组建或全部回避）"))
    if subject.attempt and waiting:
        reasons.append(_("尚未签署：%(names)s") % {"names": "、".join(waiting)})
    if failed:
        reasons.append(_("%(n)s 名成员意见为不通过") % {"n": failed})
    return SignoffVerdict(passed=not reasons, eligible=len(eligible), signed=signed, failed=failed,
                          attempt=subject.attempt, waiting=waiting, reasons=reasons)


def current_signoffs(*, subject: Subject) -> list[Signoff]:
    """The verdicts given on the subject's current attempt, by member order."""
    return current_signoffs_of(subjects=[subject])[subject.pk]


def current_signoffs_of(*, subjects: list[Subject]) -> dict[int, list[Signoff]]:
    """Subject id → the verdicts given on its current attempt, by member order; one query for all subjects."""
    out: dict[int, list[Signoff]] = {s.pk: [] for s in subjects}
    attempts = Q()
    for s in subjects:
        if s.attempt:
            attempts |= Q(subject_id=s.pk, attempt=s.attempt)
    if not attempts:
        return out
    for row in Signoff.objects.filter(attempts).select_related("judge").order_by("judge__sort", "judge_id"):
        out[row.subject_id].append(row)
    return out


def signoff_sheet(*, seat: EventJudge) -> list[dict]:
    """A member's list: every subject of the panel, its round state and the member's OWN verdict on the
    current attempt (other members' verdicts are not shown on the phone)."""
    subjects = list(seat.evaluation.subjects.order_by("sort", "id"))
    mine = {(sid, attempt): row for sid, attempt, row in
            ((r.subject_id, r.attempt, r) for r in Signoff.objects.filter(judge=seat))}
    rows = []
    for s in subjects:
        own = mine.get((s.pk, s.attempt)) if s.attempt else None
        rows.append({"subject": s, "mine": own,
                     "todo": s.signoff_state == SignoffState.PENDING and own is None and not seat.conflicted})
    return rows


def signoff_overview(*, evaluation: Evaluation) -> list[dict]:
    """The organiser's view: each subject with its verdict and the current attempt's sign-offs."""
    seats = list(evaluation.judges.order_by("sort", "id"))
    subjects = list(evaluation.subjects.order_by("sort", "id"))
    signoffs = current_signoffs_of(subjects=subjects)
    return [{"subject": s, "verdict": signoff_verdict(subject=s, seats=seats, signoffs=signoffs[s.pk]),
             "signoffs": signoffs[s.pk]} for s in subjects]


# --- results --------------------------------------------------------------------------------------


def current_result(*, evaluation: Evaluation) -> EvaluationResult | None:
    """The results shown for an evaluation: only once it is closed (hidden while ballots come in)."""
    if not evaluation.results_visible:
        return None
    return evaluation.results.filter(is_current=True).first()


# What a result's summary may tell someone who is not managing the evaluation (a subject reading their own row):
# counts and the shape of the ranking, never another subject's or a judge's name.
_PUBLIC_SUMMARY = ("n_ballots", "n_ballots_cast", "ballots_by_group", "n_scores", "judges_submitted", "judges_total",
                   "complete_design", "connected", "ranking", "sigma", "cell_sigma", "converged", "scale", "fairness")


def visible_summary(*, result: EvaluationResult | None, manager: bool) -> dict:
    """A result's summary as this reader may see it: all of it for the evaluation's managers; otherwise the
    counts and the ranking's shape, the panels by number only."""
    if result is None:
        return {}
    if manager:
        return result.summary
    out = {k: result.summary[k] for k in _PUBLIC_SUMMARY if k in result.summary}
    if "components" in result.summary:
        out["components"] = [{"panel": c.get("panel", i + 1)} for i, c in enumerate(result.summary["components"])]
    return out


def visible_parameters(*, result: EvaluationResult | None, manager: bool) -> dict:
    """A result's parameters as this reader may see them: the rule's settings, without the judges' names."""
    if result is None:
        return {}
    return result.parameters if manager else {k: v for k, v in result.parameters.items() if k != "judges_counted"}


def result_rows(*, result: EvaluationResult) -> QuerySet[SubjectResult]:
    """A result's rows, best rank first (panel by panel where panels are ranked apart), unranked last."""
    return result.rows.select_related("subject", "subject__unit").order_by(
        Case(When(rank=0, then=Value(1)), default=Value(0), output_field=IntegerField()), "panel", "rank",
        "subject__sort",
        "subject_id",
    )


def subject_scores(*, evaluation: Evaluation) -> dict[int, float]:
    """Person id → final score on a 0–100 scale, of a closed or published evaluation whose subjects are people.

    Every criterion is first put on 0–100 (score / max score × 100) and then combined with the
    evaluation's weights and rule, so the figure is comparable across evaluations. Subjects without a
    final score (no usable ballot or judge score) are left out. Raises ValueError while results are hidden.
    """
    if evaluation.status not in {EvaluationStatus.CLOSED, EvaluationStatus.PUBLISHED}:
        raise ValueError("results of an evaluation are available only once it is closed")
    result = evaluation.results.filter(is_current=True).first()
    if result is None:
        return {}
    return {
        pid: score
        for pid, score in result.rows.filter(subject__person__isnull=False, final_score__isnull=False)
        .values_list("subject__person_id", "final_score")
    }


def my_results(*, user) -> QuerySet[SubjectResult]:
    """A cadre's own published results (subjects see their own figures, not the others')."""
    person_id = own_person_id(user)
    if person_id is None:
        return SubjectResult.objects.none()
    return SubjectResult.objects.filter(
        subject__person_id=person_id, result__is_current=True,
        result__evaluation__status=EvaluationStatus.PUBLISHED,
    ).select_related("result", "result__evaluation", "subject")


def figures(*, user, period) -> list[Figure]:
    """测评与赛事's reported figures in the user's scope (the `figures` hook): the evaluations created in the
    period, the judged contests' contestants, the ballots' raters."""
    evs = evaluation_list(user=user).filter(**period.contains("created_at"))
    contests = evs.filter(kind=EvaluationKind.CONTEST)
    contestants = Subject.objects.filter(evaluation__in=contests.values("pk")).count()
    url = reverse("evaluation-list")
    return [
        Figure("evaluations", _("测评与赛事"), evs.count(), _("场"), FLOW, _("组织的民主测评、擂台赛和评审会，按创建时间"),
               url),
        Figure("contests", _("擂台赛"), contests.count(), _("场"), FLOW, _("评委现场打分的擂台赛"), url),
        Figure("contestants", _("擂台赛参赛人数"), contestants, _("人"), FLOW, _("擂台赛的参赛对象"), url),
    ]
