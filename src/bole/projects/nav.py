"""Menu entries of the key projects."""

from django.utils.translation import gettext_lazy as _


def _scope(user):
    from bole.core.scoping import scope_of

    return scope_of(user).kind


ITEMS = [
    (_("重点项目"), "projects-list", lambda u: _scope(u) in {"all", "region", "unit", "person"}),
    (_("一线考评"), "projects-frontline", lambda u: _scope(u) in {"all", "region", "unit"}),
]
