"""The staff list page: escaped cells, pages, filters, scope, and a query count that does not grow with rows."""

from __future__ import annotations

import re

from bole.cases.choices import Action
from bole.cases.services import case_transition


def _assigned(new_case, users, county, title, unit="u1"):
    case = case_transition(case=new_case(title=title), action=Action.ACCEPT, actor=users["admin"])
    return case_transition(case=case, action=Action.ASSIGN, actor=users["admin"], lead_unit=county[unit])


def _numbers(html: str) -> list[str]:
    return re.findall(r">(\d{2,}-\d{7,})</a>", html)


def test_titles_are_escaped_and_rows_link_to_cases(login, new_case, users, county):
    case = _assigned(new_case, users, county, '<script>alert("x")</script>道路 & 桥梁')
    html = login("admin").get("/cases/").content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;道路 &amp; 桥梁" in html
    assert f'href="/cases/{case.pk}/"' in html
    assert f"{case.desk_id:02d}-{case.pk:07d}" in html


def test_pages_are_newest_first_without_overlap(login, new_case, users, county, settings):
    from bole.cases import views

    made = [new_case(title=f"问题{i}") for i in range(7)]
    admin = login("admin")
    old = views.PAGE_SIZE
    views.PAGE_SIZE = 3
    try:
        pages = [_numbers(admin.get(f"/cases/?page={n}").content.decode()) for n in (1, 2, 3)]
        last = admin.get("/cases/?page=3").content.decode()
    finally:
        views.PAGE_SIZE = old
    want = [f"{c.desk_id:02d}-{c.pk:07d}" for c in sorted(made, key=lambda c: -c.pk)]
    assert pages == [want[0:3], want[3:6], want[6:7]]
    assert "下一页" not in last and "上一页" in last


def test_unit_list_shows_only_its_cases(login, new_case, users, county):
    mine = _assigned(new_case, users, county, "本镇的问题", unit="u1")
    other = _assigned(new_case, users, county, "别镇的问题", unit="u2")
    html = login("town1").get("/cases/").content.decode()
    assert f"-{mine.pk:07d}" in html and f"-{other.pk:07d}" not in html
    html = login("town1").get(f"/cases/?unit={county['u2'].pk}").content.decode()
    assert f"-{other.pk:07d}" not in html


def test_query_count_does_not_grow_with_rows(login, new_case, users, county, catchall,
                                             django_assert_max_num_queries):
    admin = login("admin")
    url = f"/cases/?desk={catchall.pk}"
    _assigned(new_case, users, county, "第一个")
    admin.get("/cases/")
    with django_assert_max_num_queries(12) as few:
        assert len(_numbers(admin.get(url).content.decode())) == 1
    for i in range(12):
        _assigned(new_case, users, county, f"更多{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(_numbers(admin.get(url).content.decode())) == 13
