"""The registers' permission policy: shared by views, API, exports and search."""

from bole.core.scoping import (
    COUNTY,
    SEVERAL_COUNTIES,
    STAFF,
    STAFF_OR_CADRE,
    STAFF_OR_ENTERPRISE,
    Policy,
    ScopeRules,
)

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
        # The registers' menu entries are the staff's; a person reaches their own record from the home page, an
        # enterprise its own from 企业.
        "menu": STAFF,
        "enterprises_menu": STAFF_OR_ENTERPRISE,
        "regions_menu": STAFF,
        # 区县对比: the counties in scope side by side (a city's admin sees each county; rows are scoped). It is on
        # the menu only where there can be several counties to compare.
        "compare": STAFF,
        "compare_menu": SEVERAL_COUNTIES,
        # Search pickers (pick/<source>/) are for staff; a cadre picks colleagues only where a cadre's own
        # page needs it (a challenge team). Enterprises, residents and judges pick nobody.
        "pick": STAFF,
        "pick_colleagues": STAFF_OR_CADRE,
    },
)
