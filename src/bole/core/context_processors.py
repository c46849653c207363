"""Navigation for the base template: the menu entries the apps declare (`nav`), filtered by what the user may
open."""

from functools import lru_cache
from html import escape

from django.urls import get_script_prefix, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .notices import unread_count
from .plugins import NAV_GROUPS, nav_items
from .scoping import scope_of


@lru_cache(maxsize=512)
def _menu_html(allowed: tuple[bool, ...], language: str, prefix: str) -> str:
    """The menu's <li> items for one combination of allowed entries, language and script prefix: one item per
    group (干部队伍, 基层治理, 人才队伍, 名册, 系统), a drop-down of its entries, or the entry itself when the user has
    only one in that group. A group the user has no entry in is left out."""
    groups: dict[str, list[str]] = {}
    for (item, _policy), ok in zip(nav_items(), allowed, strict=True):
        if ok:
            link = f'<a href="{escape(reverse(item.url_name))}">{escape(str(item.label))}</a>'
            groups.setdefault(item.group, []).append(link)
    out = []
    for key, links in groups.items():
        if len(links) == 1:
            out.append(f'<li class="navitem">{links[0]}</li>')
            continue
        entries = "".join(f"<li>{link}</li>" for link in links)
        out.append(f'<li class="navgroup"><details class="dropdown"><summary>{escape(str(NAV_GROUPS[key]))}'
                   f'</summary><ul>{entries}</ul></details></li>')
    return "".join(out)


def nav(request):
    """`bole_nav`: the menu entries the user may open, as <li> items. An entry is shown when the app's Policy
    answers `may(user, entry.ability)`; abilities read the user's cached scope, and the HTML for each combination
    of entries and language is built once per process."""
    user = getattr(request, "user", None)
    scope = scope_of(user) if user is not None else None
    menu = ""
    if user is not None and user.is_authenticated:
        allowed = tuple(bool(p.may(user, item.ability)) for item, p in nav_items())
        menu = mark_safe(_menu_html(allowed, get_language(), get_script_prefix()))  # noqa: S308 - escaped
    return {"bole_scope": scope, "bole_nav": menu}


BELL_MAX = 99


def notices(request):
    """`bole_unread`: the number on the bell ("99+" beyond 99), counted once and only when a page shows it.

    The count stops at 100 rows: a desk head escalated by a big sweep may have tens of thousands of unread
    notices, and every page would otherwise count them all.
    """
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
