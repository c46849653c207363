"""Menu entry of the points ledger."""

from django.utils.translation import gettext_lazy as _


def _any(user):
    from bole.core.scoping import scope_of

    return scope_of(user).kind in {"all", "region", "unit", "person"}


ITEMS = [(_("积分"), "ledger-list", _any)]
