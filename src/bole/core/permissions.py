"""The core's permission policy: the audit trail is the county's."""

from bole.core.scoping import COUNTY, Policy, ScopeRules

from .models import AuditEvent

policy = Policy(
    rules={AuditEvent: ScopeRules()},
    actions={},
    abilities={
        "audit": COUNTY,  # read the county's audit trail
    },
)
