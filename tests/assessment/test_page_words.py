"""The assessment pages in staff words: the computation folded under a plain summary, tie-breakers and scheme terms
by name with help, and the imported inputs as tables with columns."""

from __future__ import annotations

import re

from bole.assessment.forms import IndicatorForm, SchemeForm


def test_the_round_page_folds_the_fingerprint_and_parameters_under_a_plain_summary(login, computed):
    page = login("admin").get(f"/assessment/rounds/{computed.pk}/").content.decode()
    details = re.search(r'<details class="tech" data-testid="computation">(.*?)</details>', page, re.S)
    assert details, "no folded computation details"
    inside, outside = details.group(1), page.replace(details.group(0), "")
    assert computed.input_fingerprint in inside and computed.input_fingerprint[:16] not in outside
    assert computed.engine_version not in outside
    assert "计算后考核数据没有变动" in inside.split("</summary>")[0]
    # Parameters by the scheme form's labels and choice labels, never the stored keys.
    assert "排名分组" in inside and "全体统一排名" in inside and "优秀比例" in inside and "15%" in inside
    assert "同分比较指标" in inside and "单位综合考评、个人任务完成率" in inside
    assert "组内极差标准化" in inside and "取组内平均" in inside and "表彰奖励、扣分" in inside
    assert "<th>周期</th><td>2024Q1</td>" in inside
    for key in ("grouping", "excellent_share", "minmax", "group_mean", "section_leader", "period", "award"):
        assert key not in inside


def test_people_see_no_computation_details(login, computed, users):
    from bole.assessment import services

    services.round_transition(round=computed, to="publicity", actor=users["admin"])
    page = login("cadre").get(f"/assessment/rounds/{computed.pk}/").content.decode()
    assert 'data-testid="computation"' not in page and computed.input_fingerprint[:8] not in page


def test_the_scheme_page_names_tie_breakers_and_explains_every_term(login, scheme, computed, users):
    c = login("admin")
    page = c.get(f"/assessment/schemes/{scheme.pk}/").content.decode()  # editable: the form says what the codes are
    assert "现为：单位综合考评、个人任务完成率" in page
    from bole.assessment import services

    services.round_transition(round=computed, to="publicity", actor=users["admin"])
    page = c.get(f"/assessment/schemes/{scheme.pk}/").content.decode()  # locked: read-only, by name
    assert "方案已锁定" in page and "<td>单位综合考评、个人任务完成率</td>" in page and "unit、task" not in page
    glossary = page.split('id="glossary"', 1)[1]
    for term in ("排名分组", "权重", "方向", "标准化", "组内标准分", "组内百分位", "缺失值处理", "剔除该项并重新分配权重",
                 "优秀比例与名额取整", "同分比较指标", "保留小数位", "导入数值代码"):
        assert f"<strong>{term}</strong>" in glossary or f"<summary>{term}" in glossary, term


def test_every_scheme_and_indicator_field_has_help_text():
    for form in (SchemeForm(), IndicatorForm()):
        bare = [name for name, f in form.fields.items() if not f.help_text and not f.widget.is_hidden
                and name not in {"is_active"}]
        assert bare == [], f"{type(form).__name__}: {bare}"


def test_input_pages_are_tables_with_columns(login, inputs):
    c = login("admin")
    page = c.get("/assessment/inputs/task-tallies/", {"period": "2024Q1"}).content.decode()
    head = page.split('data-testid="inputs"', 1)[1].split("</thead>")[0]
    assert [h for h in re.findall(r"<th[^>]*>([^<]+)</th>", head)] == [
        "周期", "人员", "单位", "交办任务数", "完成任务数", "完成率", "备注"]
    assert re.search(r"<td>2024Q1</td><td>张三</td><td>武康街道党工委</td><td class=\"num\">10</td>", page)
    page = c.get("/assessment/inputs/manual-values/", {"period": "2024Q1"}).content.decode()
    assert "干部群众多维评议" in page  # the metric by the name of the indicator that reads it
    assert "<td class=\"num\">72.5</td>" in page
    page = c.get("/assessment/inputs/unit-scores/").content.decode()
    assert "综合考评得分" in page and "<td class=\"num\">85.00</td>" in page



def test_the_new_scheme_form_explains_each_field_once(login):
    page = login("admin").get("/assessment/schemes/new/").content.decode()
    assert page.count("把原始数值换算成 0–100 的方法") == 1  # three indicator rows, help under the first
    assert "每轮考核的时间段" in page and 'id="glossary"' in page
