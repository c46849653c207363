"""A4 prints of the ranking (the 公示 list while in publicity) and the bulletin's page numbers."""

from __future__ import annotations

import io

import pytest
from docx import Document
from docx.oxml.ns import qn

from bole.assessment import services
from bole.assessment.bulletin import bulletin_docx


@pytest.fixture
def publicity(computed, users):
    return services.round_transition(round=computed, to="publicity", actor=users["admin"])


def test_the_ranking_prints_every_row_by_group_with_period_and_date(login, publicity):
    c = login("admin")
    ranking = c.get(f"/assessment/rounds/{publicity.pk}/ranking/").content.decode()
    assert f'href="/assessment/rounds/{publicity.pk}/ranking/print/"' in ranking and "打印公示名单" in ranking
    resp = c.get(f"/assessment/rounds/{publicity.pk}/ranking/print/")
    assert resp.status_code == 200
    page = resp.content.decode()
    assert "考核结果公示名单" in page and "2024年第一季度" in page and "数据截至" in page and "打印日期" in page
    assert page.count("<tr><td") == publicity.results.count()  # every row, no pages
    assert "<thead>" in page and 'class="topbar"' not in page and "print.css" in page


def test_the_print_keeps_the_ranking_filters(login, publicity):
    page = login("admin").get(f"/assessment/rounds/{publicity.pk}/ranking/print/", {"q": "张三"}).content.decode()
    assert page.count("<tr><td") == 1 and "已按筛选条件打印" in page


def test_people_without_the_ranking_cannot_print_it(login, computed):
    assert login("cadre").get(f"/assessment/rounds/{computed.pk}/ranking/print/").status_code in {403, 404}


def test_the_bulletin_footer_numbers_its_pages(computed, users):
    rnd = services.round_transition(round=computed, to="publicity", actor=users["admin"])
    rnd = services.round_transition(round=rnd, to="published", actor=users["admin"], on=services.publish_from(rnd))
    doc = Document(io.BytesIO(bulletin_docx(rnd)))
    footer = doc.sections[0].footer
    assert not footer.is_linked_to_previous
    p = footer.paragraphs[0]
    instructions = [t.text.strip() for t in p._p.iter(qn("w:instrText"))]
    kinds = [f.get(qn("w:fldCharType")) for f in p._p.iter(qn("w:fldChar"))]
    assert instructions == ["PAGE"] and kinds == ["begin", "separate", "end"]
    assert p.text == "— 1 —" and p.alignment == 1  # centred
