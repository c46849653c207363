"""The core's permission policy: the audit trail is the county's; each login sees its own background jobs (the
county's administrators every job)."""

from bole.core.scoping import COUNTY, SIGNED_IN, STAFF, Policy, Role, ScopeRules

from .models import AuditEvent, Job

policy = Policy(
    rules={AuditEvent: ScopeRules(), Job: ScopeRules(owner="owner_id")},
    actions={(Job, role): {"view"} for role in Role},
    abilities={
        "audit": COUNTY,  # read the county's audit trail
        "jobs": SIGNED_IN,  # the list of one's own background jobs
        "jobs_menu": STAFF,  # the menu entry: the staff import and export, a person's jobs are reached from their page
    },
)
