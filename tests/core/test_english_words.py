"""Words stored in Chinese because they are the records' official words, shown in English on an English page: the
standard ones through the catalogue, a county's own ones as written."""

from __future__ import annotations

import pytest
from django.utils import translation

from bole.assessment.compute import GRADES, group_display
from bole.cases.calendar import holiday_label
from bole.core import periods
from bole.ledger.models import STANDARD_NAMES, PointCategory
from tests.english import HAN, Stripper


@pytest.mark.parametrize(("code", "zh", "en"), [
    ("2024Q1", "2024年第一季度", "2024 Q1"), ("2026Q4", "2026年第四季度", "2026 Q4"), ("2025", "2025年度", "2025"),
])
def test_a_period_is_named_in_the_page_language(code, zh, en):
    assert periods.label(code) == zh
    with translation.override("en"):
        assert periods.label(code) == en


def test_ranking_groups_are_shown_in_english_part_by_part_and_a_custom_group_as_written():
    assert group_display("镇街·正职") == "镇街·正职"
    with translation.override("en"):
        assert group_display("全体") == "Everyone"
        assert group_display("镇街·正职") == "Town/street · Chiefs"
        assert group_display("部门·副职") == "Departments · Deputies"
        assert group_display("乡贤组") == "乡贤组"


def test_standard_grades_categories_and_holidays_have_english_names():
    with translation.override("en"):
        for word in [*GRADES, *STANDARD_NAMES]:
            assert not HAN.search(translation.gettext(word)), word
        assert holiday_label("春节") == "Spring Festival"
        assert holiday_label("国庆节、中秋节") == "National Day and Mid-Autumn Festival"
        assert holiday_label("县庆") == "县庆"
        assert PointCategory(code="award", name="表彰奖励").label == "Awards"
        assert str(PointCategory(code="own", name="乡村振兴专项")) == "乡村振兴专项"
    assert str(PointCategory(code="award", name="表彰奖励")) == "表彰奖励"


def test_the_check_takes_out_the_records_words_and_keeps_any_other_chinese():
    stripper = Stripper(["张三", "张三丰"])
    assert stripper.leftovers("Name: 张三丰\nUnit: 张三") == []
    assert stripper.leftovers("张三 · 优秀 · 87.3") == ["· 优秀 · 87.3"]
