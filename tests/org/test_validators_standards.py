"""身份证号 and 统一社会信用代码 against their standards: python-stdnum's published vectors (python-stdnum 2.2,
tests/test_cn_ric.doctest and tests/test_cn_uscc.doctest, https://github.com/arthurdejong/python-stdnum), and a case
for each rule of GB/T 2260 and GB 32100 the validators apply, with the exact message a user reads."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from bole.org import divisions
from bole.org.demo import CITY, COUNTIES, make_credit_code, make_id_number
from bole.org.validators import (
    CREDIT_ORG_TYPES,
    InvalidValue,
    clean_credit_code,
    clean_id_number,
    credit_check_char,
    id_check_char,
)

VECTORS = Path(__file__).with_name("vectors")


def with_id_check(first17: str) -> str:
    return first17 + id_check_char(first17)


def with_credit_check(first17: str) -> str:
    return first17 + credit_check_char(first17)


def refused(clean, value: str) -> str:
    with pytest.raises(InvalidValue) as exc:
        clean(value)
    return str(exc.value)


# --- python-stdnum's vectors -------------------------------------------------------------------------------------

# tests/test_cn_ric.doctest: numbers stdnum accepts.
RIC_VALID = ["360426199101010071", "44011320141005001x", "412723199010050012", "110102199101010078",
             "120110198012010073", "120110199212010072"]


@pytest.mark.parametrize("value", RIC_VALID)
def test_stdnum_valid_id_numbers_are_accepted(value):
    assert clean_id_number(value) == value.upper()


@pytest.mark.parametrize("value, reason", [
    ("990426199112010074", "身份证号前6位 990426 不是有效的行政区划代码（GB/T 2260）"),  # unknown birth place
    ("T60426199101010078", "身份证号应为18位（最后一位可为X）"),
    ("360426199113010079", "身份证号中的出生日期无效"),
    ("36042619910102009X", "身份证号校验位错误"),
])
def test_stdnum_invalid_id_numbers_are_refused(value, reason):
    assert refused(clean_id_number, value) == reason


@pytest.mark.parametrize("value", ["110111198012010078", "110201199312010077"])
def test_a_code_outside_its_years_is_still_accepted(value):
    """stdnum refuses these two: 110111 房山区 dates from 1986 (born 1980), 110201 昌平县 was retired in 1982 (born
    1993). The number is given where a person is first registered, which may be years after birth, and offices
    kept issuing a retired code for a while after a merger: a year rule would refuse real people, so the area code
    only has to have existed."""
    assert clean_id_number(value) == value


def test_stdnum_valid_credit_codes_are_accepted():
    codes = [line for line in (VECTORS / "stdnum_uscc_valid.txt").read_text().splitlines()
             if line and not line.startswith("#")]
    assert len(codes) == 200
    assert [c for c in codes if _fails(clean_credit_code, c)] == []
    assert clean_credit_code("91110000600037341L") == "91110000600037341L"


@pytest.mark.parametrize("value, reason", [
    ("12345", "统一社会信用代码应为18位数字或大写字母（不含I、O、Z、S、V）"),
    ("9111000060003IOZSV", "统一社会信用代码应为18位数字或大写字母（不含I、O、Z、S、V）"),
    ("91110000600037341N", "统一社会信用代码校验位错误"),
    ("A1110000600037341L", "统一社会信用代码校验位错误"),  # A1 is a pair (军队); the check character is wrong
])
def test_stdnum_invalid_credit_codes_are_refused(value, reason):
    assert refused(clean_credit_code, value) == reason


def _fails(clean, value):
    try:
        clean(value)
    except InvalidValue:
        return True
    return False


# --- 身份证号: the area code (GB/T 2260) -------------------------------------------------------------------------


@pytest.mark.parametrize("area", ["000000", "990426", "991234", "330599", "111111"])
def test_an_area_code_that_never_existed_is_refused(area):
    value = with_id_check(f"{area}19900101001")
    assert refused(clean_id_number, value) == f"身份证号前6位 {area} 不是有效的行政区划代码（GB/T 2260）"


@pytest.mark.parametrize("area, name", [
    ("110103", "[-2010]崇文区"),  # merged into 东城区 in 2010
    ("120110", "[-1991]东郊区,[1992-]东丽区"),
    ("330502", "[1983-1987]城区,[2003-]吴兴区"),
])
def test_a_retired_code_is_accepted(area, name):
    assert divisions.division_names()[area] == name
    assert clean_id_number(with_id_check(f"{area}19800101001"))


@pytest.mark.parametrize("area", ["810000", "820000", "830000"])
def test_residence_permits_of_hong_kong_macao_and_taiwan_are_accepted(area):
    assert clean_id_number(with_id_check(f"{area}19900101001"))


def test_the_2023_permanent_residence_card_of_a_foreigner_is_accepted():
    assert clean_id_number(with_id_check("933156" + "19900101001"))  # 9, 浙江 33, 156
    assert refused(clean_id_number, with_id_check("999156" + "19900101001")).startswith("身份证号前6位 999156")


# --- 统一社会信用代码 (GB 32100) -----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["000000000000000000", "111111111111111111", "YYYYYYYYYYYYYYYYYY"])
def test_a_code_of_one_repeated_character_is_refused(value):
    assert refused(clean_credit_code, value) == (
        f"统一社会信用代码 {value} 是占位号码，请填写营业执照或登记证书上的代码")


def test_a_zero_body_is_a_placeholder():
    for value in ("91000000000000000X", with_credit_check("91330521000000000")):
        assert refused(clean_credit_code, value) == (
            f"统一社会信用代码 {value} 是占位号码，请填写营业执照或登记证书上的代码")


@pytest.mark.parametrize("first", ["0", "B", "C", "H", "K", "X"])
def test_an_unknown_registration_authority_is_refused(first):
    value = with_credit_check(f"{first}1330521MA2B3C4D5")
    assert refused(clean_credit_code, value) == f"统一社会信用代码第1位 {first} 不是登记管理部门代码（GB 32100）"


@pytest.mark.parametrize("pair", ["94", "9A", "15", "26", "37", "42", "48", "73", "Y2", "N4", "A2"])
def test_an_organisation_type_the_authority_does_not_assign_is_refused(pair):
    value = with_credit_check(f"{pair}330521MA2B3C4D5")
    assert refused(clean_credit_code, value) == (
        f"统一社会信用代码前2位 {pair} 不是有效的登记管理部门和机构类别代码（GB 32100）")


@pytest.mark.parametrize("pair", [
    "11", "12", "13", "19", "21", "29", "31", "32", "33", "34", "35", "39", "41", "49", "51", "52", "53", "59",
    "61", "62", "69", "71", "72", "79", "81", "89", "91", "92", "93", "A1", "A9", "N1", "N2", "N3", "N9", "Y1",
    # assigned after the standard: 商事调解, 村委会, 居委会, 非法人工会, 市场监管其他, 境外NGO, 业主大会, 侨联
    "36", "54", "55", "82", "99", "G1", "G9", "J1", "J9", "Q1", "Q2", "Q3", "Q9",
])
def test_every_published_pair_is_accepted(pair):
    assert clean_credit_code(with_credit_check(f"{pair}330521MA2B3C4D5"))


def test_the_table_is_the_published_one():
    assert {k: "".join(sorted(v)) for k, v in CREDIT_ORG_TYPES.items()} == {
        "1": "1239", "2": "19", "3": "1234569", "4": "19", "5": "123459", "6": "129", "7": "129", "8": "129",
        "9": "1239", "A": "19", "G": "19", "J": "19", "N": "1239", "Q": "1239", "Y": "1"}


@pytest.mark.parametrize("region", ["3305A1", "33Q521", "ABCDEF"])
def test_a_letter_in_the_region_field_is_refused(region):
    value = with_credit_check(f"91{region}MA2B3C4D5")
    assert refused(clean_credit_code, value) == (
        f"统一社会信用代码第3—8位 {region} 是登记管理机关行政区划码，只能是数字")


@pytest.mark.parametrize("region", ["000000", "990100", "090000", "700000"])
def test_a_region_in_no_province_is_refused(region):
    value = with_credit_check(f"91{region}MA2B3C4D5")
    assert refused(clean_credit_code, value) == f"统一社会信用代码第3—8位 {region} 不是有效的行政区划代码（GB/T 2260）"


@pytest.mark.parametrize("first17", [
    "12100000400012345",  # a central institution (100000: registered by the central government)
    "51100000500010993",  # a national social organisation
    "91320594MA1MXXXX1",  # a development zone's authority (苏州工业园区), a code outside GB/T 2260
    "54330521MEA123456",  # a village committee
])
def test_national_and_zone_registration_regions_are_accepted(first17):
    assert clean_credit_code(with_credit_check(first17))


# --- the shipped list and the demo -------------------------------------------------------------------------------


def test_the_list_says_where_it_came_from_and_reads_back():
    text = divisions.DATA_FILE.read_text(encoding="utf-8")
    assert "python-stdnum 2.2" in text and "sha256 2245716b" in text and "python -m bole.org.divisions" in text
    codes = divisions.division_codes()
    assert len(codes) == 6885 and all(len(c) == 6 and c.isdigit() for c in codes)
    assert divisions.province_prefixes() >= {"11", "33", "65", "71", "81", "82"}
    sample = '# head\n33 province="浙江省"\n  0521 county="[1983-]德清县"\n  0502 county="[1983-1987]城区,[2003-]吴兴区"\n'
    parsed = divisions.parse_stdnum_loc(sample)
    assert parsed == {"330521": "[1983-]德清县", "330502": "[1983-1987]城区,[2003-]吴兴区"}
    rendered = divisions.render(parsed, source="python-stdnum 9.9", sha256="0" * 64)
    assert rendered.splitlines()[-2:] == ["330502\t[1983-1987]城区,[2003-]吴兴区", "330521\t[1983-]德清县"]


def test_the_demo_generates_codes_that_pass():
    rng = random.Random(7)
    areas = {"330521", "330502", "330503", "330522", "330523", CITY[0], *(c.code for c in COUNTIES)}
    for area in sorted(areas):
        assert divisions.is_division_code(area)
        for i in range(200):
            clean_id_number(make_id_number(rng, area, dt.date(1960 + i % 40, 1 + i % 12, 1 + i % 28), i % 2 == 0))
            clean_credit_code(make_credit_code(rng, area))
