"""Writes of the evaluation app: set-up, the state machine, ballots, judges' scores, reveal and results,
and sign-off panels (verdicts per attempt, conflict declarations)."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import threading
from collections import OrderedDict
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bole.core.audit import _plain, audit_record
from bole.core.choices import AuditAction
from bole.core.scoping import own_person_id, unit_covers
from bole.core.states import check_move
from bole.core.unique import one_per

from .choices import AggregationRule, EvaluationKind, EvaluationStatus, GroupCode, SignoffState, Verdict
from .compute import results_compute
from .models import (
    BallotToken,
    Criterion,
    Evaluation,
    EventJudge,
    JudgeScore,
    QueuedBallot,
    RaterGroup,
    Signoff,
    Subject,
)
from .permissions import policy

# draft → open → closed → published; an open evaluation may also be closed early, nothing goes back.
TRANSITIONS: dict[str, set[str]] = {
    EvaluationStatus.DRAFT: {EvaluationStatus.OPEN},
    EvaluationStatus.OPEN: {EvaluationStatus.CLOSED},
    EvaluationStatus.CLOSED: {EvaluationStatus.PUBLISHED},
    EvaluationStatus.PUBLISHED: set(),
}


def _check(actor, action: str, evaluation: Evaluation) -> None:
    """Services re-check the policy so API, views and scripts cannot bypass it (actor None = system)."""
    if actor is not None:
        policy.require(actor, action, evaluation)


def _require_status(evaluation: Evaluation, *allowed: str) -> None:
    if evaluation.status not in allowed:
        raise ValidationError(
            _("测评当前状态为“%(s)s”，不能进行此操作") % {"s": evaluation.get_status_display()}
        )


def _audit_create(actor, obj, fields: dict[str, Any]) -> None:
    audit_record(actor=actor, action=AuditAction.CREATE, obj=obj,
                 changes={k: [None, _plain(v)] for k, v in fields.items()})


# --- set-up ---------------------------------------------------------------------------------------


@transaction.atomic
def evaluation_create(*, actor, name: str, kind: str, unit=None, subject_kind: str = "person",
                      rule: str = "", trim_k: int = 1, allow_unknown: bool = True, block_own_unit: bool = True,
                      description: str = "", opens_at=None, closes_at=None) -> Evaluation:
    """Create a rating event in draft; the rule defaults to the fairest one for its kind."""
    if not rule:
        rule = AggregationRule.GROUP_MEAN if kind == EvaluationKind.BALLOT else AggregationRule.SEVERITY
    if kind == EvaluationKind.BALLOT and rule == AggregationRule.SEVERITY:
        raise ValidationError({"rule": _("匿名测评没有评委，不能使用评委宽严校正")})
    if actor is not None:
        if not policy.allows(actor, "add", Evaluation):
            raise PermissionDenied
        if not policy.may(actor, "configure") and not unit_covers(actor, unit):
            raise ValidationError({"unit": _("请选择本单位（或下级单位）作为组织单位")})
    ev = Evaluation(
        name=(name or "").strip(), kind=kind, unit=unit, subject_kind=subject_kind, rule=rule, trim_k=trim_k,
        allow_unknown=allow_unknown, block_own_unit=block_own_unit, description=description,
        opens_at=opens_at, closes_at=closes_at, created_by=actor if getattr(actor, "pk", None) else None,
    )
    ev.full_clean()
    ev.save()
    _audit_create(actor, ev, {"name": ev.name, "kind": kind, "rule": rule, "unit": unit})
    return ev


@transaction.atomic
def criterion_add(*, evaluation: Evaluation, name: str, max_score: float = 10, weight: float = 1,
                  actor) -> Criterion:
    """Add a criterion (评分项) while the evaluation is a draft."""
    _check(actor, "change", evaluation)
    _require_status(evaluation, EvaluationStatus.DRAFT)
    crit = Criterion(evaluation=evaluation, name=(name or "").strip(), max_score=max_score, weight=weight,
                     sort=evaluation.criteria.count())
    crit.full_clean()
    crit.save()
    _audit_create(actor, crit, {"evaluation": evaluation, "name": crit.name, "max_score": max_score,
                                "weight": weight})
    return crit


@transaction.atomic
def rater_group_add(*, evaluation: Evaluation, code: str, weight: float, expected_count: int = 0, name: str = "",
                    actor) -> RaterGroup:
    """Add a rater group (领导/同事/下属/群众) with its weight while the evaluation is a draft."""
    _check(actor, "change", evaluation)
    _require_status(evaluation, EvaluationStatus.DRAFT)
    if code not in GroupCode.values:
        raise ValidationError({"code": _("未知的测评人类别")})
    group = RaterGroup(evaluation=evaluation, code=code, name=name or GroupCode(code).label, weight=weight,
                       expected_count=expected_count, sort=evaluation.groups.count())
    group.full_clean()
    group.save()
    _audit_create(actor, group, {"evaluation": evaluation, "code": code, "weight": weight,
                                 "expected_count": expected_count})
    return group


@transaction.atomic
def subject_add(*, evaluation: Evaluation, label: str = "", person=None, unit=None, panel: str = "",
                actor) -> Subject:
    """Add a subject (被测评对象/选手); a person's unit is recorded for the judges' conflict-of-interest rule.

    A sitting sign-off panel also takes new subjects (a standing 验收组 receives items as they come)."""
    _check(actor, "change", evaluation)
    if evaluation.is_signoff:
        _require_status(evaluation, EvaluationStatus.DRAFT, EvaluationStatus.OPEN)
    else:
        _require_status(evaluation, EvaluationStatus.DRAFT)
    if person is not None:
        label = label or person.name
        unit = unit or person.unit
    def listed() -> bool:
        return person is not None and evaluation.subjects.filter(person=person).exists()

    if listed():
        raise ValidationError({"person": _("该人员已是测评对象")})
    subject = Subject(evaluation=evaluation, label=(label or "").strip(), person=person, unit=unit, panel=panel,
                      sort=evaluation.subjects.count() + 1)
    with one_per(listed, {"person": _("该人员已是测评对象")}):
        subject.full_clean()
        subject.save()
    _audit_create(actor, subject, {"evaluation": evaluation, "label": subject.label, "person": person,
                                   "unit": unit, "panel": panel})
    return subject


@transaction.atomic
def judge_add(*, evaluation: Evaluation, user=None, person=None, name: str = "", unit=None, panel: str = "",
              is_chair: bool = False, actor) -> EventJudge:
    """Seat a judge on an event (draft or open); the judge's unit drives the 回避 rule.

    Contests and review panels seat judge accounts. A sign-off panel seats people (by person, or by an
    account linked to a person): members sign with their own login or have verdicts recorded from minutes.
    """
    _check(actor, "change", evaluation)
    _require_status(evaluation, EvaluationStatus.DRAFT, EvaluationStatus.OPEN)
    if evaluation.is_signoff:
        if person is None and user is not None:
            person = getattr(getattr(user, "account", None), "person", None)
        if person is None:
            raise ValidationError({"person": _("请选择验收评审组成员")})
        def seated() -> bool:
            return EventJudge.objects.filter(evaluation=evaluation, person=person).exists()

        taken = {"person": _("该人员已在本评审组中")}
        if seated():
            raise ValidationError(taken)
        unit = unit or person.unit
        name = name or person.name
    else:
        if not evaluation.is_judged:
            raise ValidationError(_("匿名测评不设评委"))
        account = getattr(user, "account", None)
        if account is None or not policy.may(user, "judge"):
            raise ValidationError({"user": _("只有“评委”角色的账号可以担任评委")})
        if unit is None and account.person_id:
            unit = account.person.unit
        def seated() -> bool:
            return EventJudge.objects.filter(evaluation=evaluation, user=user).exists()

        taken = {"user": _("该账号已是本场评委")}
        if seated():
            raise ValidationError(taken)
        name = name or user.get_full_name() or user.get_username()
    seat = EventJudge(evaluation=evaluation, user=user, person=person, name=name, unit=unit, panel=panel,
                      is_chair=is_chair, sort=evaluation.judges.count() + 1)
    with one_per(seated, taken):
        seat.full_clean()
        seat.save()
    _audit_create(actor, seat, {"evaluation": evaluation, "user": user, "person": person, "unit": unit,
                                "panel": panel, "is_chair": is_chair})
    return seat


@transaction.atomic
def tokens_issue(*, evaluation: Evaluation, group: RaterGroup, count: int, actor) -> int:
    """Generate `count` one-time ballot tokens for a rater group (printed as QR codes or sent as links)."""
    _check(actor, "change", evaluation)
    _require_status(evaluation, EvaluationStatus.DRAFT, EvaluationStatus.OPEN)
    if evaluation.kind != EvaluationKind.BALLOT:
        raise ValidationError(_("只有匿名测评需要测评码"))
    if group.evaluation_id != evaluation.pk:
        raise ValidationError({"group": _("测评人类别不属于本测评")})
    if not 1 <= count <= 5000:
        raise ValidationError({"count": _("一次可生成 1–5000 个测评码")})
    BallotToken.objects.bulk_create(
        [BallotToken(evaluation=evaluation, group=group, token=secrets.token_urlsafe(16)) for _i in range(count)]
    )
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=evaluation,
                 changes={"tokens_issued": [None, {"group": group.code, "count": count}]})
    return count


# Tokens made at a time for `token_hand_out`: enough that the order they are handed in says nothing of who took
# which (a random unhanded one is picked each time), few enough that unused ones cost nothing.
HAND_OUT_BATCH = 50


def token_hand_out(*, evaluation: Evaluation, group: RaterGroup) -> str:
    """One unused token of the group, picked at random among those not handed out yet and marked handed, for a
    mechanism that gives each eligible person one ballot link (a session's attendees): the caller records that
    the person got a link, never which. Issues a new batch when none is left. The evaluation must be open."""
    if evaluation.status != EvaluationStatus.OPEN:
        raise ValidationError(_("本次测评未开放或已结束，不再接收选票"))
    free = BallotToken.objects.filter(evaluation=evaluation, group=group, used=False, handed=False)
    for _attempt in range(5):
        ids = list(free.values_list("pk", flat=True)[:HAND_OUT_BATCH])
        if not ids:
            tokens_issue(evaluation=evaluation, group=group, count=HAND_OUT_BATCH, actor=None)
            continue
        pk = secrets.choice(ids)
        if BallotToken.objects.filter(pk=pk, handed=False).update(handed=True) == 1:
            return BallotToken.objects.values_list("token", flat=True).get(pk=pk)
    raise ValidationError(_("系统繁忙，请稍后再试"))


# --- the state machine ----------------------------------------------------------------------------


def _ready_to_open(evaluation: Evaluation) -> None:
    errors = []
    if evaluation.is_signoff:
        # A sign-off panel sits once it has members; subjects arrive while it sits.
        if not evaluation.judges.exists():
            errors.append(_("还没有评审组成员"))
        if errors:
            raise ValidationError(errors)
        return
    if not evaluation.subjects.exists():
        errors.append(_("还没有测评对象"))
    if not evaluation.criteria.exists():
        errors.append(_("还没有评分指标"))
    if evaluation.kind == EvaluationKind.BALLOT:
        if not evaluation.groups.exists():
            errors.append(_("还没有测评人类别"))
        elif sum(g.weight for g in evaluation.groups.all()) <= 0:
            errors.append(_("测评人类别权重之和必须大于 0"))
    elif not evaluation.judges.exists():
        errors.append(_("还没有评委"))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def evaluation_transition(*, evaluation: Evaluation, to: str, actor) -> Evaluation:
    """The only way an evaluation changes state; closing mixes every ballot still queued (anonymous ballots)
    and computes results (of scored kinds), publishing shows them to subjects. Closing a sign-off panel ends
    it: no more verdicts or declarations."""
    ev = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    _check(actor, "transition", ev)
    check_move(TRANSITIONS, EvaluationStatus, ev.status, to)
    if to == EvaluationStatus.OPEN:
        _ready_to_open(ev)
    if to == EvaluationStatus.PUBLISHED and not ev.results.filter(is_current=True).exists():
        raise ValidationError(_("还没有计算结果"))
    before = ev.status
    ev.status = to
    if to == EvaluationStatus.OPEN and ev.opens_at is None:
        ev.opens_at = timezone.now()
    if to == EvaluationStatus.CLOSED:
        ev.closes_at = timezone.now()
    ev.save(update_fields=["status", "opens_at", "closes_at"])
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=ev, changes={"status": [before, to]})
    if to == EvaluationStatus.CLOSED and ev.kind == EvaluationKind.BALLOT:
        from .mixer import ballots_flush  # the mixer imports this module (the ballot write turn)

        ballots_flush(evaluation=ev, actor=actor)
    if to == EvaluationStatus.CLOSED and not ev.is_signoff:
        results_compute(evaluation=ev, actor=actor)
    evaluation.status, evaluation.opens_at, evaluation.closes_at = ev.status, ev.opens_at, ev.closes_at
    return ev


# --- anonymous ballots ----------------------------------------------------------------------------


class BallotRejected(Exception):
    """A ballot that cannot be accepted; `code` is unknown | used | closed | invalid."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


# An open evaluation's subjects and criteria cannot change (set-up is draft-only), so each process keeps
# them once instead of re-reading them on every ballot. The key includes the opening time, so a reused id
# (a database emptied and refilled, as between tests) never meets another evaluation's entry.
_STRUCTURE: OrderedDict[tuple, tuple[frozenset[int], dict[int, float]]] = OrderedDict()


def _structure(evaluation_id: int, opened) -> tuple[frozenset[int], dict[int, float]]:
    key = (evaluation_id, str(opened))
    hit = _STRUCTURE.get(key)
    if hit is None:
        subjects = frozenset(Subject.objects.filter(evaluation_id=evaluation_id).values_list("id", flat=True))
        criteria = dict(Criterion.objects.filter(evaluation_id=evaluation_id).values_list("id", "max_score"))
        hit = (subjects, criteria)
        _STRUCTURE[key] = hit
        while len(_STRUCTURE) > 64:
            _STRUCTURE.popitem(last=False)
    return hit


_CHECK_SQL = None


def ballot_check(*, token: str) -> dict:
    """The token's evaluation and group if a ballot may be cast with it; raises BallotRejected otherwise."""
    # The hottest read of the platform (every ballot): one hand-written join instead of the ORM's
    # query compilation keeps a submission to a few milliseconds.
    global _CHECK_SQL
    if _CHECK_SQL is None:
        _CHECK_SQL = (
            f"SELECT t.id, t.used, t.group_id, t.evaluation_id, e.status, e.allow_unknown, e.opens_at "  # noqa: S608
            f"FROM {BallotToken._meta.db_table} t JOIN {Evaluation._meta.db_table} e ON e.id = t.evaluation_id "
            f"WHERE t.token = %s"  # table names come from the models, values are parameters
        )
    with connection.cursor() as cur:
        cur.execute(_CHECK_SQL, [token])
        found = cur.fetchone()
    if found is None:
        raise BallotRejected("unknown", _("测评码无效，请核对链接或二维码"))
    keys = ("id", "used", "group_id", "evaluation_id", "evaluation__status", "evaluation__allow_unknown",
            "evaluation__opens_at")
    row = dict(zip(keys, found, strict=True))
    if row["evaluation__status"] != EvaluationStatus.OPEN:
        raise BallotRejected("closed", _("本次测评未开放或已结束，不再接收选票"))
    if row["used"]:
        raise BallotRejected("used", _("该测评码已经使用过，每个测评码只能投一次票"))
    return row


def _clean_answers(row: dict, answers: dict[tuple[int, int], float | None]) -> list[tuple[int, int, float | None]]:
    subjects, criteria = _structure(row["evaluation_id"], row["evaluation__opens_at"])
    out = []
    for (sid, cid), value in answers.items():
        if sid not in subjects or cid not in criteria:
            raise BallotRejected("invalid", _("选票内容与本次测评不符"))
        if value is None:
            if not row["evaluation__allow_unknown"]:
                raise BallotRejected("invalid", _("本次测评不允许选择“不了解”"))
        elif not 0 <= float(value) <= criteria[cid]:
            raise BallotRejected("invalid", _("分数超出范围（0–%(m)s）") % {"m": f"{criteria[cid]:g}"})
        out.append((sid, cid, None if value is None else float(value)))
    if len(out) != len(subjects) * len(criteria):
        raise BallotRejected("invalid", _("请对每位对象的每项指标打分（或选择“不了解”）"))
    return out


# SQLite has one writer at a time. Ballot writers queue on a thread lock plus an flock on a file next to
# the database (shared by the server's worker processes) instead of in SQLite's busy handler, whose
# sleep-and-retry backoff wastes most of the time the write lock is free.
_SQLITE_WRITER = threading.Lock()
_LOCK_FILES: dict[str, int] = {}


@contextlib.contextmanager
def _write_turn():
    if connection.vendor != "sqlite":
        yield
        return
    import fcntl

    path = f"{connection.settings_dict['NAME']}-ballots.lock"
    with _SQLITE_WRITER:
        fd = _LOCK_FILES.get(path)
        if fd is None:
            fd = _LOCK_FILES[path] = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)


