"""The evaluation's picker source: the judge logins an organiser may seat on a panel."""

from __future__ import annotations

from dataclasses import replace

from django.utils.translation import gettext_lazy as _

from bole.core.scoping import JUDGE, logins_where
from bole.org import pickers
from bole.org.selectors import login_choices, login_search

from . import selectors


def judge_logins(*, user):
    """Active judge logins, for those who may organise an evaluation."""
    qs = login_choices(logins_where(JUDGE)).select_related("account__unit")
    return qs if selectors.may(user, "add") else qs.none()


JUDGE_LOGINS = replace(
    pickers.PEOPLE, name="judge-logins", choices=judge_logins, search=login_search, sensitive_search=None,
    describe=lambda u: u.name if u.name != u.username else "", placeholder=_("搜索评委账号或姓名"),
    outside=_("所选账号不是评委账号或已停用，请重新选择"), several=_("请从搜索结果中选择，或输入完整账号"))
