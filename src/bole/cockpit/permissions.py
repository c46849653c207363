"""The cockpit's permission policy: the reported figures are the department staff's, each in their scope."""

from bole.core.scoping import STAFF, Policy

policy = Policy(
    rules={},
    actions={},
    abilities={
        "figures": STAFF,  # the figures of every mechanism, counted in the user's scope
    },
)