def _seal(cleaned: list[tuple[int, int, float | None]]) -> str:
    """The queued form of a ballot's answers, in a fixed order so the client's order leaves no trace."""
    return json.dumps(sorted(cleaned), separators=(",", ":"))


def ballot_submit(*, token: str, answers: dict[tuple[int, int], float | None]) -> None:
    """Cast one anonymous ballot: the token flips to used and the sealed ballot joins the evaluation's queue,
    in one transaction; the mixer (`mixer.ballots_mix`) later moves it, shuffled among others, into `Ballot`.

    The conditional UPDATE (… WHERE used = false) inside the transaction that queues the ballot lets exactly
    one of any number of simultaneous submissions of a token through; the checks before it only produce
    friendly messages early. The status is read again inside the transaction (on PostgreSQL under FOR KEY
    SHARE, which a closing transaction's FOR UPDATE waits for), so a ballot is either in the queue the close
    flushes or refused as closed. The queued row holds no token, time or device, and ballots are not audited
    one by one: an audit row's exact time and request id would link a ballot to its token.
    """
    row = ballot_check(token=token)
    sealed = _seal(_clean_answers(row, answers))
    global _STATUS_SQL
    if _STATUS_SQL is None:
        lock = " FOR KEY SHARE" if connection.vendor == "postgresql" else ""  # SQLite: the write lock is held
        _STATUS_SQL = f"SELECT status FROM {Evaluation._meta.db_table} WHERE id = %s{lock}"  # noqa: S608
    token_t, queue_t = BallotToken._meta.db_table, QueuedBallot._meta.db_table
    with _write_turn(), transaction.atomic(), connection.cursor() as cur:
        # Table names come from the models; every value is a query parameter.
        cur.execute(_STATUS_SQL, [row["evaluation_id"]])
        if cur.fetchone()[0] != EvaluationStatus.OPEN:
            raise BallotRejected("closed", _("本次测评未开放或已结束，不再接收选票"))
        cur.execute(f"UPDATE {token_t} SET used = %s WHERE id = %s AND used = %s",  # noqa: S608
                    [True, row["id"], False])
        if cur.rowcount != 1:
            raise BallotRejected("used", _("该测评码已经使用过，每个测评码只能投一次票"))
        cur.execute(f"INSERT INTO {queue_t} (evaluation_id, group_id, answers) VALUES (%s, %s, %s)",  # noqa: S608
                    [row["evaluation_id"], row["group_id"], sealed])


