"""The home branches' picker source: the active party members a branch admin may choose as adopters."""

from __future__ import annotations

from dataclasses import replace

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from bole.org import pickers
from bole.org.selectors import person_list


def party_members(*, user) -> QuerySet:
    """Active party members in the user's scope of the register: who this user may let adopt a stairwell."""
    return person_list(user=user).filter(is_active=True, is_party_member=True)


PARTY_MEMBERS = replace(pickers.PEOPLE, name="party-members", choices=party_members,
                        outside=_("所选人员不是您管辖范围内在册的党员，请重新选择"))
