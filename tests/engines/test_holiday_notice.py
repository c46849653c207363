"""The notice reader against the real 2024–2026 notices: every holiday and adjusted working day as shipped."""

from datetime import date

import pytest

from bole.engines.holiday_notice import CODES, merge_results, notice_year, parse_notice, parse_rows
from bole.engines.workcal import OFFICIAL_ARRANGEMENTS


def _reason(problem) -> str:
    """The reason as the import page words it (in Chinese)."""
    from bole.cases.holiday_import import problem_line

    return problem_line(problem)[1]


# The items of each year's notice in its own wording (国务院办公厅关于YYYY年部分节假日安排的通知), with the
# paragraphs around them that carry other dates (the law's start date, the 除夕 encouragement, the signature).
NOTICES = {
    2024: """国务院办公厅关于2024年部分节假日安排的通知
国办发明电〔2023〕7号
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2024年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日放假，与周末连休。
二、春节：2月10日至17日放假调休，共8天。2月4日（星期日）、2月18日（星期日）上班。鼓励各单位结合带薪年休假等制度落实，安排职工在除夕（2月9日）休息。
三、清明节：4月4日至6日放假调休，共3天。4月7日（星期日）上班。
四、劳动节：5月1日至5日放假调休，共5天。4月28日（星期日）、5月11日（星期六）上班。
五、端午节：6月10日放假，与周末连休。
六、中秋节：9月15日至17日放假调休，共3天。9月14日（星期六）上班。
七、国庆节：10月1日至7日放假调休，共7天。9月29日（星期日）、10月12日（星期六）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作。
国务院办公厅
2023年10月25日""",
    2025: """国务院办公厅关于2025年部分节假日安排的通知
经党中央、国务院批准，根据2024年11月修订的《全国年节及纪念日放假办法》，自2025年1月1日起，全体公民放假的假日增加2天，其中春节、劳动节各增加1天。
一、元旦：1月1日（周三）放假1天，不调休。
二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。
三、清明节：4月4日（周五）至6日（周日）放假，共3天。
四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。
五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作。
国务院办公厅
2024年11月12日""",
    2026: """国务院办公厅关于2026年部分节假日安排的通知
一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
三、清明节：4月4日（周六）至6日（周一）放假，共3天。
四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
五、端午节：6月19日（周五）至21日（周日）放假，共3天。
六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
国务院办公厅
2025年11月4日""",
}


@pytest.mark.parametrize("year", sorted(NOTICES))
def test_the_real_notices_give_the_shipped_arrangement_exactly(year):
    result = parse_notice(NOTICES[year])
    assert result.problems == []
    assert result.year == year
    assert result.holidays == sorted(OFFICIAL_ARRANGEMENTS[year]["holidays"])
    assert result.workdays == sorted(OFFICIAL_ARRANGEMENTS[year]["workdays"])


def test_the_items_alone_read_the_same_with_the_year_given():
    items = NOTICES[2026].split("\n", 1)[1]
    assert notice_year(items) is None
    assert parse_notice(items).problems[0].code == "no_year"
    assert parse_notice(items, year=2026).holidays == sorted(OFFICIAL_ARRANGEMENTS[2026]["holidays"])


def test_the_one_line_form_reads_too():
    text = ("一、元旦：1月1日（星期五）放假，共1天。二、春节：2月6日（星期六）至13日（星期六）放假调休，共8天。"
            "2月14日（星期日）、2月20日（星期六）上班。")
    result = parse_notice(text, year=2027)
    assert result.problems == []
    assert result.holidays[0] == (date(2027, 1, 1), "元旦")
    assert [d for d, _ in result.holidays[1:]] == [date(2027, 2, d) for d in range(6, 14)]
    assert result.workdays == [(date(2027, 2, 14), "春节"), (date(2027, 2, 20), "春节")]


def test_full_width_digits_and_ascii_punctuation_are_the_same_notice():
    text = "一、元旦:１月１日(周五)放假,共1天。"
    assert parse_notice(text, year=2027).holidays == [(date(2027, 1, 1), "元旦")]


