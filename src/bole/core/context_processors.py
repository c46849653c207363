"""Navigation for the base template: each app's `nav.ITEMS`, filtered by what the user may open."""

from functools import cache, lru_cache
from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.urls import get_script_prefix, reverse

from .scoping import scope_of


@cache
def _items() -> tuple:
    """Every app's menu entries, in app order (read once: the apps do not change while the process runs)."""
    return tuple(item for app in settings.BOLE_APPS if find_spec(f"bole.{app}.nav")
                 for item in import_module(f"bole.{app}.nav").ITEMS)


@lru_cache(maxsize=256)
def _url(name: str, prefix: str) -> str:
    return reverse(name)


def nav(request):
    """`bole_nav`: (label, url) pairs; an item is (label, url name, predicate(user) -> bool)."""
    user = getattr(request, "user", None)
    scope = scope_of(user) if user is not None else None
    entries = []
    if user is not None and user.is_authenticated:
        prefix = get_script_prefix()
        entries = [(label, _url(name, prefix)) for label, name, allowed in _items() if allowed(user)]
    return {"bole_scope": scope, "bole_is_admin": bool(scope and scope.kind == "all"), "bole_nav": entries}


BELL_MAX = 99


def notices(request):
    """`bole_unread`: the number on the bell ("99+" beyond 99), counted once and only when a page shows it.

    The count stops at 100 rows: a desk head escalated by a big sweep may have tens of thousands of unread
    notices, and every page would otherwise count them all.
    """
    from .notices import unread_count

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"bole_unread": ""}
    counted: list[str] = []

    def bole_unread() -> str:  # templates call it; the list keeps the first answer for the rest of the page
        if not counted:
            n = unread_count(user=user, limit=BELL_MAX + 1)
            counted.append(f"{BELL_MAX}+" if n > BELL_MAX else (str(n) if n else ""))
        return counted[0]

    return {"bole_unread": bole_unread}
