"""Writes of the challenge board: publishing, applications, award, progress, panel sign-off, points."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bole.core import periods
from bole.core.audit import audit_record, diff, snapshot
from bole.core.choices import AuditAction
from bole.core.records import record_create
from bole.core.scoping import own_person_id, unit_covers
from bole.core.states import check_move, move_refused
from bole.core.unique import one_per
from bole.ledger.services import point_category_ensure, points_post

from . import acceptance
from .choices import ApplicationStatus, ChallengeStatus, Closure, MilestoneStatus
from .models import (
    Challenge,
    ChallengeApplication,
    ChallengeHolder,
    Milestone,
    ProgressReport,
)
from .permissions import policy

CATEGORY_CODE = "challenge"

S = ChallengeStatus
# The challenge workflow; every status change goes through challenge_transition.
TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.PUBLISHED, S.WITHDRAWN},
    S.PUBLISHED: {S.AWARDED, S.WITHDRAWN},
    S.AWARDED: {S.IN_PROGRESS, S.WITHDRAWN},
    S.IN_PROGRESS: {S.DELIVERED, S.FAILED, S.WITHDRAWN},
    S.DELIVERED: {S.ACCEPTED, S.FAILED, S.IN_PROGRESS},
    S.ACCEPTED: set(),
    S.FAILED: set(),
    S.WITHDRAWN: set(),
}
# Moves a holder may make on their own challenge; everything else is the publisher's.
HOLDER_MOVES = {(S.AWARDED, S.IN_PROGRESS), (S.IN_PROGRESS, S.DELIVERED), (S.AWARDED, S.WITHDRAWN),
                (S.IN_PROGRESS, S.WITHDRAWN)}
# Which closures a terminal failure or withdrawal may carry: 容错 is a failure, never a withdrawal.
CLOSURES = {S.FAILED: {Closure.TOLERATED, Closure.NOT_MET}, S.WITHDRAWN: {Closure.ABANDONED, Closure.CANCELLED}}

A = ApplicationStatus
APPLICATION_TRANSITIONS: dict[str, set[str]] = {
    A.SUBMITTED: {A.SHORTLISTED, A.DECLINED, A.WITHDRAWN},
    A.SHORTLISTED: {A.CHOSEN, A.DECLINED, A.WITHDRAWN},
    A.CHOSEN: set(),
    A.DECLINED: set(),
    A.WITHDRAWN: set(),
}

M = MilestoneStatus
MILESTONE_TRANSITIONS: dict[str, set[str]] = {
    M.OPEN: {M.SUBMITTED},
    M.SUBMITTED: {M.ACCEPTED, M.RETURNED},
    M.RETURNED: {M.SUBMITTED},
    M.ACCEPTED: set(),
}


# --- helpers ---------------------------------------------------------------------------------------


def _today(on: dt.date | None) -> dt.date:
    return on or timezone.localdate()


def is_manager(actor, challenge: Challenge) -> bool:
    """Whether the actor runs this challenge (admin, or a unit admin over the publishing unit)."""
    if actor is None:
        return True
    return policy.restrict(Challenge.objects.filter(pk=challenge.pk), actor, "transition").exists()


def _person_id(actor) -> int | None:
    return own_person_id(actor)


def is_holder(actor, challenge: Challenge) -> bool:
    pid = _person_id(actor)
    return pid is not None and challenge.holders.filter(person_id=pid).exists()


def _require_manager(actor, challenge: Challenge) -> None:
    if not is_manager(actor, challenge):
        raise PermissionDenied


def challenge_category():
    """The ledger category 揭榜挂帅 points are posted under (created on first use, auto-approved)."""
    return point_category_ensure(code=CATEGORY_CODE, name=gettext_noop("揭榜挂帅"), auto_approve=True, sort=20)


def _post_points(*, challenge: Challenge, amount: Decimal, source, reason: str, day: dt.date, actor) -> int:
    """Split `amount` equally between the holders and post each share to the ledger (idempotent per source)."""
    holders = list(challenge.holders.select_related("person"))
    if amount <= 0 or not holders:
        return 0
    share = (Decimal(amount) / len(holders)).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    if share <= 0:
        return 0
    category = challenge_category()
    for h in holders:
        points_post(person=h.person, period=periods.of(day), category=category, points=share, reason=reason,
                    source=source, actor=actor)
    return len(holders)


# --- set-up ----------------------------------------------------------------------------------------


_FIELDS = ("title", "field", "goal", "criteria", "incentive_points", "incentive_text", "pay_per_milestone",
           "team_allowed", "apply_until", "deadline")


@transaction.atomic
def challenge_create(*, actor, publisher_unit, title: str, goal: str, criteria: str, apply_until: dt.date,
                     deadline: dt.date, field: str = "other", incentive_points: Decimal | int = 0,
                     incentive_text: str = "", pay_per_milestone: bool = False, team_allowed: bool = False,
                     milestones: Sequence[dict] = ()) -> Challenge:
    """Draft a challenge for a unit in the actor's scope, optionally with its milestones."""
    if actor is not None:
        if not policy.allows(actor, "add", Challenge):
            raise PermissionDenied
        if not unit_covers(actor, publisher_unit):
            raise ValidationError({"publisher_unit": _("只能以本单位（或下级单位）名义发榜")})
    ch = record_create(model=Challenge, actor=actor, data={
        "publisher_unit": publisher_unit, "title": (title or "").strip(), "field": field, "goal": goal,
        "criteria": criteria, "incentive_points": Decimal(str(incentive_points)), "incentive_text": incentive_text,
        "pay_per_milestone": pay_per_milestone, "team_allowed": team_allowed, "apply_until": apply_until,
        "deadline": deadline, "created_by": actor if getattr(actor, "pk", None) else None})
    for m in milestones:
        milestone_add(challenge=ch, actor=actor, **m)
    return ch


