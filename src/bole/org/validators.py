"""Check digits and formats of Chinese identifiers: 身份证号 (GB 11643), 统一社会信用代码 (GB 32100), 区划代码.

Both identifiers carry a GB/T 2260 administrative division code, checked against the list in
`org/gbt2260.txt` (`org.divisions`, with where it came from)."""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

from bole.core.scoping import region_prefix

from .divisions import division_codes, province_prefixes

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
_SCI = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")

# Numbers in the 身份证号 form whose first six digits are not a GB/T 2260 division:
# 港澳台居民居住证 (国办发〔2018〕81号): 810000 Hong Kong, 820000 Macao (both also in GB/T 2260), 830000 Taiwan.
_RESIDENCE_PERMIT_AREAS = frozenset({"810000", "820000", "830000"})
# 外国人永久居留身份证 from 2023-12-01 (国家移民管理局): 18 digits by GB 11643, the first digit 9, then the
# province code of the issuing place, then a 3-digit country code.
_FOREIGN_RESIDENT = re.compile(r"9(\d\d)\d{3}")

# GB 32100-2015 with its amendment No. 1 (2016): registration authority (1st character) → the organisation-type
# codes (2nd character) it assigns. As published: 1 机构编制 (1 机关, 2 事业单位, 3 中央编办直接管理机构编制的群众团体,
# 9 其他); 2 外交 (1 外国常驻新闻机构, 9); 3 司法行政 (1 律师执业机构, 2 公证处, 3 基层法律服务所, 4 司法鉴定机构,
# 5 仲裁委员会, 9); 4 文化 (1 外国在华文化中心, 9); 5 民政 (1 社会团体, 2 民办非企业单位, 3 基金会, 9); 6 旅游 (1 外国旅游
# 部门常驻代表机构, 2 港澳台地区旅游部门常驻内地代表机构, 9); 7 宗教 (1 宗教活动场所, 2 宗教院校, 9); 8 工会 (1 基层
# 工会, 9); 9 工商 (1 企业, 2 个体工商户, 3 农民专业合作社); A 中央军委改革和编制办公室 (1, 9); N 农业 (1 组级, 2 村级,
# 3 乡镇级集体经济组织, 9); Y 其他 (1).
_GB32100_TYPES = {"1": "1239", "2": "19", "3": "123459", "4": "19", "5": "1239", "6": "129", "7": "129", "8": "19",
                  "9": "123", "A": "19", "N": "1239", "Y": "1"}
# Pairs assigned since by the coding centre (CODS), as listed in github.com/howardli/CredentialKit (OrgCategory.java):
# 36 商事调解组织; 54 村民委员会, 55 居民委员会 (基层群众性自治组织特别法人, 民政); 82 非法人工会组织; 99 市场监管 其他;
# G 公安 (1 境外非政府组织代表机构, 9); J 住房城乡建设 (1 业主大会, 9); Q 侨联 (1 区县级, 2 乡镇级, 3 村级侨联组织, 9;
# 中侨厅〔2019〕29号). A county's register holds 村委会 and 侨联 codes, so refusing them would refuse real units.
_LATER_TYPES = {"3": "6", "5": "45", "8": "2", "9": "9", "G": "19", "J": "19", "Q": "1239"}
CREDIT_ORG_TYPES: dict[str, frozenset[str]] = {
    k: frozenset(_GB32100_TYPES.get(k, "") + _LATER_TYPES.get(k, "")) for k in {*_GB32100_TYPES, *_LATER_TYPES}}
# 登记管理机关行政区划码 of a registration authority of the central government (e.g. 12100000…, 51100000…).
_NATIONAL_REGION = "100000"


class InvalidValue(ValueError):
    """A value that fails its format rule; the message is the reason shown to the user."""


def id_check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def clean_id_number(value: str, *, check_area: bool = True) -> str:
    """Normalise and validate an 18-digit 身份证号 (GB 11643): the area code (`id_area_known`), the birth date and
    the check character; returns it upper-cased. `check_area=False` only for a number already on record."""
    v = (value or "").strip().upper()
    if _SCI.match(v) or re.fullmatch(r"\d+\.\d+", v):
        raise InvalidValue(_("身份证号被转换成了科学计数法或小数，末位数字已丢失；请把该列设为文本后重新填写"))
    if not re.fullmatch(r"\d{17}[\dX]", v):
        raise InvalidValue(_("身份证号应为18位（最后一位可为X）"))
    if check_area and not id_area_known(v[:6]):
        raise InvalidValue(_("身份证号前6位 %(code)s 不是有效的行政区划代码（GB/T 2260）") % {"code": v[:6]})
    try:
        birth = dt.date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    except ValueError:
        raise InvalidValue(_("身份证号中的出生日期无效")) from None
    if birth.year < 1900 or birth > dt.date.today():
        raise InvalidValue(_("身份证号中的出生日期无效"))
    if id_check_char(v[:17]) != v[17]:
        raise InvalidValue(_("身份证号校验位错误"))
    return v


def id_area_known(area: str) -> bool:
    """The first six digits of an ID number: a GB/T 2260 code (current or retired), a 港澳台居民居住证 code, or
    9 + a province + a country code of the 2023 外国人永久居留身份证."""
    if area in division_codes() or area in _RESIDENCE_PERMIT_AREAS:
        return True
    m = _FOREIGN_RESIDENT.fullmatch(area)
    return bool(m) and m.group(1) in province_prefixes()


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


def clean_credit_code(value: str, *, check_structure: bool = True) -> str:
    """Normalise and validate an 18-character 统一社会信用代码 (GB 32100): no placeholder (one repeated character, a
    主体标识码 of zeros), a known registration authority and organisation type, a 登记管理机关行政区划码 of digits in
    a province that exists (or 100000 for the central government), and the check character.
    `check_structure=False` (a code already on record) checks only the characters and the check character."""
    v = (value or "").strip().upper()
    if len(v) != 18 or any(c not in _CREDIT_CHARS for c in v):
        raise InvalidValue(_("统一社会信用代码应为18位数字或大写字母（不含I、O、Z、S、V）"))
    if check_structure:
        _check_credit_structure(v)
    if credit_check_char(v[:17]) != v[17]:
        raise InvalidValue(_("统一社会信用代码校验位错误"))
    return v


def _check_credit_structure(v: str) -> None:
    """GB 32100's fields: no placeholder, a known authority and type, a digit region in a province."""
    if v == v[0] * 18 or v[8:17] == "000000000":
        raise InvalidValue(_("统一社会信用代码 %(code)s 是占位号码，请填写营业执照或登记证书上的代码") % {"code": v})
    if v[0] not in CREDIT_ORG_TYPES:
        raise InvalidValue(_("统一社会信用代码第1位 %(c)s 不是登记管理部门代码（GB 32100）") % {"c": v[0]})
    if v[1] not in CREDIT_ORG_TYPES[v[0]]:
        raise InvalidValue(_("统一社会信用代码前2位 %(c)s 不是有效的登记管理部门和机构类别代码（GB 32100）") % {"c": v[:2]})
    region = v[2:8]
    if not region.isdigit():
        raise InvalidValue(_("统一社会信用代码第3—8位 %(r)s 是登记管理机关行政区划码，只能是数字") % {"r": region})
    # The authority's own code may be newer than the list or a development zone's (3205 苏州工业园区 …): the
    # province must exist.
    if region != _NATIONAL_REGION and region[:2] not in province_prefixes():
        raise InvalidValue(_("统一社会信用代码第3—8位 %(r)s 不是有效的行政区划代码（GB/T 2260）") % {"r": region})


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
