"""人才 as a register: the Excel columns, whole-file validation and bulk import, export and template."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from bole.core.registers import Column, Register, default_export_value
from bole.core.sms import mask_phone
from bole.org.choices import Industry
from bole.org.models import id_number_digest
from bole.org.pinyin import pinyin_keys
from bole.org.selectors import enterprise_list, person_list, region_list
from bole.org.validators import mask_id_number

from .choices import Education, Origin, Stage, TalentLevel
from .models import Talent
from .permissions import policy
from .selectors import talent_search
from .services import talent_prepare


def _refs(rows: list[dict[str, Any]], user) -> dict[int, dict[str, str]]:
    """Regions (code or name) and employers (name or credit code) named in the file, one query each, within the
    user's scope; each row gets `region_id`, `region_code`, `employer_id`."""
    regions: dict[str, Any] = {}
    for pk, code, name in region_list(user=user).values_list("pk", "code", "name"):
        regions[code] = (pk, code)
        regions[name] = "ambiguous" if name in regions and regions[name] != (pk, code) else (pk, code)
    employers: dict[str, Any] = {}
    wanted = {str(r.get("employer")) for r in rows if r.get("employer")}
    if wanted:
        found = enterprise_list(user=user).filter(Q(name__in=wanted) | Q(credit_code__in=wanted))
        for pk, name, code in found.values_list("pk", "name", "credit_code"):
            employers[code] = pk
            employers[name] = "ambiguous" if name in employers and employers[name] != pk else pk
    errors: dict[int, dict[str, str]] = {}
    for i, row in enumerate(rows):
        name = row.pop("region", None)
        got = regions.get(str(name)) if name not in (None, "") else None
        if got is None:
            errors.setdefault(i, {})["region"] = _("区划不存在或不在您的管辖范围内")
        elif got == "ambiguous":
            errors.setdefault(i, {})["region"] = _("名称不唯一，请改填代码")
        else:
            row["region_id"], row["region_code"] = got
        emp = row.pop("employer", None)
        if emp not in (None, ""):
            pk = employers.get(str(emp))
            if pk is None:
                errors.setdefault(i, {})["employer"] = _("企业不存在或不在您的管辖范围内")
            elif pk == "ambiguous":
                errors.setdefault(i, {})["employer"] = _("名称不唯一，请改填统一社会信用代码")
            else:
                row["employer_id"] = pk
    return errors


def _prepare(values: dict[str, Any]) -> dict[str, Any]:
    """An imported row: the register's rules, then the lifecycle's starting point. A talent comes in at 服务 unless
    the file says otherwise; 离开 is recorded through the lifecycle (reason and exit interview), not a file."""
    data = talent_prepare(values)
    stage = data.get("stage") or Stage.SERVE
    if stage == Stage.LEFT:
        raise ValidationError({"stage": _("离开须在人才页面登记原因和离职面谈，不能导入")})
    data["stage"] = stage
    data["stage_since"] = data.get("arrival_date") or timezone.localdate()
    for key in ("gender", "birth_date"):
        if data.get(key) in (None, ""):
            data.pop(key, None)
    return data


def _link(rows: list[dict[str, Any]], user) -> int:
    """New talents whose ID number is a person's on the register (within the importer's scope, as the 登记人才 form
    finds them) are linked to that person and take the register's name; a person already linked to a talent is
    left alone. One query per 5,000 ID digests, and one for those persons' talents: no query per row."""
    wanted = {r["id_digest"]: r for r in rows if r.get("id_digest")}
    digests = list(wanted)
    people: dict[str, tuple[int, str]] = {}
    for start in range(0, len(digests), 5000):
        chunk = digests[start : start + 5000]
        for digest, pk, name in person_list(user=user).filter(id_digest__in=chunk).values_list(
                "id_digest", "pk", "name"):
            people[digest] = (pk, name)
    if not people:
        return 0
    taken: set[int] = set()
    ids = [pk for pk, _n in people.values()]
    for start in range(0, len(ids), 5000):
        taken.update(Talent.objects.filter(person_id__in=ids[start : start + 5000]).values_list("person_id", flat=True))
    linked = 0
    for digest, (pk, name) in people.items():
        if pk in taken:
            continue
        row = wanted[digest]
        row["person_id"] = pk
        if row.get("name") != name:
            row["name"] = name
            row["name_pinyin"], row["name_initials"] = pinyin_keys(name)
        linked += 1
    return linked


def _export(obj: Talent, col: Column, reveal: bool):
    if col.key == "region":
        return obj.region_code
    if col.key == "employer":
        return obj.employer.credit_code if obj.employer_id else ""
    return default_export_value(obj, col, reveal)


TALENTS = Register(
    key="talents",
    model=Talent,
    label=_l("人才"),
    policy=policy,
    columns=[
        Column("name", "姓名", required=True),
        Column("id_number", "身份证号", "id", required=True, aliases=("身份证号码", "公民身份号码"), mask=mask_id_number,
               note="18位，请以文本格式填写"),
        Column("phone", "手机号码", aliases=("手机", "联系电话"), mask=mask_phone),
        Column("level", "人才层次", "choice", required=True, choices=TalentLevel, aliases=("层次", "人才等级")),
        Column("category", "人才类别", aliases=("类别",)),
        Column("field", "专业领域", required=True, aliases=("领域", "专业")),
        Column("industry", "行业", "choice", required=True, choices=Industry),
        Column("education", "学历", "choice", required=True, choices=Education),
        Column("origin", "来源", "choice", required=True, choices=Origin, aliases=("引进或培养",)),
        Column("employer", "用人单位", "ref", aliases=("工作单位", "所在企业"), note="填企业名称或统一社会信用代码"),
        Column("region", "所在区划", "ref", required=True, aliases=("区划", "所在镇街"), note="填区划名称或代码"),
        Column("arrival_date", "到岗日期", "date", aliases=("引进时间", "到县时间")),
        Column("stage", "生命周期阶段", "choice", choices=Stage, aliases=("阶段",)),
    ],
    key_field="id_number",
    key_lookup=lambda keys: Q(id_digest__in=[id_number_digest(k) for k in keys]),
    prepare=_prepare,
    search=talent_search,
    resolve_refs=_refs,
    export_value=_export,
    link=_link,
)

REGISTERS = {TALENTS.key: TALENTS}
