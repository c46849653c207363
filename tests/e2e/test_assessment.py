"""An admin computes a round, opens a cadre's explanation, publishes the round and downloads the bulletin;
an admin builds a scheme on its page, opens a round and records a grade decision."""

import datetime as dt
import io
from decimal import Decimal

import pytest

from tests.assessment.conftest import inputs, leaders, scheme  # noqa: F401 - shared fixtures

from .conftest import menu_click, shot, ui_login

PW = "pass-1234-word"


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_compute_explain_publish_bulletin(page, live_url, users, inputs, scheme, county):  # noqa: F811
    from docx import Document

    from bole.assessment import services
    from bole.assessment.models import Result, Round

    rnd = services.round_create(scheme=scheme, period="2024Q1", actor=None)
    services.round_transition(round=rnd, to="collecting", actor=None)

    ui_login(page, live_url, "admin", PW)
    menu_click(page, "奔跑赶超考核")
    page.get_by_role("link", name=rnd.title).click()
    page.get_by_role("button", name="计算").click()
    page.get_by_text("人的考核结果").wait_for()  # the background job's page
    shot(page, "assessment-compute-job")
    page.get_by_role("button", name="返回考核轮次").click()
    assert Round.objects.get(pk=rnd.pk).status == "computed"
    shot(page, "assessment-round-computed")

    page.get_by_role("button", name="排名").click()
    page.get_by_role("heading", name="排名", exact=False).wait_for()
    page.locator("#hist canvas").wait_for()
    shot(page, "assessment-ranking")

    page.get_by_role("link", name="张三").click()
    page.get_by_role("heading", name="得分构成").wait_for()
    total = Decimal(page.get_by_test_id("total").inner_text())
    parts = [Decimal(t) for t in page.locator("td.contribution").all_inner_texts()]
    assert sum(parts) == total == Decimal(page.get_by_test_id("sum").inner_text())
    assert total == Result.objects.get(round=rnd, person=county["zhangsan"]).total
    page.locator("#trend canvas").wait_for()
    shot(page, "assessment-explain")

    page.get_by_role("link", name=rnd.title).click()
    page.get_by_role("button", name="进入公示").click()
    page.get_by_text("公示截止").wait_for()
    rnd.refresh_from_db()
    page.get_by_text(f"{services.publish_from(rnd):%Y-%m-%d} 起可发布").wait_for()
    assert page.get_by_role("button", name="发布").is_disabled()
    shot(page, "assessment-round-publicity")
    # The publicity period runs its course.
    Round.objects.filter(pk=rnd.pk).update(publicity_until=dt.date.today() - dt.timedelta(days=1))
    page.reload()
    page.get_by_role("button", name="发布").click()
    page.get_by_text("生成考核结果通报").wait_for()
    rnd.refresh_from_db()
    assert rnd.status == "published" and rnd.doc_number
    shot(page, "assessment-round-published")
    page.get_by_role("link", name=scheme.name).click()
    page.get_by_text("方案已锁定").wait_for()
    shot(page, "assessment-scheme-locked")
    page.get_by_role("link", name=rnd.title).click()

    page.get_by_role("button", name="生成考核结果通报").click()
    page.get_by_text("通报已生成").wait_for()
    with page.expect_download() as info:
        page.get_by_role("button", name="下载通报（Word）").click()
    data = open(info.value.path(), "rb").read()
    doc = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert rnd.doc_number in text and "考核结果的通报" in text
    assert doc.tables[0].rows[-1].cells[2].text == "10"


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_scheme_page_round_and_grade_decision(page, phone, live_url, users, inputs, scheme, county):  # noqa: F811
    from bole.assessment import services
    from bole.assessment.models import GradeDecision, Result, Round, Scheme

    ui_login(page, live_url, "admin", PW)
    page.goto(f"{live_url}/assessment/")
    page.get_by_role("button", name="新建方案").click()
    page.get_by_label("方案名称").fill("一般干部年度考核")
    page.get_by_label("考核对象").select_option(label="一般干部")
    page.get_by_label("考核周期").select_option(label="年度")
    page.get_by_label("优秀比例（%）").fill("25")
    page.get_by_label("同分比较指标").fill("task")
    rows = page.locator("fieldset.indicator")
    for i, (code, name, kind, weight) in enumerate((("unit", "单位综合考评", "单位综合考评得分", "40"),
                                                     ("task", "个人任务完成率", "个人任务完成率", "50"))):
        rows.nth(i).get_by_label("代码", exact=True).fill(code)
        rows.nth(i).get_by_label("指标名称").fill(name)
        rows.nth(i).get_by_label("类型", exact=True).select_option(label=kind)
        rows.nth(i).get_by_label("权重", exact=True).fill(weight)
    rows.nth(1).get_by_label("权重", exact=True).blur()
    page.get_by_test_id("weights").get_by_text("权重合计 90 / 100").wait_for()
    page.get_by_role("button", name="保存方案").click()
    page.get_by_text("优秀比例不得超过 20%").wait_for()
    page.get_by_label("优秀比例（%）").fill("15")
    page.get_by_role("button", name="保存方案").click()
    page.get_by_text("指标权重合计应为 100，现为 90").wait_for()
    assert not Scheme.objects.filter(name="一般干部年度考核").exists()
    shot(page, "assessment-scheme-errors")

    rows.nth(1).get_by_label("权重", exact=True).fill("60")
    page.get_by_role("button", name="增加指标").click()
    page.locator("fieldset.indicator").nth(3).wait_for()
    page.get_by_role("button", name="保存方案").click()
    page.get_by_text("方案已保存").wait_for()
    created = Scheme.objects.get(name="一般干部年度考核")
    assert list(created.indicators.values_list("code", "weight")) == [("unit", 40), ("task", 60)]
    shot(page, "assessment-scheme-form")

    page.get_by_role("button", name="新建轮次").click()
    page.get_by_label("周期").fill("2024Q1")
    page.get_by_role("button", name="新建轮次").click()
    page.get_by_text("周期与方案的考核周期类型不一致").wait_for()
    shot(page, "assessment-round-new")
    page.get_by_label("周期").fill("2024")
    page.get_by_role("button", name="新建轮次").click()
    page.get_by_text("已新建轮次").wait_for()
    assert Round.objects.filter(scheme=created, period="2024").exists()

    # A quarter of the section-level leaders' scheme, computed: 张三 is decided 不称职.
    rnd = services.round_create(scheme=scheme, period="2024Q1", actor=None)
    for to in ("collecting", "computed"):
        rnd = services.round_transition(round=rnd, to=to, actor=None)
    me = county["zhangsan"]
    page.goto(f"{live_url}/assessment/rounds/{rnd.pk}/")
    page.get_by_label("人员", exact=True).fill("zs")  # the search picker: initials find 张三
    page.get_by_role("button", name="张三").click()
    page.get_by_label("等次").select_option("不称职")
    page.get_by_label("依据").fill("受到党内严重警告处分")
    page.get_by_role("button", name="记录决定").click()
    page.get_by_text("已记录等次决定").wait_for()
    assert GradeDecision.objects.get(round=rnd).person == me
    page.get_by_role("button", name="重新计算").click()
    page.get_by_text("已完成").wait_for()
    assert Result.objects.get(round=rnd, person=me).grade == "不称职"
    shot(page, "assessment-round-decisions")

    ui_login(phone, live_url, "admin", PW)
    for url, name in ((f"/assessment/rounds/{rnd.pk}/", "assessment-round-decisions-phone"),
                      (f"/assessment/schemes/{created.pk}/", "assessment-scheme-form-phone"),
                      (f"/assessment/schemes/{scheme.pk}/", "assessment-scheme-phone"),
                      ("/assessment/rounds/new/", "assessment-round-new-phone")):
        phone.goto(f"{live_url}{url}")
        shot(phone, name)