_STATUS_SQL = None


# --- judges ---------------------------------------------------------------------------------------


def judge_may_score(seat: EventJudge, subject: Subject) -> bool:
    """Panel assignment and the own-unit (回避) rule: whether this judge scores this contestant."""
    if seat.panel and subject.panel and seat.panel != subject.panel:
        return False
    ev = seat.evaluation
    return not (ev.block_own_unit and seat.unit_id and subject.unit_id == seat.unit_id)


@transaction.atomic
def judge_scores_save(*, seat: EventJudge, subject: Subject, scores: dict[int, float], actor) -> list[JudgeScore]:
    """Save (or revise) a judge's scores of one contestant; refused after the judge has submitted."""
    seat = EventJudge.objects.select_for_update().select_related("evaluation").get(pk=seat.pk)
    if actor is not None and seat.user_id != actor.pk:
        raise PermissionDenied
    _require_status(seat.evaluation, EvaluationStatus.OPEN)
    if seat.submitted_at is not None:
        raise ValidationError(_("您已提交评分，不能再修改"))
    if subject.evaluation_id != seat.evaluation_id:
        raise ValidationError(_("选手不属于本场比赛"))
    if not judge_may_score(seat, subject):
        raise ValidationError(_("按回避规定，您不能为本单位（或其他评审组）的选手打分"))
    criteria = {c.pk: c for c in seat.evaluation.criteria.all()}
    errors = {}
    for cid, value in scores.items():
        crit = criteria.get(int(cid))
        if crit is None:
            raise ValidationError(_("评分项不属于本场比赛"))
        if value is None or not 0 <= float(value) <= crit.max_score:
            errors[str(cid)] = _("“%(c)s”的分数应在 0–%(m)s 之间") % {"c": crit.name, "m": f"{crit.max_score:g}"}
    if errors:
        raise ValidationError(errors)
    existing = {s.criterion_id: s for s in JudgeScore.objects.filter(judge=seat, subject=subject)}
    saved = []
    changes = {}
    for cid, value in scores.items():
        cid, value = int(cid), float(value)
        row = existing.get(cid)
        if row is None:
            row = JudgeScore.objects.create(evaluation_id=seat.evaluation_id, judge=seat, subject=subject,
                                            criterion_id=cid, score=value)
            changes[criteria[cid].name] = [None, value]
        elif row.score != value:
            changes[criteria[cid].name] = [row.score, value]
            row.score = value
            row.save(update_fields=["score", "updated_at"])
        saved.append(row)
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=seat,
                     changes={"subject": [None, subject.pk], **changes})
    return saved


