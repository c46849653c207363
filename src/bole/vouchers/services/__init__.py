"""Writes of talent policies and vouchers (see money.py for the money rule, support.py for policies,
applications and merchants)."""

from .money import (  # noqa: F401
    LIVE_SPENT,
    fund_create,
    fund_topup,
    reconcile,
    redemption_confirm,
    redemption_decline,
    redemption_hold,
    redemption_request,
    redemption_reverse,
    redemptions_settle,
    voucher_cancel,
    voucher_issue,
    voucher_payable,
    voucher_split,
    vouchers_expire,
    vouchers_issue,
    vouchers_notify_expiring,
    yuan,
)
from .support import (  # noqa: F401
    application_submit,
    application_transition,
    decision_json,
    eligibility,
    eligible_talents,
    enrolment_decide,
    fund_issue_eligible,
    merchant_enrol,
    support_policy_create,
)
