"""Check digits and formats of Chinese identifiers: 身份证号 (GB 11643), 统一社会信用代码 (GB 32100), 区划代码."""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

from bole.core.scoping import region_prefix

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
_SCI = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")


class InvalidValue(ValueError):
    """A value that fails its format rule; the message is the reason shown to the user."""


def id_check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def clean_id_number(value: str) -> str:
    """Normalise and validate an 18-digit 身份证号; returns it upper-cased."""
    v = (value or "").strip().upper()
    if _SCI.match(v) or re.fullmatch(r"\d+\.\d+", v):
        raise InvalidValue(_("身份证号被转换成了科学计数法或小数，末位数字已丢失；请把该列设为文本后重新填写"))
    if not re.fullmatch(r"\d{17}[\dX]", v):
        raise InvalidValue(_("身份证号应为18位（最后一位可为X）"))
    try:
        birth = dt.date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    except ValueError:
        raise InvalidValue(_("身份证号中的出生日期无效")) from None
    if birth.year < 1900 or birth > dt.date.today():
        raise InvalidValue(_("身份证号中的出生日期无效"))
    if id_check_char(v[:17]) != v[17]:
        raise InvalidValue(_("身份证号校验位错误"))
    return v


def id_birth_date(id_number: str) -> dt.date:
    return dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def id_gender(id_number: str) -> str:
    """'M' or 'F' from the 17th digit."""
    return "M" if int(id_number[16]) % 2 else "F"


def mask_id_number(id_number: str) -> str:
    """3305**********1234: the form shown to roles that may not see the full number."""
    if not id_number:
        return ""
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]


def credit_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters."""
    total = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return _CREDIT_CHARS[(31 - total % 31) % 31]


def clean_credit_code(value: str) -> str:
    """Normalise and validate an 18-character 统一社会信用代码."""
    v = (value or "").strip().upper()
    if len(v) != 18 or any(c not in _CREDIT_CHARS for c in v):
        raise InvalidValue(_("统一社会信用代码应为18位数字或大写字母（不含I、O、Z、S、V）"))
    if credit_check_char(v[:17]) != v[17]:
        raise InvalidValue(_("统一社会信用代码校验位错误"))
    return v


def clean_phone(value: str) -> str:
    """A mobile (11 digits from 13x–19x) or landline number."""
    v = re.sub(r"[\s()（）]", "", value or "")
    if v.startswith("+86"):
        v = v[3:]
    if not _PHONE.match(v):
        raise InvalidValue(_("电话号码格式不正确"))
    return v


# Levels from the top of the tree down; a 6-digit code is a province (XX0000), a city (XXXX00) or a county.
REGION_LEVELS = ("province", "city", "county", "town", "village")


def region_level_of(code: str) -> str:
    """6 digits province (XX0000), city (XXXX00) or county; 9 town/street; 12 village/community."""
    if not re.fullmatch(r"\d+", code or ""):
        raise InvalidValue(_("行政区划代码只能是数字"))
    if len(code) == 6:
        if code[:2] == "00" or code[2:4] == "00" and code[4:] != "00":
            raise InvalidValue(_("6位行政区划代码无效：省级为XX0000，市级为XXXX00"))
        return "province" if code[2:] == "0000" else "city" if code[4:] == "00" else "county"
    levels = {9: "town", 12: "village"}
    if len(code) not in levels:
        raise InvalidValue(_("行政区划代码应为6位（省、市、县）、9位（镇街）或12位（村社）"))
    return levels[len(code)]


def check_region_parent(code: str, parent_code: str | None) -> None:
    """A region's code must extend its parent's code (`region_prefix`), one level down.

    The tree may start at a province, a city or a county; a county may sit under a province directly
    (省直辖县), a town under its county and a village under its town.
    """
    level = region_level_of(code)
    if not parent_code:
        if level in {"town", "village"}:
            raise InvalidValue(_("镇街和村社必须有上级区划"))
        return
    parent_level = region_level_of(parent_code)
    if level == "province":
        raise InvalidValue(_("省级区划不应有上级"))
    allowed = {"city": {"province"}, "county": {"province", "city"}, "town": {"county"}, "village": {"town"}}
    if parent_level not in allowed[level] or code == parent_code or not code.startswith(region_prefix(parent_code)):
        raise InvalidValue(_("区划代码 %(code)s 与上级代码 %(parent)s 不一致") % {"code": code, "parent": parent_code})