@transaction.atomic
def judge_submit(*, seat: EventJudge, actor) -> EventJudge:
    """A judge's final submission: every assigned contestant scored on every criterion, then frozen."""
    seat = EventJudge.objects.select_for_update().select_related("evaluation").get(pk=seat.pk)
    if actor is not None and seat.user_id != actor.pk:
        raise PermissionDenied
    _require_status(seat.evaluation, EvaluationStatus.OPEN)
    if seat.evaluation.is_signoff:
        raise ValidationError(_("验收评审逐项签署，无需整体提交"))
    if seat.submitted_at is not None:
        return seat
    n_criteria = seat.evaluation.criteria.count()
    subjects = [s for s in seat.evaluation.subjects.all() if judge_may_score(seat, s)]
    done = JudgeScore.objects.filter(judge=seat).values("subject_id").distinct().count()
    n_scores = JudgeScore.objects.filter(judge=seat).count()
    if done < len(subjects) or n_scores < len(subjects) * n_criteria:
        raise ValidationError(_("还有选手未完成评分（%(d)s/%(n)s），请全部打分后再提交") % {"d": done, "n": len(subjects)})
    seat.submitted_at = timezone.now()
    seat.save(update_fields=["submitted_at"])
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=seat, changes={"submitted": [False, True]})
    return seat


