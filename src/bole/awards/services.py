"""Writes of the awards: rounds (one transition service), nominations, objections, honours and points."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bole.core import periods
from bole.core.audit import audit_record
from bole.core.choices import AuditAction
from bole.core.scoping import own_person_id
from bole.core.states import check_move
from bole.core.unique import one_per
from bole.ledger.services import point_category_ensure, points_post_many
from bole.org.selectors import unit_list

from . import panel
from .choices import NominationKind, NominationStatus, ObjectionStatus, RoundStatus
from .models import AwardRound, Honour, Nomination, Objection, RoundEvent
from .permissions import policy

CATEGORY_CODE = "award"

# The round workflow: nominations open, close into the panel review, the panel's ranking goes to publicity,
# the publicity ends in the announcement. A round may be cancelled until it is announced.
ROUND_TRANSITIONS: dict[str, set[str]] = {
    RoundStatus.DRAFT: {RoundStatus.NOMINATING, RoundStatus.CANCELLED},
    RoundStatus.NOMINATING: {RoundStatus.REVIEWING, RoundStatus.CANCELLED},
    RoundStatus.REVIEWING: {RoundStatus.PUBLICITY, RoundStatus.CANCELLED},
    RoundStatus.PUBLICITY: {RoundStatus.ANNOUNCED, RoundStatus.CANCELLED},
    RoundStatus.ANNOUNCED: set(),
    RoundStatus.CANCELLED: set(),
}

# A nomination: withdrawn by its unit while nominations are open; ranked by the panel into proposed or not
# selected; a proposed winner is disqualified by an upheld objection or awarded at the announcement.
NOMINATION_TRANSITIONS: dict[str, set[str]] = {
    NominationStatus.SUBMITTED: {NominationStatus.WITHDRAWN, NominationStatus.PROPOSED,
                                 NominationStatus.NOT_SELECTED},
    NominationStatus.PROPOSED: {NominationStatus.DISQUALIFIED, NominationStatus.AWARDED},
    NominationStatus.WITHDRAWN: set(),
    NominationStatus.NOT_SELECTED: set(),
    NominationStatus.DISQUALIFIED: set(),
    NominationStatus.AWARDED: set(),
}

OBJECTION_OUTCOMES = {ObjectionStatus.UPHELD, ObjectionStatus.DISMISSED}


def _require_county(actor) -> None:
    if actor is not None and not policy.may(actor, "manage"):
        raise PermissionDenied(_("只有县委组织部可以执行此操作"))


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def award_category():
    """The ledger category of award points (表彰奖励, at most 10 points a year), created on first use."""
    return point_category_ensure(code=CATEGORY_CODE, name=gettext_noop("表彰奖励"), cap=Decimal("10"), cap_period="year",
                                 auto_approve=True, sort=10)


# --- rounds ---------------------------------------------------------------------------------------


@transaction.atomic
def award_round_create(*, period: str, actor, title: str = "", nominate_until: dt.date | None = None,
                       star_quota: int = 10, team_quota: int = 3, star_points=Decimal("3"),
                       team_points=Decimal("2"), publicity_days: int = 5) -> AwardRound:
    """A quarter's round in draft; one round per quarter."""
    _require_county(actor)
    year, quarter = periods.parse(period)
    if quarter is None:
        raise ValidationError({"period": _("评选按季度进行，请写成 2024Q1")})
    period = periods.clean(period)
    def taken() -> bool:
        return AwardRound.objects.filter(period=period).exists()

    if taken():
        raise ValidationError({"period": _("该季度已有评选轮次")})
    rnd = AwardRound(period=period, title=title or _("%(p)s担当之星、担当团队评选") % {"p": periods.label(period)},
                     nominate_until=nominate_until, star_quota=star_quota, team_quota=team_quota,
                     star_points=Decimal(str(star_points)), team_points=Decimal(str(team_points)),
                     publicity_days=publicity_days)
    with one_per(taken, {"period": _("该季度已有评选轮次")}):
        rnd.full_clean()
        rnd.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=rnd, changes={
        "period": [None, period], "star_quota": [None, star_quota], "team_quota": [None, team_quota]})
    return rnd


def _rank(round: AwardRound, actor) -> None:
    """Rank the submitted nominations of each kind by panel score; the quota becomes 拟表彰."""
    scores = panel.panel_scores(round=round, actor=actor)
    quotas = {NominationKind.STAR: round.star_quota, NominationKind.TEAM: round.team_quota}
    for kind, quota in quotas.items():
        noms = list(Nomination.objects.filter(round=round, kind=kind, status=NominationStatus.SUBMITTED))
        for n in noms:
            n.score = scores.get(n.pk)
        noms.sort(key=lambda n: (n.score is None, -(n.score or 0), n.pk))
        for i, n in enumerate(noms, start=1):
            n.rank = i if n.score is not None else None
            Nomination.objects.filter(pk=n.pk).update(score=n.score, rank=n.rank)
            to = NominationStatus.PROPOSED if (i <= quota and n.score is not None) else NominationStatus.NOT_SELECTED
            nomination_transition(nomination=n, to=to, actor=actor, by_round=True)


