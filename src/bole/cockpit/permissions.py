"""The cockpit's permission policy: the county-wide figures are the county's."""

from bole.core.scoping import COUNTY, Policy

policy = Policy(
    rules={},
    actions={},
    abilities={
        "county_figures": COUNTY,  # the work mechanisms' figures over the whole county, investment included
    },
)
