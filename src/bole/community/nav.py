"""Menu entry of the home branches."""

from django.utils.translation import gettext_lazy as _


def _staff(user):
    from bole.core.scoping import scope_of

    return scope_of(user).kind in {"all", "region", "unit"}


ITEMS = [(_("家园支部"), "community-branches", _staff)]