@transaction.atomic
def challenge_update(*, challenge: Challenge, actor, **data) -> Challenge:
    """Edit a challenge while it is still a draft."""
    _require_manager(actor, challenge)
    if challenge.status != S.DRAFT:
        raise ValidationError(_("只有草稿状态的榜单可以修改"))

    before = snapshot(challenge, _FIELDS)
    for key, value in data.items():
        if key not in _FIELDS:
            raise ValidationError({key: _("该字段不能修改")})
        setattr(challenge, key, value)
    challenge.full_clean()
    changes = diff(before, snapshot(challenge, _FIELDS))
    if changes:
        challenge.save()
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=challenge, changes=changes)
    return challenge


def _milestone_points_check(challenge: Challenge, extra: Decimal) -> None:
    total = sum((m.points for m in challenge.milestones.all()), Decimal(0)) + extra
    if total > challenge.incentive_points:
        raise ValidationError({"points": _("各节点积分之和（%(t)s）不能超过激励积分（%(p)s）")
                               % {"t": total, "p": challenge.incentive_points}})


@transaction.atomic
def milestone_add(*, challenge: Challenge, title: str, due_date: dt.date, points: Decimal | int = 0,
                  actor) -> Milestone:
    """Add a milestone before the challenge is awarded; its points only count when paid per milestone."""
    _require_manager(actor, challenge)
    if challenge.status not in {S.DRAFT, S.PUBLISHED}:
        raise ValidationError(_("定榜后不能再增加节点"))
    points = Decimal(str(points or 0))
    if due_date > challenge.deadline:
        raise ValidationError({"due_date": _("节点期限不能晚于完成期限")})
    _milestone_points_check(challenge, points)
    return record_create(model=Milestone, actor=actor, data={
        "challenge": challenge, "title": (title or "").strip(), "due_date": due_date, "points": points,
        "sort": challenge.milestones.count() + 1})


# --- the challenge state machine -------------------------------------------------------------------


