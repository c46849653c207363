"""The registers' permission policy: shared by views, API, exports and search."""

from bole.core.scoping import COUNTY, SIGNED_IN, STAFF, STAFF_OR_CADRE, Policy, ScopeRules

from .models import Enterprise, Person, Region, Unit

_WRITE = {"view", "add", "change", "deactivate", "export", "import", "view_sensitive", "history"}

policy = Policy(
    rules={
        Region: ScopeRules(region="code", public_actions=frozenset()),
        Unit: ScopeRules(region="region__code", unit="path"),
        Person: ScopeRules(region="unit__region__code", unit="unit__path", person="pk"),
        Enterprise: ScopeRules(region="region__code", enterprise="pk"),
    },
    actions={
        (Region, "unit_admin"): {"view", "export", "history"},
        (Unit, "unit_admin"): _WRITE,
        (Person, "unit_admin"): _WRITE,
        (Enterprise, "unit_admin"): _WRITE - {"view_sensitive"},
        (Person, "cadre"): {"view", "view_sensitive", "history"},
        (Enterprise, "enterprise"): {"view", "history"},
    },
    abilities={
        "configure": COUNTY,  # accounts, the region tree
        "menu": SIGNED_IN,
        "regions_menu": STAFF,
        # 区县对比: the counties in scope side by side (a city's admin sees each county; rows are scoped).
        "compare": STAFF,
        # Search pickers (pick/<source>/) are for staff; a cadre picks colleagues only where a cadre's own
        # page needs it (a challenge team). Enterprises, residents and judges pick nobody.
        "pick": STAFF,
        "pick_colleagues": STAFF_OR_CADRE,
    },
)
