"""REST endpoints of talent policies and vouchers: policies and eligibility, funds and their books, applications
and review, vouchers, merchants' redemption and the holder's confirmation, review holds and reversals, reports."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from bole.core.api import Pages, referenced
from bole.core.params import Date, Year
from bole.core.scoping import own_enterprise_id, own_person_id
from bole.org.models import Enterprise, Person

from . import panel, selectors, services
from .explain import explain
from .models import Application, Fund, Redemption, SupportPolicy, Voucher
from .permissions import policy

router = Router(tags=["vouchers"])


class VPolicyOut(Schema):
    id: int
    name: str
    document: str
    article: str
    kind: str
    holder_kind: str
    region: str
    criteria: list
    formula: dict
    needs_application: bool
    panel_review: bool
    voucher_kind: str
    categories: list
    validity_days: int
    settle_days: int
    valid_from: dt.date
    valid_until: dt.date
    is_active: bool

    @staticmethod
    def resolve_region(obj):
        return obj.region.code


class VPolicyIn(Schema):
    name: str
    document: str = ""
    article: str = ""
    kind: str
    holder_kind: str
    description: str = ""
    criteria: list = []
    formula: dict
    needs_application: bool = True
    panel_review: bool = False
    voucher_kind: str = "budget"
    categories: list[str] = []
    validity_days: int = 365
    settle_days: int = 5
    valid_from: Date
    valid_until: Date


class VEligibilityReasonOut(Schema):
    fact: str
    op: str
    passed: bool
    known: bool
    text: str


class VEligibilityOut(Schema):
    eligible: bool
    amount_fen: int
    reasons: list[VEligibilityReasonOut]
    version: str


class VFundOut(Schema):
    id: int
    policy_id: int
    year: int
    budget_fen: int
    issued_fen: int
    redeemed_fen: int
    settled_fen: int
    available_fen: int
    outstanding_fen: int


class VFundIn(Schema):
    policy_id: int
    year: Year
    budget_fen: int


class VFenIn(Schema):
    amount_fen: int
    note: str = ""


class VIssueIn(Schema):
    value_fen: int | None = None
    valid_until: Date | None = None


class VIssuedOut(Schema):
    issued: int


class VReconcileOut(Schema):
    fund_id: int
    balanced: bool
    rule_holds: bool
    checks: dict[str, int]


class VApplicationOut(Schema):
    id: int
    policy_id: int
    year: int
    applicant_person_id: int | None
    applicant_enterprise_id: int | None
    facts: dict
    eligibility: dict
    requested_fen: int
    approved_fen: int | None
    status: str
    reason: str
    panel_id: int | None
    panel_score: float | None = None

    @staticmethod
    def resolve_panel_score(obj, context):
        """The review panel's score once the panel is closed, for the staff who decide (None otherwise)."""
        if not obj.panel_id or not policy.may(context["request"].auth, "decide", obj):
            return None
        return panel.panel_scores([obj]).get(obj.pk)


class VPanelOut(Schema):
    evaluation_id: int
    name: str
    application_ids: list[int]


class VApplicationIn(Schema):
    policy_id: int
    employees: int | None = None
    revenue_wan: float | None = None
    equipment_cost: int | None = None
    service_cost: int | None = None


class VApplicationMoveIn(Schema):
    to: str
    approved_fen: int | None = None
    reason: str = ""


class VVoucherOut(Schema):
    id: int
    code: str
    fund_id: int
    parent_id: int | None
    holder_person_id: int | None
    holder_enterprise_id: int | None
    kind: str
    value_fen: int
    balance_fen: int
    spent_fen: int
    released_fen: int
    split_fen: int
    valid_from: dt.date
    valid_until: dt.date
    categories: list
    status: str


class VSplitIn(Schema):
    person_id: int
    value_fen: int
    valid_until: Date | None = None


class VVoucherFilters(FilterSchema):
    status: str | None = None
    fund_id: int | None = None


class VRedemptionOut(Schema):
    id: int
    voucher_id: int
    fund_id: int
    merchant_id: int
    amount_fen: int
    status: str
    requested_at: dt.datetime
    confirmed_at: dt.datetime | None
    settle_on: dt.date | None
    settled_at: dt.datetime | None
    review_note: str


class VRedemptionFilters(FilterSchema):
    status: str | None = None
    fund_id: int | None = None
    merchant_id: int | None = None


class VRedeemIn(Schema):
    """A merchant's request: the voucher by its code (typed) or the token of the holder's QR, and a key that makes
    a retried request the same request."""

    code: str = ""
    token: str = ""
    amount_fen: int
    key: str = ""


class VReviewIn(Schema):
    action: str
    note: str = ""


class VEnrolmentOut(Schema):
    id: int
    merchant_id: int
    fund_id: int
    status: str


