"""Menu entry of the points assessment."""

from django.utils.translation import gettext_lazy as _


def _any(user):
    from bole.core.scoping import scope_of

    return scope_of(user).kind in {"all", "region", "unit", "person"}


ITEMS = [(_("奔跑赶超考核"), "assessment-home", _any)]
