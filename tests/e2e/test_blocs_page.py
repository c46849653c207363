"""The results page of a 民主测评 with a bloc, at desktop and phone width: the screen's note reads as a sentence."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.evaluation.test_blocs import make_bloc_round

from .conftest import DESKTOP, PHONE, shot, ui_login

PW = "pass-1234-word"


@pytest.mark.django_db(transaction=True)
def test_results_page_says_what_was_set_aside_and_what_the_screen_can_find(browser, live_url, county, users):
    ev = make_bloc_round(county, users["admin"])
    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        ctx = browser.new_context(viewport=size, locale="zh-CN")
        pg = ctx.new_page()
        ui_login(pg, live_url, "admin", PW)
        pg.goto(f"{live_url}{reverse('evaluation-results', args=[ev.pk])}")
        note = pg.locator("#bloc-screen")
        assert "已从得分和区间中剔除" in note.inner_text()
        assert "筛查有九成把握发现" in note.inner_text()
        shot(pg, f"blocs-results-{name}")
        ctx.close()
