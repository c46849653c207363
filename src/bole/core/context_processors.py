"""Navigation for the base template: each app's `nav.ITEMS`, filtered by what the user may open."""

from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.urls import reverse

from .scoping import scope_of


def _items():
    for app in settings.BOLE_APPS:
        if find_spec(f"bole.{app}.nav"):
            yield from import_module(f"bole.{app}.nav").ITEMS


def nav(request):
    """`bole_nav`: (label, url) pairs; an item is (label, url name, predicate(user) -> bool)."""
    user = getattr(request, "user", None)
    scope = scope_of(user) if user is not None else None
    entries = []
    if user is not None and user.is_authenticated:
        entries = [(label, reverse(name)) for label, name, allowed in _items() if allowed(user)]
    return {"bole_scope": scope, "bole_is_admin": bool(scope and scope.kind == "all"), "bole_nav": entries}


def notices(request):
    """`bole_unread`: the number on the bell, counted once and only when a page shows it (one indexed count)."""
    from .notices import unread_count

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"bole_unread": 0}
    counted: list[int] = []

    def bole_unread() -> int:  # templates call it; the list keeps the first answer for the rest of the page
        if not counted:
            counted.append(unread_count(user=user))
        return counted[0]

    return {"bole_unread": bole_unread}
