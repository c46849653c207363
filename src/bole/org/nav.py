"""Menu entries of the registers."""

from django.utils.translation import gettext_lazy as _

from .permissions import policy


def _menu(user):
    return policy.may(user, "menu")


ITEMS = [
    (_("组织树"), "tree", _menu),
    (_("人员"), "people-list", _menu),
    (_("单位"), "units-list", _menu),
    (_("企业"), "enterprises-list", _menu),
    (_("行政区划"), "regions-list", lambda u: policy.may(u, "regions_menu")),
    (_("区县对比"), "counties", lambda u: policy.may(u, "compare")),
]
