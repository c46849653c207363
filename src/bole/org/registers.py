"""The four registers described for the generic list/detail/import/export/API machinery."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from bole.core.registers import Column, Register, default_export_value
from bole.core.sms import mask_phone

from . import selectors, services
from .choices import Gender, Industry, PoliticalStatus, Rank, RegionKind, UnitKind
from .models import Enterprise, Person, Region, Unit, id_number_digest
from .permissions import policy
from .validators import mask_id_number


def _resolve_by(rows: list[dict[str, Any]], key: str, target: str, lookup: dict[str, Any], reason: str):
    """Replace a name/code in rows[key] by the referenced id (rows[target]); collect per-row errors."""
    errors: dict[int, dict[str, str]] = {}
    for i, row in enumerate(rows):
        name = row.get(key)
        if name in (None, ""):
            continue
        found = lookup.get(name)
        if found is None:
            errors[i] = {key: reason}
        elif found == "ambiguous":
            errors[i] = {key: _("名称不唯一，请改填代码")}
        else:
            row.pop(key)
            row[target] = found
    return errors


def _unit_lookup(user, action: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for pk, name, short in selectors.unit_list(user=user, action=action).values_list("pk", "name", "short_name"):
        out[name] = pk
        if short:
            out[short] = "ambiguous" if short in out and out[short] != pk else pk
    return out


def _region_lookup(user, action: str = "view") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for pk, code, name in selectors.region_list(user=user, action=action).values_list("pk", "code", "name"):
        out[code] = pk
        out[name] = "ambiguous" if name in out and out[name] != pk else pk
    return out


def _people_refs(rows, user):
    return _resolve_by(rows, "unit", "unit_id", _unit_lookup(user, "add"), _("单位不存在或不在您的管辖范围内"))


def _enterprise_refs(rows, user):
    return _resolve_by(rows, "region", "region_id", _region_lookup(user), _("区划不存在或不在您的管辖范围内"))


def _unit_refs(rows, user):
    errors = _resolve_by(rows, "region", "region_id", _region_lookup(user), _("区划不存在或不在您的管辖范围内"))
    units = {u.name: u for u in selectors.unit_list(user=user)}
    for i, row in enumerate(rows):
        parent = row.get("parent")
        if parent:
            if parent in units:
                row["parent"] = units[parent]
            else:
                errors.setdefault(i, {})["parent"] = _("上级单位不存在或不在您的管辖范围内")
    return errors


def _region_refs(rows, user):
    errors: dict[int, dict[str, str]] = {}
    known = {r.code: r for r in selectors.region_list(user=user)}
    in_file = {str(row.get("code")): Region(code=str(row.get("code"))) for row in rows if row.get("code")}
    for i, row in enumerate(rows):
        pcode = row.get("parent")
        if pcode:
            parent = known.get(pcode) or in_file.get(pcode)
            if parent is None:
                errors[i] = {"parent": _("上级区划不存在")}
            else:
                row["parent"] = parent
    return errors


def _region_create(*, actor, **data):
    parent = data.get("parent")
    if parent is not None and parent.pk is None:
        data["parent"] = Region.objects.get(code=parent.code)
    data.pop("level", None)
    return services.region_create(actor=actor, **data)


def _unit_create(*, actor, **data):
    return services.unit_create(actor=actor, **data)


def _unit_names(user):
    units = selectors.unit_list(user=user).filter(is_active=True).order_by("path")
    return list(units.values_list("name", flat=True)[:2000])


_FLAGS = [
    Column("is_cadre", "干部", "bool"),
    Column("is_section_leader", "科级领导干部", "bool"),
    Column("is_young_cadre", "选调生", "bool"),
    Column("is_party_member", "党员", "bool"),
    Column("is_talent", "人才", "bool"),
    Column("is_expert", "专家", "bool"),
]

PEOPLE = Register(
    key="people",
    model=Person,
    label=_l("人员"),
    policy=policy,
    columns=[
        Column("name", "姓名", required=True),
        Column("id_number", "身份证号", "id", required=True, aliases=("身份证号码", "公民身份号码"),
               mask=mask_id_number,
               note="18位，请以文本格式填写"),
        Column("gender", "性别", "choice", choices=Gender),
        Column("birth_date", "出生日期", "date", aliases=("出生年月",), months=True),
        Column("phone", "手机号码", aliases=("手机", "联系电话", "电话"), mask=mask_phone),
        Column("unit", "所在单位", "ref", required=True, aliases=("单位", "工作单位"), ref_options=_unit_names),
        Column("position", "职务"),
        Column("rank", "职级", "choice", choices=Rank),
        Column("political_status", "政治面貌", "choice", choices=PoliticalStatus),
        *_FLAGS,
    ],
    key_field="id_number",
    key_lookup=lambda keys: Q(id_digest__in=[id_number_digest(k) for k in keys]),
    prepare=services.person_prepare,
    search=selectors.person_search,
    sensitive_search=selectors.person_identifier_search,
    resolve_refs=_people_refs,
)

ENTERPRISES = Register(
    key="enterprises",
    model=Enterprise,
    label=_l("企业"),
    policy=policy,
    columns=[
        Column("name", "企业名称", required=True, aliases=("名称",)),
        Column("credit_code", "统一社会信用代码", "id", required=True, aliases=("信用代码",)),
        Column("industry", "行业", "choice", required=True, choices=Industry),
        Column("region", "所在区划", "ref", required=True, aliases=("区划", "所在镇街"), note="填区划名称或代码"),
        Column("contact_name", "联系人"),
        Column("contact_phone", "联系电话"),
        Column("address", "地址"),
    ],
    key_field="credit_code",
    prepare=services.enterprise_prepare,
    search=selectors.enterprise_search,
    resolve_refs=_enterprise_refs,
)

UNITS = Register(
    key="units",
    model=Unit,
    label=_l("单位"),
    policy=policy,
    columns=[
        Column("name", "单位名称", required=True),
        Column("short_name", "简称"),
        Column("kind", "单位类型", "choice", required=True, choices=UnitKind),
        Column("region", "所在区划", "ref", required=True, note="填区划名称或代码"),
        Column("parent", "上级单位", "ref"),
        Column("sort", "排序", "int"),
    ],
    key_field="name",
    prepare=services.unit_prepare,
    search=selectors.unit_search,
    resolve_refs=_unit_refs,
    bulk=False,
    create_one=_unit_create,
)

REGIONS = Register(
    key="regions",
    model=Region,
    label=_l("行政区划"),
    policy=policy,
    columns=[
        Column("code", "区划代码", required=True, note="省、市、县6位（省XX0000、市XXXX00），镇街9位，村社12位"),
        Column("name", "名称", required=True),
        Column("kind", "类型", "choice", required=True, choices=RegionKind),
        Column("parent", "上级区划代码", "ref"),
    ],
    key_field="code",
    prepare=services.region_prepare,
    search=selectors.region_search,
    resolve_refs=_region_refs,
    bulk=False,
    create_one=_region_create,
)


def _export_value(obj, col, reveal):
    if col.key == "parent" and isinstance(obj, Region):
        return obj.parent.code if obj.parent_id else ""
    if col.key == "region":
        return obj.region.code
    return default_export_value(obj, col, reveal)


for _reg in (PEOPLE, ENTERPRISES, UNITS, REGIONS):
    _reg.export_value = _export_value

REGISTERS = {r.key: r for r in (REGIONS, UNITS, PEOPLE, ENTERPRISES)}
