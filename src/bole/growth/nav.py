"""Menu entry of the young cadres' growth records."""

from django.utils.translation import gettext_lazy as _

from .permissions import policy

ITEMS = [(_("选调生成长"), "growth-dashboard", lambda u: policy.may(u, "menu"))]
