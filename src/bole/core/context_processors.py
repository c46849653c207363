"""Navigation for the base template: each app's `nav.ITEMS`, filtered by what the user may open."""

from functools import cache, lru_cache
from html import escape
from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.urls import get_script_prefix, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .scoping import scope_of


@cache
def _items() -> tuple:
    """Every app's menu entries, in app order (read once: the apps do not change while the process runs)."""
    return tuple(item for app in settings.BOLE_APPS if find_spec(f"bole.{app}.nav")
                 for item in import_module(f"bole.{app}.nav").ITEMS)


@lru_cache(maxsize=512)
def _menu_html(allowed: tuple[bool, ...], language: str, prefix: str) -> str:
    """The menu's <li> items for one combination of allowed entries, language and script prefix."""
    return "".join(f'<li><a href="{escape(reverse(name))}">{escape(str(label))}</a></li>'
                   for (label, name, _p), ok in zip(_items(), allowed, strict=True) if ok)


def nav(request):
    """`bole_nav`: the menu entries the user may open, as <li> items; an app's entry is
    (label, url name, predicate(user) -> bool). The predicates read the user's cached scope; the HTML for each
    combination of entries and language is built once per process."""
    user = getattr(request, "user", None)
    scope = scope_of(user) if user is not None else None
    menu = ""
    if user is not None and user.is_authenticated:
        allowed = tuple(bool(p(user)) for _label, _name, p in _items())
        menu = mark_safe(_menu_html(allowed, get_language(), get_script_prefix()))  # noqa: S308 - escaped
    from .permissions import policy

    return {"bole_scope": scope, "bole_can_audit": policy.may(user, "audit"), "bole_nav": menu}


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
