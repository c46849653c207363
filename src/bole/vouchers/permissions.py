"""Who may do what with talent policies and vouchers: shared by views, API, selectors and services.

County staff (the county's region admins, the instance's admins) run policies, funds, reviews and settlement in
their region. A person (a talent on the register) and an enterprise apply and hold vouchers; an enterprise that is
a merchant or service provider applies to funds and redeems vouchers. Policies and funds are public to logins."""

from bole.core.scoping import COUNTY_STAFF, ENTERPRISE, JUDGE, PERSON, STAFF, Policy, ScopeRules

from .models import Application, Enrolment, Fund, FundEntry, Merchant, Redemption, SupportPolicy, Voucher

_MANAGE = {"view", "change", "decide", "export", "settle", "review", "issue"}


def HOLDER(scope) -> bool:  # noqa: N802 - a named rule, read like the predicates it is built from
    """A login that may hold vouchers: a person on the register (not a judge login) or an enterprise."""
    return (PERSON(scope) and not JUDGE(scope)) or ENTERPRISE(scope)


def MENU(scope) -> bool:  # noqa: N802
    """Staff, holders and merchants."""
    return STAFF(scope) or HOLDER(scope)


_PERSON_ROLES = ("cadre", "resident")

policy = Policy(
    rules={
        SupportPolicy: ScopeRules(region="region__code", public_actions=frozenset({"view"})),
        Fund: ScopeRules(region="policy__region__code", public_actions=frozenset({"view"})),
        FundEntry: ScopeRules(region="fund__policy__region__code"),
        Merchant: ScopeRules(region="enterprise__region__code", enterprise="enterprise_id"),
        Enrolment: ScopeRules(region="fund__policy__region__code", enterprise="merchant__enterprise_id"),
        Application: ScopeRules(region="policy__region__code", person="applicant_person_id",
                                enterprise="applicant_enterprise_id"),
        Voucher: ScopeRules(region="fund__policy__region__code", person="holder_person_id",
                            enterprise="holder_enterprise_id"),
        Redemption: ScopeRules(region="fund__policy__region__code", enterprise="merchant__enterprise_id"),
    },
    actions={
        **{(m, "unit_admin"): _MANAGE for m in (SupportPolicy, Fund, FundEntry, Merchant, Enrolment, Application,
                                                 Voucher, Redemption)},
        **{(SupportPolicy, r): {"view"} for r in (*_PERSON_ROLES, "enterprise", "judge")},
        **{(Fund, r): {"view"} for r in (*_PERSON_ROLES, "enterprise")},
        **{(Application, r): {"view", "add", "withdraw"} for r in (*_PERSON_ROLES, "enterprise")},
        **{(Voucher, r): {"view", "use"} for r in (*_PERSON_ROLES, "enterprise")},
        (Merchant, "enterprise"): {"view", "change"},
        (Enrolment, "enterprise"): {"view", "add"},
        (Redemption, "enterprise"): {"view", "add"},
    },
    abilities={
        "menu": MENU,
        "manage": COUNTY_STAFF,  # policies, funds, top-ups, reviews, settlement, reports
        "apply": HOLDER,
        "merchant": ENTERPRISE,
    },
)
