"""Menu entry of the points ledger."""

from django.utils.translation import gettext_lazy as _

from .permissions import policy

ITEMS = [(_("积分"), "ledger-list", lambda u: policy.may(u, "menu"))]
