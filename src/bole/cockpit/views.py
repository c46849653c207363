"""The home page (工作台): the cards every app shows the user, counted in their scope."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from bole.core import plugins
from bole.core.scoping import scope_label


@login_required
def home(request):
    """Dashboard: what this user can reach, with counts in their scope (the apps' `tiles` for "home")."""
    cards = plugins.tiles("home", request.user)
    # A card with a "notice" is something to act on (a missing holiday arrangement), shown above the counts.
    return render(request, "cockpit/home.html", {"cards": [c for c in cards if not c.get("notice")],
                                                 "notices": [c for c in cards if c.get("notice")],
                                                 "scope_label": scope_label(request.user)})
