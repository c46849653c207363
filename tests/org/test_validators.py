import pytest

from bole.org.validators import (
    InvalidValue,
    check_region_parent,
    clean_credit_code,
    clean_id_number,
    clean_phone,
    id_check_char,
    mask_id_number,
)


def test_id_number_check_digit_known_value():
    # GB 11643 worked example.
    assert id_check_char("11010519491231002") == "X"
    assert clean_id_number("11010519491231002x") == "11010519491231002X"


@pytest.mark.parametrize(
    "value, reason",
    [
        ("110105194912310021", "校验位"),
        ("11010519491331002X", "出生日期"),
        ("1101051949123100", "18位"),
        ("3.30521199001011e+17", "科学计数法"),
        ("330521199001011234.0", "科学计数法"),
    ],
)
def test_id_number_rejections_say_why(value, reason):
    with pytest.raises(InvalidValue, match=reason):
        clean_id_number(value)


def test_mask_shows_head_and_tail_only():
    assert mask_id_number("33052119900101123X") == "3305**********123X"


def test_credit_code_check_character():
    code = "91350100M000100Y43"  # published valid example
    assert clean_credit_code(code.lower()) == code
    with pytest.raises(InvalidValue, match="校验位"):
        clean_credit_code(code[:17] + "4")
    with pytest.raises(InvalidValue):
        clean_credit_code("91350100M000100YI3")


def test_region_code_must_extend_parent():
    check_region_parent("330521001", "330521")
    with pytest.raises(InvalidValue, match="不一致"):
        check_region_parent("330522001", "330521")
    with pytest.raises(InvalidValue, match="6位"):
        check_region_parent("3305210", "330521")


@pytest.mark.parametrize("value", ["13812345678", "+86 138 1234 5678", "0572-8012345"])
def test_phone_accepts_mobile_and_landline(value):
    assert clean_phone(value)


def test_phone_rejects_garbage():
    with pytest.raises(InvalidValue):
        clean_phone("12345")
