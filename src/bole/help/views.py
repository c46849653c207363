"""使用指南: the index (the user's own guides first, then the others and the general topics) and one page per guide."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import render

from .guides import TOPICS, by_slug, guides_for
from .permissions import policy


def index(request):
    """The guides this login is likely to need first, then every other guide: none of them is secret."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    policy.require(request.user, "read")
    own, others = guides_for(request.user, policy.may)
    return render(request, "help/index.html", {"own": own, "others": others, "topics": TOPICS})


def guide(request, slug: str):
    """One guide. The resident's is read without a login (linked from the QR request and follow pages)."""
    page = by_slug().get(slug)
    if page is None:
        raise Http404
    if not page.public:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        policy.require(request.user, "read")
    return render(request, "help/guide.html", {"guide": page, "body": page.template})