def _check_move(ch: Challenge, to: str, actor, closure: str, on: dt.date) -> None:
    check_move(TRANSITIONS, ChallengeStatus, ch.status, to)
    if not is_manager(actor, ch) and not ((ch.status, to) in HOLDER_MOVES and is_holder(actor, ch)):
        raise PermissionDenied
    if to in CLOSURES:
        if closure not in CLOSURES[to]:
            raise ValidationError({"closure": _("请选择结束情形")})
        if closure == Closure.ABANDONED and not ch.holders.exists():
            raise ValidationError({"closure": _("尚未定榜，不存在揭榜人放弃")})
        if closure == Closure.CANCELLED and not is_manager(actor, ch):
            raise PermissionDenied
        if closure == Closure.ABANDONED and ch.status not in {S.AWARDED, S.IN_PROGRESS}:
            raise ValidationError({"closure": _("当前状态不能放弃")})
    if to == S.PUBLISHED:
        if not ch.milestones.exists():
            raise ValidationError(_("请至少设置一个攻坚节点后再发榜"))
        if ch.apply_until < on:
            raise ValidationError({"apply_until": _("揭榜截止日期已过")})
    if to == S.AWARDED and not ch.holders.exists():
        raise ValidationError(_("请先选定揭榜人"))
    if to == S.DELIVERED and ch.milestones.exclude(status__in=[M.SUBMITTED, M.ACCEPTED]).exists():
        raise ValidationError(_("还有节点未提请验收"))
    if to == S.ACCEPTED and ch.milestones.exclude(status=M.ACCEPTED).exists():
        raise ValidationError(_("还有节点未通过验收"))


@transaction.atomic
def challenge_transition(*, challenge: Challenge, to: str, actor, closure: str = "", note: str = "",
                         on: dt.date | None = None) -> Challenge:
    """The only way a challenge changes state; acceptance pays the incentive points still due."""
    ch = Challenge.objects.select_for_update().get(pk=challenge.pk)
    day = _today(on)
    _check_move(ch, to, actor, closure, day)
    before = ch.status
    ch.status = to
    now = timezone.now()
    if to == S.PUBLISHED:
        ch.published_at = now
    if to in {S.ACCEPTED, S.FAILED, S.WITHDRAWN}:
        ch.closed_at = now
        ch.closure = closure if to != S.ACCEPTED else ""
        ch.closure_note = (note or "").strip()[:300]
    ch.save(update_fields=["status", "published_at", "closed_at", "closure", "closure_note"])
    changes: dict[str, Any] = {"status": [before, to]}
    if closure:
        changes["closure"] = [None, closure]
    if note:
        changes["note"] = [None, note[:300]]
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=ch, changes=changes)
    if to in {S.ACCEPTED, S.FAILED, S.WITHDRAWN}:
        acceptance.panel_close(ch)
    if to == S.WITHDRAWN and before in {S.DRAFT, S.PUBLISHED}:
        for app in ch.applications.filter(status__in=[A.SUBMITTED, A.SHORTLISTED]):
            application_transition(application=app, to=A.DECLINED, actor=actor, note=_("已撤榜"))
    if to == S.ACCEPTED:
        paid = sum((m.points for m in ch.milestones.all()), Decimal(0)) if ch.pay_per_milestone else Decimal(0)
        _post_points(challenge=ch, amount=ch.incentive_points - paid, source=ch, day=day, actor=actor,
                     reason=_("揭榜挂帅验收通过：%(t)s") % {"t": ch.title})
    challenge.status, challenge.closure, challenge.closed_at = ch.status, ch.closure, ch.closed_at
    challenge.published_at, challenge.closure_note = ch.published_at, ch.closure_note
    return ch


# --- applications (揭榜) ---------------------------------------------------------------------------


@transaction.atomic
def challenge_apply(*, challenge: Challenge, person, plan: str, actor, members: Sequence = (),
                    on: dt.date | None = None) -> ChallengeApplication:
    """揭榜: a cadre applies with a plan (and team members, where teams are allowed) while the board is open."""
    if actor is not None:
        if not policy.allows(actor, "add", ChallengeApplication) and not is_manager(actor, challenge):
            raise PermissionDenied
        if _person_id(actor) not in {None, person.pk}:
            raise PermissionDenied
    if challenge.status != S.PUBLISHED or challenge.apply_until < _today(on):
        raise ValidationError(_("该榜单不在揭榜期内"))
    members = [m for m in members if m.pk != person.pk]
    if members and not challenge.team_allowed:
        raise ValidationError({"members": _("该榜单只接受个人揭榜")})
    def applied() -> bool:
        return challenge.applications.filter(person=person).exists()

    if applied():
        raise ValidationError({"person": _("您已揭过此榜")})
    if not (plan or "").strip():
        raise ValidationError({"plan": _("请填写攻坚方案")})
    app = ChallengeApplication(challenge=challenge, person=person, plan=plan.strip())
    with one_per(applied, {"person": _("您已揭过此榜")}):
        app.full_clean()
        app.save()
    if members:
        app.members.set(members)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=app,
                 changes={"challenge": [None, challenge.pk], "person": [None, person.pk],
                          "members": [None, [m.pk for m in members]]})
    return app


