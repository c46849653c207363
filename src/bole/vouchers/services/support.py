"""Policies (eligibility as data), applications and their review, merchants and their enrolment in funds."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bole.core.audit import audit_record
from bole.core.choices import AuditAction
from bole.core.scoping import own_enterprise_id, own_person_id
from bole.core.states import check_move
from bole.core.unique import one_per
from bole.core.uploads import upload_read, upload_store
from bole.engines import vouchers as engine

from ..choices import ApplicationStatus, EnrolmentStatus, HolderKind
from ..facts import facts_of
from ..models import Application, ApplicationDocument, Enrolment, Fund, Merchant, SupportPolicy
from ..panel import approval_blocked
from ..permissions import policy
from .money import voucher_issue, yuan

A = ApplicationStatus
APPLICATION_TRANSITIONS = {
    A.SUBMITTED: {A.APPROVED, A.REFUSED, A.WITHDRAWN},
    A.APPROVED: {A.ISSUED, A.REFUSED},
    A.REFUSED: set(),
    A.ISSUED: set(),
    A.WITHDRAWN: set(),
}


def _require(actor, action: str, obj=None) -> None:
    if actor is not None:
        policy.require(actor, action, obj)


@transaction.atomic
def support_policy_create(*, data: dict[str, Any], actor) -> SupportPolicy:
    """A policy article with its criteria and amount formula, both checked by the engine before saving."""
    _require(actor, "manage")
    data = dict(data)
    try:
        data["criteria"] = engine.validate_criteria(data.get("criteria", []))
        data["formula"] = engine.validate_formula(data.get("formula", {}))
    except engine.CriteriaError as exc:
        raise ValidationError({"criteria": str(exc)}) from exc
    obj = SupportPolicy(**data)
    obj.full_clean()
    if actor is not None and not policy.may(actor, "manage"):
        raise PermissionDenied
    obj.save()
    if actor is not None and not policy.may(actor, "change", obj):
        raise PermissionDenied  # a region outside the actor's own
    audit_record(actor=actor, action=AuditAction.CREATE, obj=obj, changes={"criteria": [None, data["criteria"]],
                                                                          "formula": [None, data["formula"]]})
    return obj


POLICY_FIELDS = ("name", "document", "article", "kind", "holder_kind", "description", "criteria", "formula",
                 "needs_application", "panel_review", "voucher_kind", "categories", "validity_days", "settle_days",
                 "valid_from", "valid_until", "is_active")


@transaction.atomic
def support_policy_update(*, policy_obj: SupportPolicy, data: dict[str, Any], actor) -> SupportPolicy:
    """Edit an article: its criteria and formula checked by the engine again; the region stays. Applications
    already decided keep the decision they were made on (stored with them). Audited field by field."""
    _require(actor, "manage")
    obj = SupportPolicy.objects.select_for_update().get(pk=policy_obj.pk)
    _require(actor, "change", obj)
    data = {k: v for k, v in data.items() if k in POLICY_FIELDS}
    try:
        if "criteria" in data:
            data["criteria"] = engine.validate_criteria(data["criteria"])
        if "formula" in data:
            data["formula"] = engine.validate_formula(data["formula"])
    except engine.CriteriaError as exc:
        raise ValidationError({"criteria": str(exc)}) from exc
    changes = {}
    for k, v in data.items():
        old = getattr(obj, k)
        if old != v:
            changes[k] = [str(old) if isinstance(old, dt.date) else old, str(v) if isinstance(v, dt.date) else v]
            setattr(obj, k, v)
    if not changes:
        return obj
    obj.full_clean()
    obj.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=obj, changes=changes)
    return obj


def eligibility(*, policy_obj: SupportPolicy, person=None, enterprise=None, declared: dict | None = None,
                on: dt.date | None = None) -> tuple[engine.Decision, dict, int]:
    """The decision with its reasons, the facts it was made on, and the amount the formula gives (fen)."""
    facts = facts_of(person=person, enterprise=enterprise, declared=declared or {}, on=on)
    decision = engine.check(policy_obj.criteria, facts)
    if not (policy_obj.valid_from <= facts["date"] <= policy_obj.valid_until):
        decision = engine.Decision(False, (*decision.reasons, engine.Reason(
            "date", "between", [str(policy_obj.valid_from), str(policy_obj.valid_until)], str(facts["date"]), False)))
    return decision, facts, engine.amount_fen(policy_obj.formula, facts)


def decision_json(decision: engine.Decision, amount: int) -> dict:
    return {"eligible": decision.eligible, "amount_fen": amount, "version": decision.version,
            "reasons": [{"fact": r.fact, "op": r.op, "wanted": r.wanted, "actual": r.actual, "passed": r.passed,
                         "known": r.known} for r in decision.reasons]}


def _applicant_of(actor, policy_obj: SupportPolicy):
    pid, eid = own_person_id(actor), own_enterprise_id(actor)
    if policy_obj.holder_kind == HolderKind.PERSON:
        if not pid:
            raise ValidationError(_("该政策面向人才个人，请以个人账号申请"))
        from bole.org.models import Person  # noqa: PLC0415 - a register model, read at call time

        return Person.objects.get(pk=pid), None
    if not eid:
        raise ValidationError(_("该政策面向企业，请以企业账号申请"))
    from bole.org.models import Enterprise  # noqa: PLC0415

    return None, Enterprise.objects.get(pk=eid)


@transaction.atomic
def application_submit(*, policy_obj: SupportPolicy, declared: dict, documents=(), actor,
                       person=None, enterprise=None) -> Application:
    """申请: the applicant's facts checked against the policy; an ineligible application is refused at once with
    every reason. One live application per applicant, policy and year (a database constraint)."""
    if actor is not None:
        policy.require(actor, "apply")
        person, enterprise = _applicant_of(actor, policy_obj)
    if not policy_obj.is_active:
        raise ValidationError(_("该政策已停止受理"))
    if not policy_obj.needs_application:
        raise ValidationError(_("该政策无需申请，由人才办直接发放"))
    today = timezone.localdate()
    decision, facts, amount = eligibility(policy_obj=policy_obj, person=person, enterprise=enterprise,
                                          declared=declared, on=today)
    if not decision.eligible:
        from ..explain import explain  # noqa: PLC0415 - words for the reasons

        raise ValidationError(_("不符合申请条件：%(why)s") % {"why": "；".join(explain(decision.failed))})
    if amount <= 0:
        raise ValidationError(_("按申报信息测算的支持金额为零"))

    def taken() -> bool:
        return Application.objects.filter(policy=policy_obj, year=today.year, status__in=Application.LIVE,
                                          applicant_person=person, applicant_enterprise=enterprise).exists()

    if taken():
        raise ValidationError(_("本年度已申请过该政策"))
    with one_per(taken, _("本年度已申请过该政策")):
        app = Application.objects.create(
            policy=policy_obj, year=today.year, applicant_person=person, applicant_enterprise=enterprise,
            facts={k: (str(v) if isinstance(v, dt.date) else v) for k, v in facts.items()},
            eligibility=decision_json(decision, amount), requested_fen=amount,
            submitted_by=actor if getattr(actor, "pk", None) else None)
    for upload in documents:
        checked = upload_read(upload, field="documents")
        ApplicationDocument.objects.create(application=app, name=checked.name[:120],
                                           file=upload_store(checked, "vouchers"))
    audit_record(actor=actor, action=AuditAction.CREATE, obj=app,
                 changes={"requested_fen": [None, amount], "document_count": [None, len(documents)]})
    return app


@transaction.atomic
def application_transition(*, application: Application, to: str, actor, approved_fen: int | None = None,
                           reason: str = "", valid_until: dt.date | None = None) -> Application:
    """The review: approve (an amount ≤ the formula's; under a policy reviewed by panel, only once its panel has
    closed with a score for the application), refuse (with reasons), withdraw (the applicant), issue (the voucher
    from this year's fund). Every move audited."""
    app = Application.objects.select_for_update().select_related("policy").get(pk=application.pk)
    check_move(APPLICATION_TRANSITIONS, A, app.status, to, field="to")
    if to == A.WITHDRAWN:
        if actor is not None and not policy.may(actor, "withdraw", app):
            raise PermissionDenied
    else:
        _require(actor, "decide", app)
    changes: dict[str, list] = {"status": [app.status, to]}
    if to == A.APPROVED:
        if why := approval_blocked(app):
            raise ValidationError({"to": why})
        amount = app.requested_fen if approved_fen is None else int(approved_fen)
        if not (0 < amount <= app.requested_fen):
            raise ValidationError({"approved_fen": _("核定金额须大于零且不超过测算金额 %(a)s 元") % {
                "a": yuan(app.requested_fen)}})
        app.approved_fen = amount
        changes["approved_fen"] = [None, amount]
    if to == A.REFUSED:
        if not reason.strip():
            raise ValidationError({"reason": _("不予支持须写明理由")})
    if reason:
        app.reason = reason[:500]
        changes["reason"] = [None, reason]
    if to == A.ISSUED:
        fund = Fund.objects.filter(policy=app.policy, year=app.year).first()
        if fund is None:
            raise ValidationError(_("%(year)s年度该政策尚无资金池") % {"year": app.year})
        start = timezone.localdate()
        until = valid_until or start + dt.timedelta(days=app.policy.validity_days)
        v = voucher_issue(fund=fund, person=app.applicant_person, enterprise=app.applicant_enterprise,
                          value_fen=app.approved_fen, valid_from=start, valid_until=until,
                          kind=app.policy.voucher_kind, application=app, actor=actor)
        changes["voucher_code"] = [None, v.code]
    app.status = to
    app.decided_at = timezone.now()
    app.save(update_fields=["status", "approved_fen", "reason", "decided_at"])
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=app, changes=changes)
    return app


