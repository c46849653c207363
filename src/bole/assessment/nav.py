"""Menu entry of the assessment."""

from django.utils.translation import gettext_lazy as _

from .permissions import policy

ITEMS = [(_("奔跑赶超考核"), "assessment-home", lambda u: policy.may(u, "menu"))]