@transaction.atomic
def application_transition(*, application: ChallengeApplication, to: str, actor,
                           note: str = "") -> ChallengeApplication:
    """The only way an application changes state: shortlist, decline, choose (via award) or withdraw."""
    app = ChallengeApplication.objects.select_for_update().select_related("challenge").get(pk=application.pk)
    check_move(APPLICATION_TRANSITIONS, ApplicationStatus, app.status, to)
    if to == A.WITHDRAWN:
        if actor is not None and _person_id(actor) != app.person_id:
            raise PermissionDenied
    else:
        _require_manager(actor, app.challenge)
    if to == A.SHORTLISTED and app.challenge.status != S.PUBLISHED:
        raise ValidationError(_("榜单不在揭榜期，不能入围"))
    before = app.status
    app.status = to
    app.decision_note = (note or "").strip()[:300]
    app.save(update_fields=["status", "decision_note"])
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=app, changes={"status": [before, to]})
    application.status, application.decision_note = app.status, app.decision_note
    return app


@transaction.atomic
def challenge_award(*, challenge: Challenge, applications: Sequence[ChallengeApplication], actor,
                    on: dt.date | None = None) -> Challenge:
    """定榜: choose one shortlisted application (or several, forming a team), decline the rest, name holders."""
    _require_manager(actor, challenge)
    chosen = list(applications)
    if not chosen:
        raise ValidationError(_("请选择揭榜人"))
    if len(chosen) > 1 and not challenge.team_allowed:
        raise ValidationError(_("该榜单只能选定一名揭榜人"))
    if any(a.challenge_id != challenge.pk for a in chosen):
        raise ValidationError(_("揭榜申请不属于该榜单"))
    if challenge.status != S.PUBLISHED:
        raise move_refused(ChallengeStatus, challenge.status, S.AWARDED)
    seen: set[int] = set()
    for i, app in enumerate(chosen):
        application_transition(application=app, to=A.CHOSEN, actor=actor)
        for j, person in enumerate([app.person, *app.members.all()]):
            if person.pk in seen:
                continue
            seen.add(person.pk)
            record_create(model=ChallengeHolder, actor=actor, data={
                "challenge": challenge, "person": person, "application": app, "is_lead": i == 0 and j == 0})
    for app in challenge.applications.filter(status__in=[A.SUBMITTED, A.SHORTLISTED]):
        application_transition(application=app, to=A.DECLINED, actor=actor, note=_("未选中"))
    return challenge_transition(challenge=challenge, to=S.AWARDED, actor=actor, on=on)


# --- progress and milestones -----------------------------------------------------------------------


@transaction.atomic
def progress_report(*, challenge: Challenge, author, text: str, actor, milestone: Milestone | None = None,
                    for_acceptance: bool = False, on: dt.date | None = None) -> ProgressReport:
    """进展报告 by a holder; with `for_acceptance` the milestone goes to the panel."""
    if not challenge.holders.filter(person=author).exists():
        raise ValidationError({"author": _("只有挂帅人可以报告进展")})
    if actor is not None and _person_id(actor) not in {None, author.pk}:
        raise PermissionDenied
    if actor is not None and _person_id(actor) is None and not is_manager(actor, challenge):
        raise PermissionDenied
    if challenge.status not in {S.AWARDED, S.IN_PROGRESS}:
        raise ValidationError(_("榜单当前状态不能报告进展"))
    if milestone is not None and milestone.challenge_id != challenge.pk:
        raise ValidationError({"milestone": _("节点不属于该榜单")})
    if for_acceptance and milestone is None:
        raise ValidationError({"milestone": _("提请验收须选择节点")})
    if not (text or "").strip():
        raise ValidationError({"text": _("请填写进展情况")})
    if challenge.status == S.AWARDED:
        challenge_transition(challenge=challenge, to=S.IN_PROGRESS, actor=actor, on=on)
    report = record_create(model=ProgressReport, actor=actor, data={
        "challenge": challenge, "milestone": milestone, "author": author, "text": text.strip(),
        "for_acceptance": for_acceptance})
    if for_acceptance:
        milestone_transition(milestone=milestone, to=M.SUBMITTED, actor=actor, on=on)
    return report


