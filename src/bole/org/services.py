"""Writes to the registers: every create/update/deactivate goes through here and is audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from bole.core.audit import audit_record
from bole.core.choices import AuditAction
from bole.core.records import record_create, record_set_active, record_update
from bole.core.scoping import role_scope_field

from .choices import Gender, RegionKind
from .models import Account, Enterprise, Person, Region, Unit, id_number_digest, phone_digest
from .pinyin import pinyin_keys
from .validators import (
    InvalidValue,
    check_region_parent,
    clean_credit_code,
    clean_id_number,
    clean_phone,
    id_birth_date,
    id_gender,
    mask_id_number,
    region_level_of,
)

_KIND_LEVEL = {
    RegionKind.PROVINCE: "province",
    RegionKind.CITY: "city",
    RegionKind.COUNTY: "county",
    RegionKind.DISTRICT: "county",
    RegionKind.TOWN: "town",
    RegionKind.STREET: "town",
    RegionKind.VILLAGE: "village",
    RegionKind.COMMUNITY: "village",
}


def _field_errors(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


# --- regions --------------------------------------------------------------------------------------


def region_prepare(data: dict[str, Any]) -> dict[str, Any]:
    """Validate a region's code against its level and parent; derive level and pinyin keys."""
    data = dict(data)
    errors: dict[str, str] = {}
    code = str(data.get("code") or "").strip()
    parent = data.get("parent")
    try:
        level = region_level_of(code)
        check_region_parent(code, parent.code if parent else None)
        data["level"] = level
    except InvalidValue as exc:
        errors["code"] = str(exc)
    kind = data.get("kind")
    if kind and "code" not in errors and _KIND_LEVEL.get(kind) != data.get("level"):
        errors["kind"] = _("类型与区划代码层级不一致")
    _field_errors(errors)
    data["code"] = code
    data["name_pinyin"], data["name_initials"] = pinyin_keys(data.get("name", ""))
    return data


def region_create(*, actor, **data) -> Region:
    """Add a region (行政区划)."""
    return record_create(model=Region, data=region_prepare(data), actor=actor)


def region_update(*, region: Region, actor, **data) -> Region:
    """Change a region's name, kind or code (the code stays consistent with its parent)."""
    merged = {"code": region.code, "name": region.name, "kind": region.kind, "parent": region.parent, **data}
    return record_update(obj=region, data=region_prepare(merged), actor=actor)[0]


# --- units ----------------------------------------------------------------------------------------


def unit_prepare(data: dict[str, Any]) -> dict[str, Any]:
    data = dict(data)
    data["name"] = (data.get("name") or "").strip()
    data["name_pinyin"], data["name_initials"] = pinyin_keys(data["name"])
    return data


@transaction.atomic
def unit_create(*, actor, **data) -> Unit:
    """Add a unit; its materialised path (parent path + own id) gives subtree scope."""
    data = unit_prepare(data)
    parent = data.get("parent")
    data["path"] = "pending"
    unit = record_create(model=Unit, data=data, actor=actor)
    unit.path = f"{parent.path if parent else '/'}{unit.pk:06d}/"
    unit.save(update_fields=["path"])
    return unit


@transaction.atomic
def unit_update(*, unit: Unit, actor, **data) -> Unit:
    """Change a unit; moving it to another parent rewrites the paths of its whole subtree."""
    data = unit_prepare({"name": unit.name, **data})
    new_parent = data.get("parent", unit.parent)
    if new_parent is not None and new_parent.path.startswith(unit.path):
        raise ValidationError({"parent": _("上级单位不能是本单位或其下级")})
    old_path = unit.path
    unit, changes = record_update(obj=unit, data=data, actor=actor)
    if "parent" in changes:
        new_path = f"{new_parent.path if new_parent else '/'}{unit.pk:06d}/"
        Unit.objects.filter(path__startswith=old_path).update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1))
        )
        unit.refresh_from_db(fields=["path"])
    return unit