class VEnrolmentMoveIn(Schema):
    to: str
    note: str = ""


class VSignalOut(Schema):
    fund_id: int
    kind: str
    label: str
    merchant_id: int
    merchant: str
    holder: str
    count: int
    score: float


class VFundRowOut(Schema):
    fund_id: int
    policy: str
    year: int
    budget_fen: int
    issued_fen: int
    redeemed_fen: int
    settled_fen: int
    pending_fen: int
    outstanding_fen: int


class VMonthlyRowOut(Schema):
    policy_id: int
    policy: str
    issued: list[int]
    redeemed: list[int]


class VMerchantRowOut(Schema):
    merchant_id: int
    name: str
    count: int
    amount: int
    settled: int
    pending: int
    held: int
    reversed: int


class VReportOut(Schema):
    year: int
    funds: list[VFundRowOut]
    monthly: list[VMonthlyRowOut]
    merchants: list[VMerchantRowOut]
    liabilities_vouchers_fen: int
    liabilities_unsettled_fen: int


# --- policies ------------------------------------------------------------------------------------------------


@router.get("/vouchers/policies/", response=list[VPolicyOut])
@paginate(Pages)
def policy_list(request):
    return selectors.policies(user=request.auth).order_by("id")


@router.post("/vouchers/policies/", response={201: VPolicyOut})
def policy_create(request, body: VPolicyIn):
    """A policy article in the caller's county (a county's staff)."""
    policy.require(request.auth, "manage")
    obj = services.support_policy_create(actor=request.auth, data={**body.dict(), "region": selectors.my_county(user=request.auth)})
    return Status(201, obj)


@router.get("/vouchers/policies/{policy_id}/", response=VPolicyOut)
def policy_detail(request, policy_id: int):
    return policy.get(SupportPolicy.objects.select_related("region"), request.auth, policy_id)


@router.get("/vouchers/policies/{policy_id}/eligibility/", response=VEligibilityOut)
def policy_eligibility(request, policy_id: int, employees: int | None = None, revenue_wan: float | None = None,
                       equipment_cost: int | None = None, service_cost: int | None = None):
    """Whether the caller (a talent or an enterprise) qualifies, with every reason and the amount."""
    pol = policy.get(SupportPolicy.objects.all(), request.auth, policy_id)
    policy.require(request.auth, "apply")
    pid, eid = own_person_id(request.auth), own_enterprise_id(request.auth)
    person = Person.objects.filter(pk=pid).select_related("unit__region").first() if pid else None
    enterprise = Enterprise.objects.filter(pk=eid).select_related("region").first() if eid else None
    declared = {k: v for k, v in {"employees": employees, "revenue_wan": revenue_wan, "equipment_cost": equipment_cost,
                                  "service_cost": service_cost}.items() if v is not None}
    decision, _facts, amount = services.eligibility(policy_obj=pol, person=person, enterprise=enterprise,
                                                    declared=declared)
    texts = explain(decision.reasons)
    return {"eligible": decision.eligible, "amount_fen": amount, "version": decision.version,
            "reasons": [{"fact": r.fact, "op": r.op, "passed": r.passed, "known": r.known, "text": t}
                        for r, t in zip(decision.reasons, texts, strict=True)]}


@router.put("/vouchers/policies/{policy_id}/", response=VPolicyOut)
def policy_update(request, policy_id: int, body: VPolicyIn):
    """Edit a policy article of the caller's county (criteria and formula checked again; the region stays)."""
    pol = policy.get(SupportPolicy.objects.all(), request.auth, policy_id)
    policy.require(request.auth, "manage")
    return services.support_policy_update(policy_obj=pol, data=body.dict(), actor=request.auth)


@router.post("/vouchers/policies/{policy_id}/panel/", response={201: VPanelOut})
def policy_panel(request, policy_id: int):
    """组成评审会: the policy's waiting applications before a new review panel (an evaluation of kind PANEL, judges
    seated and scoring opened through the evaluation API)."""
    pol = policy.get(SupportPolicy.objects.all(), request.auth, policy_id)
    policy.require(request.auth, "manage")
    policy.require(request.auth, "change", pol)
    ev = panel.panel_create(policy_obj=pol, actor=request.auth)
    ids = list(Application.objects.filter(panel=ev).order_by("id").values_list("id", flat=True))
    return Status(201, {"evaluation_id": ev.pk, "name": ev.name, "application_ids": ids})


# --- funds ---------------------------------------------------------------------------------------------------


@router.get("/vouchers/funds/", response=list[VFundOut])
@paginate(Pages)
def fund_list(request):
    return selectors.funds(user=request.auth).order_by("-year", "id")