def _announce(round: AwardRound, actor) -> int:
    """Award the proposed nominations: honour records for each person and their points in the ledger."""
    category = award_category()
    honours: list[Honour] = []
    for nom in Nomination.objects.filter(round=round, status=NominationStatus.PROPOSED).select_related("person"):
        nomination_transition(nomination=nom, to=NominationStatus.AWARDED, actor=actor, by_round=True)
        if nom.kind == NominationKind.STAR:
            people, points = [nom.person], round.star_points
        else:
            people, points = list(nom.members.order_by("id")), round.team_points
        title = _("%(p)s%(k)s") % {"p": periods.label(round.period), "k": NominationKind(nom.kind).label}
        for person in people:
            honour = Honour(round=round, nomination=nom, person=person, kind=nom.kind, title=title,
                            period=round.period, points=points)
            honour.full_clean()
            honours.append(honour)
    Honour.objects.bulk_create(honours)
    rows = [{"person": h.person, "period": h.period, "category": category, "points": h.points,
             "reason": h.title + (f"（{h.nomination.team_name}）" if h.kind == NominationKind.TEAM else ""),
             "source": h} for h in honours if h.points]
    points_post_many(rows=rows, actor=actor, approved=True)
    for h in honours:
        audit_record(actor=actor, action=AuditAction.CREATE, obj=h,
                     changes={"person": [None, h.person_id], "title": [None, h.title], "points": [None, str(h.points)]})
    return len(honours)


@transaction.atomic
def award_round_transition(*, round: AwardRound, to: str, actor, note: str = "",
                           today: dt.date | None = None) -> AwardRound:
    """The only way a round changes state: table check, county permission, effects, timeline and audit rows."""
    _require_county(actor)
    rnd = AwardRound.objects.select_for_update().get(pk=round.pk)
    check_move(ROUND_TRANSITIONS, RoundStatus, rnd.status, to, field="status")
    day = _today(today)
    before = rnd.status
    if to == RoundStatus.REVIEWING:
        noms = list(Nomination.objects.filter(round=rnd, status=NominationStatus.SUBMITTED)
                    .select_related("person", "unit").order_by("kind", "id"))
        if not noms:
            raise ValidationError({"status": _("还没有提名，不能进入评审")})
        rnd.evaluation = panel.panel_create(round=rnd, nominations=noms, actor=actor)
    elif to == RoundStatus.PUBLICITY:
        if panel.panel_status(rnd) in {"", "draft"}:
            raise ValidationError({"status": _("评审会尚未开始打分，不能进入公示")})
        _rank(rnd, actor)
        if not Nomination.objects.filter(round=rnd, status=NominationStatus.PROPOSED).exists():
            raise ValidationError({"status": _("评审会没有产生有效得分，不能进入公示")})
        rnd.publicity_from = day
        rnd.publicity_until = day + dt.timedelta(days=rnd.publicity_days)
    elif to == RoundStatus.ANNOUNCED:
        if rnd.publicity_until and day <= rnd.publicity_until:
            raise ValidationError({"status": _("公示期至 %(d)s，期满后才能公布") % {"d": rnd.publicity_until}})
        if Objection.objects.filter(round=rnd, status=ObjectionStatus.OPEN).exists():
            raise ValidationError({"status": _("还有未答复的异议")})
        _announce(rnd, actor)
        rnd.announced_at = timezone.now()
    rnd.status = to
    rnd.full_clean()
    rnd.save()
    RoundEvent.objects.create(round=rnd, from_status=before, to_status=to, note=(note or "")[:300],
                              actor=actor if getattr(actor, "pk", None) else None)
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=rnd, changes={"status": [before, to]})
    for name in ("status", "evaluation_id", "publicity_from", "publicity_until", "announced_at"):
        setattr(round, name, getattr(rnd, name))
    return rnd


# --- nominations ----------------------------------------------------------------------------------