def unit_set_active(*, unit: Unit, active: bool, actor) -> Unit:
    """Deactivate/reactivate a unit."""
    return record_set_active(obj=unit, active=active, actor=actor)


# --- people ---------------------------------------------------------------------------------------


def person_prepare(data: dict[str, Any], *, stored_id_number: str = "") -> dict[str, Any]:
    """Validate a person's identifiers and derive birth date, gender, ID tail and pinyin keys.

    Used by single edits and by imports alike, so both apply the same rules. `stored_id_number`: the number on
    record, which an edit that keeps it does not have to bring up to rules added since (its GB/T 2260 area code).
    """
    data = dict(data)
    errors: dict[str, str] = {}
    data["name"] = (data.get("name") or "").strip()
    if not data["name"]:
        errors["name"] = _("姓名不能为空")
    try:
        raw = str(data.get("id_number") or "")
        idn = clean_id_number(raw, check_area=not stored_id_number or raw.strip().upper() != stored_id_number)
        data["id_number"] = idn
        data["id_digest"] = id_number_digest(idn)
        data["id_tail"] = idn[-4:]
        birth, gender = id_birth_date(idn), id_gender(idn)
        given = data.get("birth_date")
        if getattr(given, "month_only", False):  # 出生年月 (1990.05): the year and month must agree
            if (given.year, given.month) != (birth.year, birth.month):
                errors["birth_date"] = _("出生年月与身份证号不一致（身份证号为 %(y)d年%(m)d月）") % {
                    "y": birth.year, "m": birth.month}
        elif given and given != birth:
            errors["birth_date"] = _("出生日期与身份证号不一致（身份证号为 %(d)s）") % {"d": birth.isoformat()}
        if data.get("gender") and data["gender"] != gender:
            errors["gender"] = _("性别与身份证号不一致（身份证号为%(g)s）") % {"g": Gender(gender).label}
        data["birth_date"], data["gender"] = birth, gender
    except InvalidValue as exc:
        errors["id_number"] = str(exc)
    if data.get("phone"):
        try:
            data["phone"] = clean_phone(str(data["phone"]))
        except InvalidValue as exc:
            errors["phone"] = str(exc)
    if "phone" in data:
        data["phone"] = data["phone"] or ""
        data["phone_digest"] = "" if "phone" in errors else phone_digest(data["phone"])
    _field_errors(errors)
    if data.get("political_status") in {"cpc", "cpc_prob"}:
        data["is_party_member"] = True
    if data.get("is_section_leader") or data.get("is_young_cadre"):
        data["is_cadre"] = True
    data["name_pinyin"], data["name_initials"] = pinyin_keys(data["name"])
    return data


def _id_number_errors(write):
    """Run a write; a duplicate ID number (its digest is the unique column) is reported on the ID number."""
    try:
        return write()
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "id_digest" in exc.error_dict:
            exc.error_dict.setdefault("id_number", []).extend(exc.error_dict.pop("id_digest"))
        raise


def person_create(*, actor, **data) -> Person:
    """Add a person to the register."""
    return _id_number_errors(lambda: record_create(model=Person, data=person_prepare(data), actor=actor))


def person_update(*, person: Person, actor, **data) -> Person:
    """Change a person's record; identifiers are re-validated (one kept as stored, by the rules it was stored under)."""
    base = {"name": person.name, "id_number": person.id_number}
    return _id_number_errors(
        lambda: record_update(obj=person, data=person_prepare({**base, **data}, stored_id_number=person.id_number),
                              actor=actor)[0])


def person_set_active(*, person: Person, active: bool, actor) -> Person:
    """Take a person off (or back on) the register without losing their history."""
    return record_set_active(obj=person, active=active, actor=actor)


def person_reveal(*, person: Person, actor) -> dict[str, str]:
    """The full 身份证号 and phone number, for a role allowed to see them; every full view is logged.

    The only way either is shown in full: pages, pickers, searches and audit rows show them masked."""
    audit_record(actor=actor, action=AuditAction.VIEW_SENSITIVE, obj=person, changes={"fields": ["id_number", "phone"]})
    return {"id_number": person.id_number, "phone": person.phone}