@router.post("/vouchers/funds/", response={201: VFundOut})
def fund_create(request, body: VFundIn):
    policy.require(request.auth, "manage")
    pol = referenced(policy.restrict(SupportPolicy.objects.all(), request.auth, "change"), body.policy_id,
                     field="policy_id")
    return Status(201, services.fund_create(policy_obj=pol, year=body.year, budget_fen=body.budget_fen,
                                            actor=request.auth))


@router.get("/vouchers/funds/{fund_id}/", response=VFundOut)
def fund_detail(request, fund_id: int):
    return policy.get(Fund.objects.all(), request.auth, fund_id)


@router.get("/vouchers/funds/{fund_id}/reconcile/", response=VReconcileOut)
def fund_reconcile(request, fund_id: int):
    """对账 of one fund to the cent."""
    fund = policy.get(Fund.objects.all(), request.auth, fund_id, "change")
    rec = services.reconcile([fund])[0]
    return {"fund_id": fund.pk, "balanced": rec["balanced"], "rule_holds": rec["rule_holds"], "checks": rec["checks"]}


@router.post("/vouchers/funds/{fund_id}/topup/", response=VFundOut)
def fund_topup(request, fund_id: int, body: VFenIn):
    fund = policy.get(Fund.objects.all(), request.auth, fund_id, "change")
    return services.fund_topup(fund=fund, amount_fen=body.amount_fen, note=body.note, actor=request.auth)


@router.post("/vouchers/funds/{fund_id}/issue/", response=VIssuedOut)
def fund_issue(request, fund_id: int, body: VIssueIn):
    """人才消费券 to every eligible talent who holds none of this fund yet."""
    fund = policy.get(Fund.objects.select_related("policy"), request.auth, fund_id, "issue")
    return {"issued": services.fund_issue_eligible(fund=fund, value_fen=body.value_fen, valid_until=body.valid_until,
                                                   actor=request.auth)}


@router.post("/vouchers/funds/{fund_id}/enrol/", response={201: VEnrolmentOut})
def fund_enrol(request, fund_id: int):
    """A merchant (the caller's enterprise) applies to take this fund's vouchers."""
    fund = policy.get(Fund.objects.select_related("policy"), request.auth, fund_id)
    policy.require(request.auth, "merchant")
    return Status(201, services.merchant_enrol(fund=fund, categories=fund.policy.categories, actor=request.auth))


@router.post("/vouchers/enrolments/{enrolment_id}/decide/", response=VEnrolmentOut)
def enrolment_decide(request, enrolment_id: int, body: VEnrolmentMoveIn):
    from .models import Enrolment

    e = policy.get(Enrolment.objects.all(), request.auth, enrolment_id, "decide")
    return services.enrolment_decide(enrolment=e, to=body.to, note=body.note, actor=request.auth)


# --- applications --------------------------------------------------------------------------------------------


@router.get("/vouchers/applications/", response=list[VApplicationOut])
@paginate(Pages)
def application_list(request):
    return selectors.applications(user=request.auth).order_by("-id")


@router.post("/vouchers/applications/", response={201: VApplicationOut})
def application_create(request, body: VApplicationIn):
    policy.require(request.auth, "apply")
    pol = referenced(selectors.policies(user=request.auth), body.policy_id, field="policy_id")
    declared = body.dict(exclude={"policy_id"}, exclude_none=True)
    return Status(201, services.application_submit(policy_obj=pol, declared=declared, actor=request.auth))


@router.get("/vouchers/applications/{application_id}/", response=VApplicationOut)
def application_detail(request, application_id: int):
    return policy.get(Application.objects.all(), request.auth, application_id)


@router.post("/vouchers/applications/{application_id}/transition/", response=VApplicationOut)
def application_transition(request, application_id: int, body: VApplicationMoveIn):
    app = policy.get(Application.objects.all(), request.auth, application_id)
    return services.application_transition(application=app, to=body.to, approved_fen=body.approved_fen,
                                           reason=body.reason, actor=request.auth)


# --- vouchers and redemption ---------------------------------------------------------------------------------


@router.get("/vouchers/vouchers/", response=list[VVoucherOut])
@paginate(Pages)
def voucher_list(request, filters: Query[VVoucherFilters]):
    return filters.filter(selectors.vouchers(user=request.auth)).order_by("-id")


@router.get("/vouchers/vouchers/{voucher_id}/", response=VVoucherOut)
def voucher_detail(request, voucher_id: int):
    return policy.get(Voucher.objects.all(), request.auth, voucher_id)


