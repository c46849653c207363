"""Menu entries of the registers."""

from django.utils.translation import gettext_lazy as _


def _staff(user):
    from bole.core.scoping import scope_of

    return scope_of(user).kind in {"all", "region", "unit"}


def _any(user):
    return True


ITEMS = [
    (_("组织树"), "tree", _any),
    (_("人员"), "people-list", _any),
    (_("单位"), "units-list", _any),
    (_("企业"), "enterprises-list", _any),
    (_("行政区划"), "regions-list", _staff),
]
