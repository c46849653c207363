"""Menu entries of the case desks."""

from django.utils.translation import gettext_lazy as _


def _scope(user):
    from bole.core.scoping import scope_of

    return scope_of(user).kind


def _staff(user):
    return _scope(user) in {"all", "region", "unit", "person"}


def _enterprise(user):
    return _scope(user) == "enterprise"


ITEMS = [
    (_("诉求办理"), "cases-list", _staff),
    (_("诉求统计"), "cases-stats", lambda u: _scope(u) in {"all", "region", "unit"}),
    (_("受理台"), "cases-desks", lambda u: _scope(u) == "all"),
    (_("我的诉求"), "cases-portal", _enterprise),
]
