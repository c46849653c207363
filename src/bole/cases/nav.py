"""Menu entries of the case desks."""

from django.utils.translation import gettext_lazy as _

from .permissions import policy

ITEMS = [
    (_("诉求办理"), "cases-list", lambda u: policy.may(u, "list")),
    (_("诉求统计"), "cases-stats", lambda u: policy.may(u, "stats")),
    (_("受理台"), "cases-desks", lambda u: policy.may(u, "configure")),
    (_("我的诉求"), "cases-portal", lambda u: policy.may(u, "portal")),
]
