"""Menu entry of the home branches."""

from django.utils.translation import gettext_lazy as _

from .permissions import policy

ITEMS = [(_("家园支部"), "community-branches", lambda u: policy.may(u, "menu"))]
