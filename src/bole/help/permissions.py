"""The guides' policy: every signed-in login may read every guide (they hold no records); the guide abilities only
say which guides are a login's own, so the index lists them first. The resident's guide is public (see views)."""

from bole.core.scoping import (
    CADRE,
    COUNTY_STAFF,
    ENTERPRISE,
    JUDGE,
    SIGNED_IN,
    TOWN_STAFF,
    UNIT_STAFF,
    Policy,
)

policy = Policy(
    rules={},
    actions={},
    abilities={
        "menu": SIGNED_IN,
        "read": SIGNED_IN,
        "guide_county": COUNTY_STAFF,
        "guide_town": TOWN_STAFF,
        "guide_unit": UNIT_STAFF,
        "guide_cadre": CADRE,
        "guide_judge": JUDGE,
        "guide_enterprise": ENTERPRISE,
        "guide_party": CADRE,
    },
)
