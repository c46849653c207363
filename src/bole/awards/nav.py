"""Menu entry of the quarterly awards."""

from django.utils.translation import gettext_lazy as _

from .permissions import policy

ITEMS = [(_("担当之星"), "awards-list", lambda u: policy.may(u, "menu"))]
