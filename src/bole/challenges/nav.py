"""Menu entry of the challenge board."""

from django.utils.translation import gettext_lazy as _

from .permissions import policy

ITEMS = [(_("揭榜挂帅"), "challenges-board", lambda u: policy.may(u, "menu"))]