# --- merchants -----------------------------------------------------------------------------------------------


@transaction.atomic
def merchant_enrol(*, fund: Fund, enterprise=None, kind: str = "shop", categories=None, note: str = "",
                   actor) -> Enrolment:
    """A merchant (the enterprise's login) applies to take one fund's vouchers."""
    if actor is not None:
        policy.require(actor, "merchant")
        from bole.org.models import Enterprise  # noqa: PLC0415

        enterprise = Enterprise.objects.get(pk=own_enterprise_id(actor))
    merchant, made = Merchant.objects.get_or_create(enterprise=enterprise,
                                                    defaults={"kind": kind, "categories": list(categories or [])})
    if not made and categories:
        merchant.categories = sorted(set(merchant.categories or []) | set(categories))
        merchant.save(update_fields=["categories"])

    def taken() -> bool:
        return Enrolment.objects.filter(merchant=merchant, fund=fund).exists()

    if taken():
        raise ValidationError(_("已申请入驻该资金池"))
    with one_per(taken, _("已申请入驻该资金池")):
        e = Enrolment.objects.create(merchant=merchant, fund=fund, note=note[:300])
    audit_record(actor=actor, action=AuditAction.CREATE, obj=e)
    return e


ENROLMENT_MOVES = {EnrolmentStatus.APPLIED: {EnrolmentStatus.APPROVED, EnrolmentStatus.REFUSED},
                   EnrolmentStatus.APPROVED: {EnrolmentStatus.SUSPENDED},
                   EnrolmentStatus.SUSPENDED: {EnrolmentStatus.APPROVED},
                   EnrolmentStatus.REFUSED: set()}