@transaction.atomic
def subject_reveal(*, subject: Subject, revealed: bool, actor) -> Subject:
    """The host shows (or hides) a contestant's scores on the big screen."""
    ev = subject.evaluation
    _check(actor, "change", ev)
    _require_status(ev, EvaluationStatus.OPEN, EvaluationStatus.CLOSED, EvaluationStatus.PUBLISHED)
    if subject.revealed != revealed:
        subject.revealed = revealed
        subject.save(update_fields=["revealed"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=subject, changes={"revealed": [not revealed, revealed]})
    return subject


# --- sign-off panels (验收评审) ----------------------------------------------------------------------

# idle → pending (attempt 1) → closed (decided by the organiser) → pending again (a re-submission, attempt + 1).
SIGNOFF_TRANSITIONS: dict[str, set[str]] = {
    SignoffState.IDLE: {SignoffState.PENDING},
    SignoffState.PENDING: {SignoffState.CLOSED},
    SignoffState.CLOSED: {SignoffState.PENDING},
}


def _require_signoff(evaluation: Evaluation) -> None:
    if not evaluation.is_signoff:
        raise ValidationError(_("只有验收评审（通过/不通过）才有此操作"))


def _acts_for_seat(actor, seat: EventJudge) -> bool:
    """The member themself: their own seat account, or the cadre login of the seated person."""
    if actor is None:
        return True
    if seat.user_id is not None and seat.user_id == actor.pk:
        return True
    return seat.person_id is not None and own_person_id(actor) == seat.person_id


def _may_manage(actor, evaluation: Evaluation) -> bool:
    return actor is None or (policy.allows(actor, "change", Evaluation)
                             and policy.restrict(Evaluation.objects.filter(pk=evaluation.pk), actor, "change").exists())


@transaction.atomic
def subject_signoff_transition(*, subject: Subject, to: str, actor) -> Subject:
    """The only way a subject's sign-off round changes: opening a round (again) starts a new attempt, whose
    verdicts alone count; closing it records that the organiser has decided."""
    subject = Subject.objects.select_for_update().select_related("evaluation").get(pk=subject.pk)
    ev = subject.evaluation
    _require_signoff(ev)
    _check(actor, "transition", ev)
    check_move(SIGNOFF_TRANSITIONS, SignoffState, subject.signoff_state, to)
    if to == SignoffState.PENDING:
        _require_status(ev, EvaluationStatus.DRAFT, EvaluationStatus.OPEN)
    before, before_attempt = subject.signoff_state, subject.attempt
    subject.signoff_state = to
    if to == SignoffState.PENDING:
        subject.attempt += 1
    subject.save(update_fields=["signoff_state", "attempt"])
    changes: dict[str, Any] = {"signoff_state": [before, to]}
    if subject.attempt != before_attempt:
        changes["attempt"] = [before_attempt, subject.attempt]
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=subject, changes=changes)
    return subject


