"""专家库 as a register: Excel import (the whole file validated first) and export."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bole.core.registers import Column, Register
from bole.org.selectors import region_list

from .models import Expert
from .permissions import policy
from .services import expert_prepare


def _search(qs, q):
    q = q.strip()
    return qs.filter(Q(name__icontains=q) | Q(institution__icontains=q) | Q(keywords__icontains=q))


def _region_refs(rows, user):
    """服务区县 by name among the counties the user may see."""
    counties = {}
    for pk, name, code in region_list(user=user).values_list("pk", "name", "code"):
        if len(code) == 6 and not code.endswith("00"):
            counties[name] = pk
    errors = {}
    for i, row in enumerate(rows):
        found = counties.get(row.get("region"))
        if found is None:
            errors[i] = {"region": _("区县不存在或不在您的管辖范围内")}
        else:
            row.pop("region")
            row["region_id"] = found
    return errors


EXPERTS = Register(
    key="experts", model=Expert, label=gettext_lazy("产学研专家库"), policy=policy,
    columns=[
        Column("code", "专家编号", required=True, aliases=("编号",)),
        Column("name", "姓名", required=True),
        Column("institution", "单位", required=True, aliases=("所在单位", "高校院所")),
        Column("region", "服务区县", "ref", required=True, aliases=("区县",)),
        Column("title", "职称"),
        Column("fields", "研究领域", aliases=("领域",)),
        Column("keywords", "关键词"),
        Column("works", "论文与专利", aliases=("代表性论文专利", "成果")),
        Column("capacity", "年度对接企业上限", "int", aliases=("对接上限",), note="0–50，默认 3"),
    ],
    key_field="code", prepare=expert_prepare, search=_search, resolve_refs=_region_refs,
)