@transaction.atomic
def enrolment_decide(*, enrolment: Enrolment, to: str, note: str = "", actor) -> Enrolment:
    """Staff approve, refuse, suspend or restore a merchant's enrolment."""
    _require(actor, "decide", enrolment)
    e = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    check_move(ENROLMENT_MOVES, EnrolmentStatus, e.status, to, field="to")
    if to == EnrolmentStatus.REFUSED and not note.strip():
        raise ValidationError({"note": _("不予入驻须写明理由")})
    old = e.status
    e.status, e.decided_at = to, timezone.now()
    if note:
        e.note = note[:300]
    e.save(update_fields=["status", "decided_at", "note"])
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=e, changes={"status": [old, to]})
    return e


def eligible_talents(*, policy_obj: SupportPolicy, on: dt.date | None = None) -> tuple[list[int], int]:
    """The register persons (active talents in the policy's region) the policy's criteria admit: their ids and how
    many were checked. Facts are read in one query and decided by the engine one by one (no query per talent)."""
    from bole.talent.choices import TalentStatus  # noqa: PLC0415 - the register, read at call time
    from bole.talent.models import Talent  # noqa: PLC0415

    day = on or timezone.localdate()
    rows = list(Talent.objects.filter(status=TalentStatus.ACTIVE, person__isnull=False,
                                      region_code__startswith=policy_obj.region.code)
                .values_list("person_id", "level", "industry", "region_code", "person__birth_date"))
    admitted = []
    for pid, level, industry, region, birth in rows:
        age = None if birth is None else day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
        facts = {"date": day, "age": age, "talent_level": level, "industry": industry, "region": region,
                 "is_talent": True}
        if engine.check(policy_obj.criteria, facts).eligible:
            admitted.append(pid)
    return sorted(set(admitted)), len(rows)


@transaction.atomic
def fund_issue_eligible(*, fund: Fund, value_fen: int | None = None, valid_until: dt.date | None = None,
                        actor) -> int:
    """人才消费券 to every eligible talent who holds none of this fund yet, all or none (the budget must cover
    them all); returns how many were issued."""
    from .money import vouchers_issue  # noqa: PLC0415 - sibling module

    _require(actor, "manage")
    _require(actor, "issue", fund)
    pol = fund.policy
    if pol.holder_kind != HolderKind.PERSON:
        raise ValidationError(_("该政策面向企业，须经申请审核发放"))
    ids, _checked = eligible_talents(policy_obj=pol)
    have = set(fund.vouchers.filter(holder_person_id__in=ids, parent__isnull=True)
               .values_list("holder_person_id", flat=True))
    todo = [pid for pid in ids if pid not in have]
    if not todo:
        return 0
    value = value_fen or engine.amount_fen(pol.formula, {})
    if value <= 0:
        raise ValidationError({"amount": _("面额须大于零")})
    start = timezone.localdate()
    until = valid_until or start + dt.timedelta(days=pol.validity_days)
    made = vouchers_issue(fund=fund, holders=[(pid, None) for pid in todo], value_fen=value, valid_from=start,
                          valid_until=until, kind=pol.voucher_kind, actor=actor, audit=False)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=fund,
                 changes={"vouchers_issued": [None, len(made)], "value_fen": [None, value]})
    return len(made)
