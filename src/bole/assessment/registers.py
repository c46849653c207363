"""The assessment's imported inputs as registers: unit scores, task tallies, imported values (Excel)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from bole.core.registers import Column, Register
from bole.org import selectors as org_selectors
from bole.org.models import id_number_digest

from . import services
from .models import ManualValue, TaskTally, UnitScore
from .permissions import policy


def _unit_refs(rows, user):
    units: dict[str, object] = {}
    for pk, name, short in org_selectors.unit_list(user=user).values_list("pk", "name", "short_name"):
        units[name] = pk
        if short:
            units[short] = "ambiguous" if short in units and units[short] != pk else pk
    errors = {}
    for i, row in enumerate(rows):
        found = units.get(row.get("unit"))
        if found is None or found == "ambiguous":
            errors[i] = {"unit": _("单位不存在或不在您的管辖范围内") if found is None else _("名称不唯一，请填全称")}
        else:
            row.pop("unit")
            row["unit_id"] = found
    return errors


def _person_refs(rows, user):
    wanted = [str(r.get("person", "")).upper() for r in rows if r.get("person")]
    found_by = org_selectors.person_list(user=user).filter(id_digest__in=[id_number_digest(w) for w in wanted])
    ids = dict(found_by.values_list("id_number", "pk"))
    errors = {}
    for i, row in enumerate(rows):
        found = ids.get(str(row.get("person", "")).upper())
        if found is None:
            errors[i] = {"person": _("人员不存在或不在您的管辖范围内")}
        else:
            row.pop("person")
            row["person_id"] = found
    return errors


def _search(qs, q):
    return qs.filter(period__icontains=q.strip())


UNIT_SCORES = Register(
    key="unit-scores", model=UnitScore, label=_l("单位综合考评得分"), policy=policy,
    columns=[
        Column("unit", "单位名称", "ref", required=True, aliases=("单位",)),
        Column("period", "考核周期", required=True, aliases=("周期",), note="如 2024Q1"),
        Column("score", "综合考评得分", required=True, aliases=("得分",), note="0–100"),
        Column("note", "备注"),
    ],
    key_field="key", prepare=services.unit_score_prepare, search=_search, resolve_refs=_unit_refs,
)

TASK_TALLIES = Register(
    key="task-tallies", model=TaskTally, label=_l("个人任务台账"), policy=policy,
    columns=[
        Column("person", "身份证号", "id", required=True),
        Column("period", "考核周期", required=True, aliases=("周期",), note="如 2024Q1"),
        Column("assigned", "交办任务数", "int", required=True),
        Column("completed", "完成任务数", "int", required=True),
        Column("note", "备注"),
    ],
    key_field="key", prepare=services.task_tally_prepare, search=_search, resolve_refs=_person_refs,
)

MANUAL_VALUES = Register(
    key="manual-values", model=ManualValue, label=_l("导入数值"), policy=policy,
    columns=[
        Column("metric", "数值代码", required=True, note="与指标的“导入数值代码”一致"),
        Column("person", "身份证号", "id", required=True),
        Column("period", "考核周期", required=True, aliases=("周期",)),
        Column("value", "数值", required=True),
        Column("note", "备注"),
    ],
    key_field="key", prepare=services.manual_value_prepare, search=_search, resolve_refs=_person_refs,
)

REGISTERS = {r.key: r for r in (UNIT_SCORES, TASK_TALLIES, MANUAL_VALUES)}
