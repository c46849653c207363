"""Menu entry of the growth records (predicates read only the cached scope: no query per page)."""

from django.utils.translation import gettext_lazy as _


def _growth(user):
    from bole.core.scoping import scope_of

    scope = scope_of(user)
    return scope.kind in {"all", "region", "unit", "person"} and scope.role != "judge"


ITEMS = [(_("选调生成长"), "growth-dashboard", _growth)]
