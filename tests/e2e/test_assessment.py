"""An admin computes a round, opens a cadre's explanation, publishes the round and downloads the bulletin."""

import io
from decimal import Decimal

import pytest

from tests.assessment.conftest import inputs, leaders, scheme  # noqa: F401 - shared fixtures

from .conftest import shot, ui_login

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
    page.get_by_role("link", name="奔跑赶超考核").click()
    page.get_by_role("link", name=rnd.title).click()
    page.get_by_role("button", name="计算").click()
    page.get_by_text("已完成").wait_for()
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
    page.get_by_role("button", name="发布").click()
    page.get_by_text("下载考核结果通报").wait_for()
    rnd.refresh_from_db()
    assert rnd.status == "published" and rnd.doc_number
    shot(page, "assessment-round-published")

    with page.expect_download() as info:
        page.get_by_role("button", name="下载考核结果通报").click()
    data = open(info.value.path(), "rb").read()
    doc = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert rnd.doc_number in text and "考核结果的通报" in text
    assert doc.tables[0].rows[-1].cells[2].text == "10"
