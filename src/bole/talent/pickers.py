"""The talent app's picker sources: talents on the register and startup projects, for a contest's entry form."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bole.org.pickers import PickSource

from . import selectors


def _talents(*, user):
    return selectors.talent_list(user=user).filter(status="active").select_related("region")


def _projects(*, user):
    return selectors.project_list(user=user).exclude(stage="closed")


TALENTS = PickSource(
    name="talents",
    choices=_talents,
    search=selectors.talent_search,
    describe=lambda t: f"{t.get_level_display()} · {t.field}",
    placeholder=_("搜索人才姓名、拼音、首字母或专业领域"),
    outside=_("所选人才不在您的管辖范围内或已离开，请重新选择"),
    several=_("请从搜索结果中选择"),
)

PROJECTS = PickSource(
    name="startup-projects",
    choices=_projects,
    search=lambda qs, q: qs.filter(name__icontains=(q or "").strip()),
    describe=lambda p: p.field,
    placeholder=_("搜索创业项目名称"),
    outside=_("所选项目不在您的管辖范围内或已终止，请重新选择"),
    several=_("请从搜索结果中选择，或输入完整名称"),
)
