"""REST endpoints: evaluations, anonymous ballot submission (by token), judges' scores, results."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from ninja import FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from bole.core.api import Pages, UnknownReference
from bole.core.scoping import own_person_id

from . import selectors, services

router = Router(tags=["evaluation"])


class EvaluationOut(Schema):
    id: int
    name: str
    kind: str
    status: str
    rule: str
    unit_id: int | None
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None


class EvaluationFilters(FilterSchema):
    status: str | None = None


class Answer(Schema):
    subject_id: int
    criterion_id: int
    score: float | None = None  # null = 不了解


class BallotIn(Schema):
    token: str
    answers: list[Answer]


class Message(Schema):
    detail: str
    code: str = ""


class SubjectOut(Schema):
    id: int
    label: str


class CriterionOut(Schema):
    id: int
    name: str
    max_score: float
    weight: float


class BallotFormOut(Schema):
    evaluation: str
    group: str
    allow_unknown: bool
    subjects: list[SubjectOut]
    criteria: list[CriterionOut]


class ScoresIn(Schema):
    subject_id: int
    scores: dict[int, float]


class RateOut(Schema):
    group: str
    expected: int
    issued: int
    ballots: int
    waiting: int  # of `ballots`, those not yet mixed into the ballot table (all are at close)
    rate: float | None


class ResultRowOut(Schema):
    subject_id: int
    person_id: int | None
    label: str
    rank: int
    final_score: float | None
    score_lo: float | None
    score_hi: float | None
    rank_lo: int
    rank_hi: int
    group_scores: dict
    n_ratings: int
    raw_mean: float | None
    trimmed_mean: float | None
    fair_average: float | None
    flags: list[str]
    panel: int  # 0: one list; 1, 2, ...: the panel the rank is within (panels that never share a judge)


class EvaluationResultOut(Schema):
    evaluation_id: int
    rule: str
    engine: str
    engine_version: str
    parameters: dict
    summary: dict
    computed_at: dt.datetime
    rows: list[ResultRowOut]


_STATUS = {"unknown": 404, "used": 409, "closed": 403, "invalid": 400}


@router.get("/evaluations", response=list[EvaluationOut])
@paginate(Pages)
def evaluations(request, filters: Query[EvaluationFilters]):
    """Evaluations in the caller's scope."""
    return filters.filter(selectors.evaluation_list(user=request.auth)).order_by("id")


@router.get("/evaluations/{pk}", response=EvaluationOut)
def evaluation(request, pk: int):
    return selectors.evaluation_get(user=request.auth, pk=pk)


@router.get("/evaluations/{pk}/rates", response=list[RateOut])
@paginate(Pages)
def rates(request, pk: int):
    """Live response rate per rater group (organisers only)."""
    ev = selectors.evaluation_get(user=request.auth, pk=pk, action="change")
    return [{"group": r["group"].code, "expected": r["expected"], "issued": r["issued"], "ballots": r["ballots"],
             "waiting": r["waiting"], "rate": r["rate"]} for r in selectors.response_rates(evaluation=ev)]


@router.get("/evaluations/{pk}/results", response={200: EvaluationResultOut, 409: Message})
def results(request, pk: int):
    """Stored results (organisers; subjects see their own row once published). 409 while results are hidden."""
    ev = selectors.evaluation_get(user=request.auth, pk=pk)
    result = selectors.current_result(evaluation=ev)
    manager = selectors.is_manager(request.auth, ev)
    if result is None or (not manager and ev.status != "published"):
        return Status(409, {"detail": "results are hidden until the evaluation is closed", "code": "hidden"})
    rows = selectors.result_rows(result=result)
    if not manager:
        rows = rows.filter(subject__person_id=own_person_id(request.auth) or -1)
    return {
        "evaluation_id": ev.pk, "rule": result.rule, "engine": result.engine,
        "engine_version": result.engine_version,
        "parameters": selectors.visible_parameters(result=result, manager=manager),
        "summary": selectors.visible_summary(result=result, manager=manager),
        "computed_at": result.computed_at,
        "rows": [{"subject_id": r.subject_id, "person_id": r.subject.person_id, "label": r.subject.label,
                  "rank": r.rank, "final_score": r.final_score, "score_lo": r.score_lo, "score_hi": r.score_hi,
                  "rank_lo": r.rank_lo, "rank_hi": r.rank_hi, "group_scores": r.group_scores,
                  "n_ratings": r.n_ratings, "raw_mean": r.raw_mean, "trimmed_mean": r.trimmed_mean,
                  "fair_average": r.fair_average, "flags": r.flags, "panel": r.panel} for r in rows],
    }


@router.get("/ballots/{token}", auth=None, response={200: BallotFormOut, 403: Message, 404: Message, 409: Message})
def ballot_form(request, token: str):
    """What to ask on the ballot behind a token (no login: the token is the credential)."""
    try:
        row = services.ballot_check(token=token)
    except services.BallotRejected as exc:
        return Status(_STATUS[exc.code], {"detail": exc.message, "code": exc.code})
    form = selectors.ballot_form(evaluation_id=row["evaluation_id"], group_id=row["group_id"])
    return {"evaluation": form["ev"].name, "group": form["group"].name, "allow_unknown": form["ev"].allow_unknown,
            "subjects": form["subjects"], "criteria": form["criteria"]}


@router.post("/ballots", auth=None, response={201: Message, 400: Message, 403: Message, 404: Message, 409: Message})
def ballot_submit(request, payload: BallotIn):
    """Cast an anonymous ballot with a one-time token: 201 once, 409 for a token already used."""
    answers = {(a.subject_id, a.criterion_id): a.score for a in payload.answers}
    try:
        services.ballot_submit(token=payload.token, answers=answers)
    except services.BallotRejected as exc:
        return Status(_STATUS[exc.code], {"detail": exc.message, "code": exc.code})
    return Status(201, {"detail": "ok", "code": "ok"})


@router.post("/evaluations/{pk}/scores", response={200: Message})
def judge_scores(request, pk: int, payload: ScoresIn):
    """A judge saves (revises) scores of one contestant: {criterion id: score}."""
    seat = selectors.judge_seat_get(user=request.auth, evaluation_id=pk)
    subject = seat.evaluation.subjects.filter(pk=payload.subject_id).first()
    if subject is None:
        raise UnknownReference("subject_id")
    services.judge_scores_save(seat=seat, subject=subject, scores=payload.scores, actor=request.auth)
    return {"detail": "saved", "code": "ok"}


@router.post("/evaluations/{pk}/submit", response={200: Message})
def judge_submit(request, pk: int):
    """A judge's final submission."""
    seat = selectors.judge_seat_get(user=request.auth, evaluation_id=pk)
    services.judge_submit(seat=seat, actor=request.auth)
    return {"detail": "submitted", "code": "ok"}


@router.post("/evaluations/{pk}/transition", response={200: EvaluationOut})
def transition(request, pk: int, to: str):
    """Move an evaluation to its next state (open, closed — computes results — or published)."""
    ev = selectors.evaluation_get(user=request.auth, pk=pk, action="transition")
    if not selectors.is_manager(request.auth, ev):
        raise PermissionDenied
    return services.evaluation_transition(evaluation=ev, to=to, actor=request.auth)


