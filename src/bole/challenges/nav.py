"""Menu entries of the challenge board (predicates read only the cached scope: no query per page)."""

from django.utils.translation import gettext_lazy as _


def _board(user):
    from bole.core.scoping import scope_of

    return scope_of(user).kind in {"all", "region", "unit", "person"} and scope_of(user).role != "judge"


ITEMS = [(_("揭榜挂帅"), "challenges-board", _board)]