@transaction.atomic
def judge_conflict_declare(*, seat: EventJudge, reason: str, actor) -> EventJudge:
    """申请回避: a sign-off member declares a conflict of interest; from then on they are not counted and
    cannot sign. Declared by the member, or by the organiser on their behalf."""
    seat = EventJudge.objects.select_for_update().select_related("evaluation").get(pk=seat.pk)
    ev = seat.evaluation
    _require_signoff(ev)
    if not (_acts_for_seat(actor, seat) or _may_manage(actor, ev)):
        raise PermissionDenied
    _require_status(ev, EvaluationStatus.DRAFT, EvaluationStatus.OPEN)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"conflict_reason": _("请说明回避事由")})
    if seat.conflicted:
        raise ValidationError(_("已申请回避"))
    seat.conflict_reason = reason[:200]
    seat.conflict_declared_at = timezone.now()
    seat.save(update_fields=["conflict_reason", "conflict_declared_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=seat,
                 changes={"conflict_reason": [None, seat.conflict_reason]})
    return seat


@transaction.atomic
def signoff_record(*, seat: EventJudge, subject: Subject, verdict: str, actor, opinion: str = "") -> Signoff:
    """A member's pass/fail on the subject's current attempt: given by the member on their phone, or entered
    by the organiser from the meeting minutes. Final once given; a new attempt asks again."""
    seat = EventJudge.objects.select_related("evaluation").get(pk=seat.pk)
    subject = Subject.objects.select_for_update().get(pk=subject.pk)
    ev = seat.evaluation
    _require_signoff(ev)
    if subject.evaluation_id != seat.evaluation_id:
        raise ValidationError(_("不属于本评审组"))
    if not (_acts_for_seat(actor, seat) or _may_manage(actor, ev)):
        raise PermissionDenied
    _require_status(ev, EvaluationStatus.OPEN)
    if seat.conflicted:
        raise ValidationError(_("已申请回避，不能签署"))
    if subject.signoff_state != SignoffState.PENDING:
        raise ValidationError(_("该事项不在待签署状态"))
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": _("请选择通过或不通过")})
    opinion = (opinion or "").strip()
    if verdict == Verdict.FAIL and not opinion:
        raise ValidationError({"opinion": _("不通过时请写明意见")})
    def signed() -> bool:
        return Signoff.objects.filter(judge=seat, subject=subject, attempt=subject.attempt).exists()

    if signed():
        raise ValidationError(_("已签署过本次验收"))
    row = Signoff(evaluation=ev, judge=seat, subject=subject, attempt=subject.attempt, verdict=verdict,
                  opinion=opinion[:300], recorded_by=actor if getattr(actor, "pk", None) else None)
    with one_per(signed, _("已签署过本次验收")):
        row.full_clean()
        row.save()
    _audit_create(actor, row, {"judge": seat, "subject": subject, "attempt": row.attempt, "verdict": verdict,
                               "opinion": row.opinion})
    return row
