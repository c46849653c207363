"""The 公示名单 on A4: the proposed nominations by kind, with the publicity dates; only in publicity or announced."""

from __future__ import annotations

import re


def test_the_publicity_list_prints_the_proposed_by_kind(publicised, login):
    rnd = publicised["round"]
    c = login("admin")
    assert 'data-testid="print-link"' in c.get(f"/awards/{rnd.pk}/").content.decode()
    resp = c.get(f"/awards/{rnd.pk}/print/")
    assert resp.status_code == 200
    page = resp.content.decode()
    assert "公示名单" in page and "2025年第一季度" in page and "公示期" in page and "打印日期" in page
    assert page.count("<thead>") == 2  # 担当之星 and 担当团队, each table with its own repeated header
    assert "张三" in page and "武康项目攻坚专班" in page and "王五" not in page  # not selected
    assert 'class="topbar"' not in page and "print.css" in page  # no menu; the sheet's own styles
    assert re.search(r"<button[^>]*data-print", page)


def test_the_list_prints_for_other_towns_too_once_publicised(publicised, login):
    page = login("town2").get(f"/awards/{publicised['round'].pk}/print/").content.decode()
    assert "张三" in page and "武康项目攻坚专班" in page


def test_no_print_before_publicity(nominating, login):
    assert login("admin").get(f"/awards/{nominating['round'].pk}/print/").status_code == 404
