"""The case page: working days left, or how many working days past the deadline, and a way back to the list."""

from __future__ import annotations

import re

from bole.cases.calendar import work_calendar
from bole.cases.choices import Action
from bole.cases.services import case_transition


def test_an_overdue_case_says_how_many_working_days_overdue(new_case, login, clock, users):
    case = case_transition(case=new_case(), action=Action.ACCEPT, actor=users["admin"], deadline_days=3)
    assert case.deadline is not None
    c = login("admin")
    page = c.get(f"/cases/{case.pk}/").content.decode()
    assert "剩余" in page and "已超期" not in page
    clock.set(2024, 11, 4, 9, 0)  # eight months later
    page = c.get(f"/cases/{case.pk}/").content.decode()
    n = work_calendar().workdays_between(case.deadline, clock.at.date())
    assert n > 150
    assert f"已超期 {n} 个工作日" in page and "剩余 0 个工作日" not in page


def test_the_case_page_has_a_way_back_to_its_desk_s_list(new_case, login):
    case = new_case()
    page = login("admin").get(f"/cases/{case.pk}/").content.decode()
    assert re.search(rf'<p class="back"><a href="/cases/\?desk={case.desk_id}">', page)
    page = login("ent").get(f"/cases/{case.pk}/").content.decode()
    assert 'class="back"' in page