@router.post("/vouchers/vouchers/{voucher_id}/split/", response={201: VVoucherOut})
def voucher_split(request, voucher_id: int, body: VSplitIn):
    """拆分子券 to a talent the holding enterprise employs (the holder or county staff); the child's value comes out
    of the parent's balance and it ends no later than the parent."""
    v = policy.get(Voucher.objects.all(), request.auth, voucher_id)
    if not (policy.may(request.auth, "use", v) or policy.may(request.auth, "issue", v)):
        raise PermissionDenied
    person = selectors.split_recipients(v).filter(pk=body.person_id).first()
    if person is None:
        raise ValidationError({"person_id": _("子券只能拆给持券企业的在册人才")})
    child = services.voucher_split(parent=v, value_fen=body.value_fen, person=person, valid_until=body.valid_until,
                                   actor=request.auth)
    return Status(201, child)


@router.get("/vouchers/redemptions/", response=list[VRedemptionOut])
@paginate(Pages)
def redemption_list(request, filters: Query[VRedemptionFilters]):
    return filters.filter(selectors.redemptions(user=request.auth)).order_by("-id")


@router.post("/vouchers/redemptions/", response={201: VRedemptionOut})
def redemption_create(request, body: VRedeemIn):
    """商户发起核销 (the caller's merchant); the holder then confirms."""
    policy.require(request.auth, "merchant")
    merchant = selectors.my_merchant(user=request.auth)
    if merchant is None:
        raise PermissionDenied
    if body.token:
        from .views import voucher_of_token

        voucher = voucher_of_token(body.token)
    else:
        voucher = Voucher.objects.filter(code=body.code.strip().upper()[:24]).first()
        if voucher is None:
            raise ValidationError({"code": _("未找到该券号")})
    r = services.redemption_request(voucher=voucher, merchant=merchant, amount_fen=body.amount_fen,
                                    key=body.key[:40] or None, actor=request.auth)
    return Status(201, r)


def _visible_redemption(user, pk) -> Redemption:
    r = selectors.redemptions(user=user).filter(pk=pk).first()
    if r is None:
        raise Http404
    return r


@router.get("/vouchers/redemptions/{redemption_id}/", response=VRedemptionOut)
def redemption_detail(request, redemption_id: int):
    return _visible_redemption(request.auth, redemption_id)


@router.post("/vouchers/redemptions/{redemption_id}/confirm/", response=VRedemptionOut)
def redemption_confirm(request, redemption_id: int):
    """持券人确认: the money moves."""
    return services.redemption_confirm(redemption=_visible_redemption(request.auth, redemption_id), actor=request.auth)


@router.post("/vouchers/redemptions/{redemption_id}/decline/", response=VRedemptionOut)
def redemption_decline(request, redemption_id: int):
    return services.redemption_decline(redemption=_visible_redemption(request.auth, redemption_id), actor=request.auth)


@router.post("/vouchers/redemptions/{redemption_id}/review/", response=VRedemptionOut)
def redemption_review(request, redemption_id: int, body: VReviewIn):
    """Staff: hold for review, release, or reverse (冲正/追回)."""
    r = policy.get(Redemption.objects.all(), request.auth, redemption_id, "review")
    if body.action == "reverse":
        return services.redemption_reverse(redemption=r, reason=body.note, actor=request.auth)
    if body.action in ("hold", "release"):
        return services.redemption_hold(redemption=r, hold=body.action == "hold", note=body.note, actor=request.auth)
    raise ValidationError({"action": _("action 须为 hold、release 或 reverse")})


# --- reports and signals -------------------------------------------------------------------------------------


@router.get("/vouchers/signals/", response=list[VSignalOut])
@paginate(Pages)
def signals(request):
    """Fraud signals for review (never an automatic verdict)."""
    policy.require(request.auth, "manage")
    return [{**s, "label": str(s["label"])} for s in selectors.signals_for(user=request.auth)]


@router.get("/vouchers/reports/", response=VReportOut)
def report(request, year: int | None = None):
    """Budget use by policy and month, redemptions by merchant, liabilities outstanding (fen)."""
    policy.require(request.auth, "manage")
    from django.utils import timezone

    y = year if year and 2000 <= year <= 2100 else timezone.localdate().year
    liab = selectors.liabilities(user=request.auth)
    return {"year": y,
            "funds": [{"fund_id": r["fund"].pk, "policy": r["policy"].name, "year": r["year"],
                       "budget_fen": r["budget"], "issued_fen": r["issued"], "redeemed_fen": r["redeemed"],
                       "settled_fen": r["settled"], "pending_fen": r["pending"], "outstanding_fen": r["outstanding"]}
                      for r in selectors.fund_rows(user=request.auth, year=y)],
            "monthly": selectors.monthly(user=request.auth, year=y)["rows"],
            "merchants": selectors.by_merchant(user=request.auth, year=y),
            "liabilities_vouchers_fen": liab["vouchers_fen"], "liabilities_unsettled_fen": liab["unsettled_fen"]}