def test_a_notice_pasted_under_the_wrong_year_names_the_item_and_writes_nothing():
    result = parse_notice(NOTICES[2026].split("\n", 1)[1], year=2027)
    assert result.holidays == [] and result.workdays == []
    first = result.problems[0]
    assert (first.code, first.item) == ("weekday_mismatch", "一、元旦")
    assert _reason(first) == "2027-01-01 是星期五，通知写的是星期四（年份对吗？）"


def test_a_title_for_another_year_is_refused():
    result = parse_notice(NOTICES[2025], year=2027)
    assert [_reason(p) for p in result.problems] == ["通知标题是 2025 年，所选年份是 2027 年"]


def test_bad_lines_each_get_a_reason():
    text = ("一、元旦：1月1日（星期五）放假，共2天。"
            "二、春节：2月6日至13日放假调休，共8天。2月15日（星期一）上班。"
            "三、清明节：4月31日放假。"
            "四、劳动节：放假调休，共5天。")
    result = parse_notice(text, year=2027)
    got = [(p.item, _reason(p)) for p in result.problems]
    assert got == [
        ("一、元旦", "写明共2天，日期算出 1 天"),
        ("二、春节", "调休上班日 2027-02-15 是星期一，应为周六或周日"),
        ("三、清明节", "“4月31日”不是有效日期"),
        ("三、清明节", "“放假”之前没有找到日期"),
        ("四、劳动节", "“放假”之前没有找到日期"),
    ]
    assert result.holidays == [] and not result.ok


def test_text_without_items_says_so():
    assert [p.code for p in parse_notice("2027年1月1日放假", year=2027).problems] == ["no_items"]


def test_a_december_start_belongs_to_the_previous_year():
    text = "一、元旦：12月30日至1月1日放假调休，共3天。"
    result = parse_notice(text, year=2019)
    assert [d for d, _ in result.holidays] == [date(2018, 12, 30), date(2018, 12, 31), date(2019, 1, 1)]


def test_sheet_rows_with_a_header_and_named_bad_rows():
    rows = [("日期", "类型", "名称"), (date(2027, 1, 1), "放假", "元旦"), ("2027/2/14", "上班", "春节"),
            ("2027-02-15", "上班", "春节"), ("明天", "放假", ""), (date(2027, 1, 1), "放假", "元旦"),
            ("2027-03-01", "休假", "")]
    result = parse_rows(rows, year=2027)
    assert [(p.row, _reason(p)) for p in result.problems] == [
        (4, "调休上班日 2027-02-15 是星期一，应为周六或周日"),
        (5, "日期“明天”无法识别（应为 2027-01-01 这样的日期）"),
        (6, "2027-01-01 重复出现"),
        (7, "类型“休假”应为“放假”或“上班”"),
    ]
    good = parse_rows(rows[:3], year=2027)
    assert good.ok and good.entries() == [(date(2027, 1, 1), "holiday", "元旦"), (date(2027, 2, 14), "workday", "春节")]


def test_rows_outside_the_year_are_refused():
    result = parse_rows([("2028-01-01", "放假", "元旦")], year=2027)
    assert [_reason(p) for p in result.problems] == ["2028-01-01 不在 2027 年的安排范围内"]


def test_notice_and_sheet_together_must_agree():
    notice = parse_notice("一、元旦：1月1日（星期五）放假，共1天。", year=2027)
    sheet = parse_rows([("2027-01-01", "上班", "")], year=2027)
    assert sheet.problems  # a Friday cannot be an adjusted working day
    sheet = parse_rows([("2027-02-06", "放假", "春节")], year=2027)
    merged = merge_results(notice, sheet)
    assert merged.ok and [d for d, _ in merged.holidays] == [date(2027, 1, 1), date(2027, 2, 6)]
    clash = merge_results(notice, parse_rows([("2027-02-06", "上班", "春节")], year=2027))
    assert clash.ok  # a Saturday may be worked
    clash = merge_results(parse_notice("一、春节：2月6日（星期六）放假，共1天。", year=2027),
                          parse_rows([("2027-02-06", "上班", "春节")], year=2027))
    assert [p.code for p in clash.problems] == ["kind_conflict"]


def test_every_code_has_a_message():
    from bole.cases.holiday_import import PROBLEM_TEXT

    assert set(PROBLEM_TEXT) == CODES