# --- enterprises ----------------------------------------------------------------------------------


def enterprise_prepare(data: dict[str, Any], *, stored_credit_code: str = "") -> dict[str, Any]:
    """Validate the credit code and contact phone; derive pinyin keys. An edit that keeps the code on record
    (`stored_credit_code`) is not held to the GB 32100 structure rules added since it was stored."""
    data = dict(data)
    errors: dict[str, str] = {}
    data["name"] = (data.get("name") or "").strip()
    try:
        raw = str(data.get("credit_code") or "")
        data["credit_code"] = clean_credit_code(
            raw, check_structure=not stored_credit_code or raw.strip().upper() != stored_credit_code)
    except InvalidValue as exc:
        errors["credit_code"] = str(exc)
    if data.get("contact_phone"):
        try:
            data["contact_phone"] = clean_phone(str(data["contact_phone"]))
        except InvalidValue as exc:
            errors["contact_phone"] = str(exc)
    _field_errors(errors)
    data["name_pinyin"], data["name_initials"] = pinyin_keys(data["name"])
    return data


def enterprise_create(*, actor, **data) -> Enterprise:
    """Add an enterprise."""
    return record_create(model=Enterprise, data=enterprise_prepare(data), actor=actor)


def enterprise_update(*, enterprise: Enterprise, actor, **data) -> Enterprise:
    """Change an enterprise's record."""
    base = {"name": enterprise.name, "credit_code": enterprise.credit_code}
    prepared = enterprise_prepare({**base, **data}, stored_credit_code=enterprise.credit_code)
    return record_update(obj=enterprise, data=prepared, actor=actor)[0]


def enterprise_set_active(*, enterprise: Enterprise, active: bool, actor) -> Enterprise:
    return record_set_active(obj=enterprise, active=active, actor=actor)


def region_set_active(*, region: Region, active: bool, actor) -> Region:
    return record_set_active(obj=region, active=active, actor=actor)


# --- accounts -------------------------------------------------------------------------------------


@transaction.atomic
def account_create(*, username: str, role: str, actor, scope: str = "", password: str = "", full_name: str = ""):
    """A login with a role; `scope` is a region code or unit name (unit admin), an ID number (cadre),
    or a credit code (enterprise)."""
    linked = role_scope_field(role)
    if linked is None:
        raise ValidationError({"role": _("未知角色：%(r)s") % {"r": role}})
    links: dict[str, Any] = {}
    if linked == "unit_or_region":
        region = Region.objects.filter(code=scope).first() if scope.isdigit() else None
        unit = None if region else Unit.objects.filter(models_q_name(scope)).first()
        if not (region or unit):
            raise ValidationError({"scope": _("单位管理员需要指定管辖区划代码或单位名称")})
        links = {"region": region, "unit": unit}
    elif linked == "person" and scope:
        person = Person.objects.filter(id_digest=id_number_digest(scope)).first()
        if person is None:
            raise ValidationError({"scope": _("找不到该身份证号对应的人员")})
        links = {"person": person}
    elif linked == "enterprise":
        ent = Enterprise.objects.filter(credit_code=scope.upper()).first()
        if ent is None:
            raise ValidationError({"scope": _("找不到该统一社会信用代码对应的企业")})
        links = {"enterprise": ent}
    User = get_user_model()
    user = User(username=username, first_name=full_name[:150])
    user.full_clean(exclude=["password"])
    if password:
        try:
            validate_password(password, user)  # the password rules (settings.AUTH_PASSWORD_VALIDATORS)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from None
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    account = Account.objects.create(user=user, role=role, **links)
    shown = mask_id_number(scope.strip().upper()) if "person" in links else scope
    audit_record(actor=actor, action=AuditAction.CREATE, obj=account,
                 changes={"role": [None, role], "scope": [None, shown]})
    return user


def models_q_name(name: str):
    from django.db.models import Q

    return Q(name=name) | Q(short_name=name)
