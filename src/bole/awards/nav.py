"""Menu entry of the quarterly awards."""

from django.utils.translation import gettext_lazy as _


def _any(user):
    from bole.core.scoping import scope_of

    return scope_of(user).kind in {"all", "region", "unit", "person"}


ITEMS = [(_("担当之星"), "awards-list", _any)]