@transaction.atomic
def nomination_create(*, round: AwardRound, kind: str, unit, deeds: str, actor, person=None,
                      team_name: str = "", members: Sequence = ()) -> Nomination:
    """A unit puts forward one of its people (担当之星) or a team (担当团队) while nominations are open."""
    if actor is not None and not (policy.allows(actor, "add", Nomination)
                                  and unit_list(user=actor).filter(pk=unit.pk).exists()):
        raise PermissionDenied(_("只能以本单位名义提名"))
    if round.status != RoundStatus.NOMINATING:
        raise ValidationError({"round": _("当前不在提名阶段")})
    deeds = (deeds or "").strip()
    errors = {}
    if len(deeds) < 10:
        errors["deeds"] = _("请填写主要事迹（不少于 10 个字）")
    members = list(dict.fromkeys(members))

    def nominated() -> bool:
        return kind == NominationKind.STAR and person is not None and Nomination.objects.filter(
            round=round, person=person).exclude(status=NominationStatus.WITHDRAWN).exists()

    if kind == NominationKind.STAR:
        if person is None:
            errors["person"] = _("请选择被提名人")
        elif not person.unit.path.startswith(unit.path):
            errors["person"] = _("被提名人须是推荐单位（或其下级单位）的人员")
        elif nominated():
            errors["person"] = _("该人员本季度已被提名")
        team_name, members = "", []
    elif kind == NominationKind.TEAM:
        team_name = (team_name or "").strip()
        if not team_name:
            errors["team_name"] = _("请填写团队名称")
        if len(members) < 2:
            errors["members"] = _("团队至少两名成员")
        person = None
    else:
        errors["kind"] = _("未知的评选类别")
    if errors:
        raise ValidationError(errors)
    nom = Nomination(round=round, kind=kind, person=person, team_name=team_name, unit=unit, deeds=deeds,
                     nominated_by=actor if getattr(actor, "pk", None) else None)
    with one_per(nominated, {"person": _("该人员本季度已被提名")}):
        nom.full_clean()
        nom.save()
    if members:
        nom.members.set(members)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=nom, changes={
        "round": [None, round.pk], "kind": [None, kind], "person": [None, getattr(person, "pk", None)],
        "team_name": [None, team_name], "members": [None, [m.pk for m in members]], "unit": [None, unit.pk]})
    return nom


@transaction.atomic
def nomination_transition(*, nomination: Nomination, to: str, actor, note: str = "",
                          by_round: bool = False) -> Nomination:
    """The only way a nomination's status changes; units withdraw their own, the round service does the rest.

    ``by_round`` is set by the round and objection services (ranking, disqualification, award), never views.
    """
    nom = Nomination.objects.select_for_update().select_related("round", "unit").get(pk=nomination.pk)
    check_move(NOMINATION_TRANSITIONS, NominationStatus, nom.status, to, field="status")
    if to == NominationStatus.WITHDRAWN:
        if nom.round.status != RoundStatus.NOMINATING:
            raise ValidationError({"status": _("提名阶段结束后不能撤回")})
        if actor is not None:
            policy.require(actor, "withdraw", nom)
    elif not by_round:
        raise PermissionDenied(_("评审结果由评选流程产生"))
    before = nom.status
    nom.status = to
    nom.save(update_fields=["status"])
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=nom,
                 changes={"status": [before, to], **({"note": [None, note]} if note else {})})
    nomination.status = to
    return nom


# --- objections during publicity ------------------------------------------------------------------


@transaction.atomic
def objection_lodge(*, nomination: Nomination, reason: str, actor, today: dt.date | None = None) -> Objection:
    """Anyone logged in may object to a proposed winner during the publicity period, with a reason."""
    rnd = nomination.round
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    if rnd.status != RoundStatus.PUBLICITY or nomination.status != NominationStatus.PROPOSED:
        raise ValidationError({"nomination": _("只能对公示中的拟表彰对象提出异议")})
    if rnd.publicity_until and _today(today) > rnd.publicity_until:
        raise ValidationError({"nomination": _("公示期已结束")})
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError({"reason": _("请写明异议理由")})
    person_id = own_person_id(actor)
    obj = Objection(round=rnd, nomination=nomination, reason=reason, lodged_by=actor, lodged_person_id=person_id)
    obj.full_clean()
    obj.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=obj,
                 changes={"nomination": [None, nomination.pk], "reason": [None, reason]})
    return obj


@transaction.atomic
def objection_answer(*, objection: Objection, outcome: str, answer: str, actor) -> Objection:
    """The county answers an objection; an upheld one disqualifies the proposed winner."""
    _require_county(actor)
    obj = Objection.objects.select_for_update().select_related("nomination", "round").get(pk=objection.pk)
    if obj.status != ObjectionStatus.OPEN or outcome not in OBJECTION_OUTCOMES:
        raise ValidationError({"status": _("该异议已答复或答复结果无效")})
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("请填写答复意见")})
    if obj.round.status != RoundStatus.PUBLICITY:
        raise ValidationError({"status": _("公示已结束")})
    before = obj.status
    obj.status, obj.answer, obj.answered_at = outcome, answer, timezone.now()
    obj.answered_by = actor if getattr(actor, "pk", None) else None
    obj.save(update_fields=["status", "answer", "answered_at", "answered_by"])
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=obj,
                 changes={"status": [before, outcome], "answer": [None, answer]})
    if outcome == ObjectionStatus.UPHELD and obj.nomination.status == NominationStatus.PROPOSED:
        nomination_transition(nomination=obj.nomination, to=NominationStatus.DISQUALIFIED, actor=actor,
                              note=answer[:200], by_round=True)
    objection.status = obj.status
    return obj
