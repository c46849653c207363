"""Menu entries of the key projects."""

from django.utils.translation import gettext_lazy as _

from .permissions import policy

ITEMS = [
    (_("重点项目"), "projects-list", lambda u: policy.may(u, "menu")),
    (_("一线考评"), "projects-frontline", lambda u: policy.may(u, "frontline")),
]
