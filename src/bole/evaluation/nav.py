"""Menu entries of the evaluation app (abilities read only the cached scope: no query per page)."""

from django.utils.translation import gettext_lazy as _

from .permissions import policy

ITEMS = [
    (_("测评与赛事"), "evaluation-list", lambda u: policy.may(u, "menu")),
    (_("评委打分"), "evaluation-judge-home", lambda u: policy.may(u, "judge")),
]