@transaction.atomic
def milestone_transition(*, milestone: Milestone, to: str, actor, note: str = "",
                         on: dt.date | None = None) -> Milestone:
    """The only way a milestone changes state; acceptance needs the panel and may pay the milestone's points."""
    ms = Milestone.objects.select_for_update().select_related("challenge").get(pk=milestone.pk)
    ch = ms.challenge
    day = _today(on)
    check_move(MILESTONE_TRANSITIONS, MilestoneStatus, ms.status, to)
    if to == M.SUBMITTED:
        if not (is_manager(actor, ch) or is_holder(actor, ch)):
            raise PermissionDenied
        if ch.status != S.IN_PROGRESS:
            raise ValidationError(_("榜单不在攻坚中，不能提请验收"))
    else:
        _require_manager(actor, ch)
        if ch.status not in {S.IN_PROGRESS, S.DELIVERED}:
            raise ValidationError(_("榜单当前状态不能验收节点"))
    if to == M.ACCEPTED:
        verdict = acceptance.panel_verdict(ms)
        if not verdict.passed:
            raise ValidationError(verdict.reasons)
    before = ms.status
    ms.status = to
    if to == M.SUBMITTED:  # the attempt count lives on the panel's subject (acceptance.milestone_submitted)
        ms.delivered_on = day
    if to == M.ACCEPTED:
        ms.accepted_on = day
    ms.save(update_fields=["status", "delivered_on", "accepted_on"])
    changes: dict[str, Any] = {"status": [before, to]}
    if note:
        changes["note"] = [None, note[:300]]
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=ms, changes=changes)
    if to == M.SUBMITTED:
        acceptance.milestone_submitted(ms)
    else:
        acceptance.milestone_decided(ms)
    if to == M.ACCEPTED and ch.pay_per_milestone and ms.points > 0:
        _post_points(challenge=ch, amount=ms.points, source=ms, day=day, actor=actor,
                     reason=_("揭榜挂帅节点验收：%(t)s · %(m)s") % {"t": ch.title, "m": ms.title})
    milestone.status = ms.status
    milestone.delivered_on, milestone.accepted_on = ms.delivered_on, ms.accepted_on
    return ms


# --- the acceptance panel --------------------------------------------------------------------------


@transaction.atomic
def panel_member_add(*, challenge: Challenge, person, actor, is_chair: bool = False):
    """Seat an official on the acceptance panel (a sign-off evaluation, formed with its first member);
    holders can never judge their own challenge."""
    _require_manager(actor, challenge)
    if challenge.status in {S.ACCEPTED, S.FAILED, S.WITHDRAWN}:
        raise ValidationError(_("榜单已结束"))
    if challenge.holders.filter(person=person).exists():
        raise ValidationError({"person": _("挂帅人不能担任本榜验收组成员")})
    return acceptance.panel_seat_add(challenge, person=person, is_chair=is_chair, actor=actor)


@transaction.atomic
def milestone_signoff(*, milestone: Milestone, seat, verdict: str, actor, opinion: str = ""):
    """A member's pass/fail on the milestone's current submission; entered by the member, or by the publisher
    from the meeting minutes. Conflicts, attempts and who may sign are the evaluation engine's rules."""
    ms = Milestone.objects.select_related("challenge").get(pk=milestone.pk)
    if ms.status != M.SUBMITTED:
        raise ValidationError(_("该节点不在待验收状态"))
    return acceptance.milestone_signoff(ms, seat=seat, verdict=verdict, opinion=opinion, actor=actor)
