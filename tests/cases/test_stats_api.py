"""Statistics computed from the records; the API; the staff pages render."""

from __future__ import annotations

import datetime as dt

import pytest

from bole.cases import selectors
from bole.cases.choices import Action, Rating
from bole.cases.services import case_transition, meeting_record

pytestmark = pytest.mark.django_db


def _through(case, users, county, *, unit="u1", days=0, clock=None, rating=Rating.SATISFIED, decline=False):
    case = case_transition(case=case, action=Action.ACCEPT, actor=users["admin"])
    case = case_transition(case=case, action=Action.ASSIGN, actor=users["admin"], lead_unit=county[unit])
    if decline:
        case = case_transition(case=case, action=Action.DECLINE, actor=users["town1"], reason="不归我们管")
        case = case_transition(case=case, action=Action.ARBITRATE, actor=users["admin"], lead_unit=county[unit])
    case = case_transition(case=case, action=Action.START, actor=users["admin"])
    meeting_record(case=case, held_at=clock.at, minutes="协调会议定", units=[county["u1"], county["u2"]],
                   actor=users["admin"])
    clock.advance(days=days)
    case = case_transition(case=case, action=Action.RESOLVE, actor=users["admin"], resolution="已解决")
    if rating:
        case = case_transition(case=case, action=Action.RATE, actor=users["ent"], rating=rating)
    return case


def test_stats_from_records(new_case, users, county, clock):
    clock.set(2024, 3, 4, 9, 0)  # Monday; 职能交叉不好管 = 15 working days
    a = _through(new_case(), users, county, days=2, clock=clock)               # 2 working days, on time
    clock.set(2024, 3, 4, 9, 0)
    b = _through(new_case(title="b", description="bb"), users, county, days=35, clock=clock,
                 rating=Rating.BASIC, decline=True)                             # late
    clock.set(2024, 3, 4, 9, 0)
    new_case(title="c", description="cc")                                       # still submitted
    rows = selectors.case_stats(user=users["admin"], by="desk")
    assert len(rows) == 1
    r = rows[0]
    assert (r.total, r.resolved, r.on_time, r.meetings, r.declines) == (3, 2, 1, 2, 1)
    assert r.resolution_rate == round(2 / 3, 4) and r.on_time_rate == 0.5
    assert r.median_workdays == (a.resolve_workdays + b.resolve_workdays) / 2
    assert a.resolve_workdays == 2
    assert r.satisfied == 1 and r.basic == 1 and r.satisfaction == 1.0
    by_unit = {x.label: x for x in selectors.case_stats(user=users["admin"], by="unit")}
    assert by_unit["武康街道党工委"].declines == 1
    months = selectors.case_stats(user=users["admin"], by="month")
    assert [m.label for m in months] == ["2024-03"] and months[0].total == 3
    states = {x.key: x.total for x in selectors.case_stats(user=users["admin"], by="state")}
    assert states == {"closed": 2, "submitted": 1}
    # Scoped: the other town sees none of it.
    assert selectors.case_stats(user=users["town2"], by="desk") == []


def test_headline_figures_from_desk_rows_equal_those_counted_afresh(new_case, users, county, clock):
    """The stats page hands its by-desk rows to headline_figures instead of a second scan: same figures."""
    clock.set(2024, 3, 4, 9, 0)
    _through(new_case(), users, county, days=2, clock=clock)
    _through(new_case(title="b", description="bb"), users, county, days=3, clock=clock, rating=None)
    new_case(title="c", description="cc")
    for who in ("admin", "town1", "town2"):
        for year in (2024, 2025, None):
            rows = selectors.case_stats(user=users[who], by="desk", year=year)
            fresh = selectors.headline_figures(user=users[who], year=year)
            assert selectors.headline_figures(user=users[who], desk_rows=rows, year=year) == fresh, (who, year)
    admin = selectors.headline_figures(user=users["admin"], year=2024)
    assert (admin["catchall_problems"], admin["catchall_resolved"], admin["catchall_coordinations"]) == (3, 2, 2)


def test_stats_api_has_reported_figures(login, new_case, users, county, clock):
    _through(new_case(), users, county, days=1, clock=clock)
    resp = login("admin").get("/api/v1/stats/cases/?by=category")
    assert resp.status_code == 200
    body = resp.json()
    for key in ("catchall_problems", "catchall_resolved", "catchall_coordinations", "home_branches",
                "stairwells_adopted", "requests_resolved", "committees", "governance_issues"):
        assert key in body
    assert body["catchall_problems"] == 1 and body["catchall_resolved"] == 1 and body["catchall_coordinations"] == 1
    assert body["rows"][0]["label"].endswith("职能交叉不好管")
    assert login("ent").get("/api/v1/stats/cases/").status_code == 403


def test_api_lifecycle_and_scope(client, login, users, county, desks, clock):
    ent = login("ent")
    cat = desks["catchall"].categories.first()
    resp = ent.post("/api/v1/cases/", {"desk": "catchall", "category_id": cat.pk, "title": "电力增容无人对接",
                                       "description": "新厂房电力增容，供电与经信互相推诿"},
                    content_type="application/json")
    assert resp.status_code == 201, resp.content
    case_id = resp.json()["id"]
    admin = login("admin")
    for body in ({"action": "accept"}, {"action": "assign", "lead_unit_id": county["u1"].pk,
                                         "co_units": [{"unit_id": county["u2"].pk, "description": "协助"}]}):
        r = admin.post(f"/api/v1/cases/{case_id}/transition/", body, content_type="application/json")
        assert r.status_code == 200, r.content
    r = admin.post(f"/api/v1/cases/{case_id}/transition/", {"action": "rate", "rating": "satisfied"},
                   content_type="application/json")
    assert r.status_code == 400
    town2 = login("town2")
    assert town2.get(f"/api/v1/cases/{case_id}/").status_code == 200  # co-unit
    assert town2.get("/api/v1/cases/").json()["count"] == 1
    r = admin.get(f"/api/v1/cases/{case_id}/timeline/")
    assert [e["action"] for e in r.json()["items"] if e["kind"] == "transition"] == ["accept", "assign"]
    # The private link API needs no login and exposes only its case.
    from bole.cases.models import Case

    token = Case.objects.get(pk=case_id).follow_token
    client.logout()
    assert client.get(f"/api/v1/public/cases/{token}/").json()["state"] == "assigned"
    assert client.get("/api/v1/public/cases/not-a-real-token-at-all-xx/").status_code == 404
    assert client.get("/api/v1/cases/").status_code == 401


@pytest.mark.parametrize("url", ["/cases/", "/cases/stats/", "/cases/stats/?by=month", "/cases/stats/?by=unit",
                                 "/cases/desks/", "/cases/calendar/", "/cases/?colour=red&state=open"])
def test_staff_pages_render(login, new_case, users, county, url):
    case = case_transition(case=new_case(), action=Action.ACCEPT, actor=users["admin"])
    case_transition(case=case, action=Action.ASSIGN, actor=users["admin"], lead_unit=county["u1"])
    resp = login("admin").get(url)
    assert resp.status_code == 200


def test_case_page_actions_and_portal(login, new_case, users, county):
    case = new_case()
    admin = login("admin")
    page = admin.get(f"/cases/{case.pk}/").content.decode()
    assert "受理" in page and "不予受理" in page
    assert admin.post(f"/cases/{case.pk}/act/", {"action": "accept"}).status_code == 302
    assert admin.post(f"/cases/{case.pk}/act/", {"action": "assign", "lead_unit": county["u1"].pk}).status_code == 302
    case.refresh_from_db()
    assert case.state == "assigned"
    ent = login("ent")
    assert "厂区门口" in ent.get("/portal/").content.decode()
    assert ent.get("/cases/").status_code == 302


def test_list_filters_by_colour(new_case, users, county, clock):
    clock.set(2024, 3, 4, 9, 0)
    case = case_transition(case=new_case(category_name="其他"), action=Action.ACCEPT, actor=users["admin"],
                           deadline_days=10)
    qs = selectors.case_list(user=users["admin"])
    f = selectors.filter_cases
    assert list(f(qs, {"colour": "green"}, today=dt.date(2024, 3, 5))) == [case]
    assert list(f(qs, {"colour": "yellow"}, today=case.warn_on)) == [case]
    assert list(f(qs, {"colour": "red"}, today=case.deadline + dt.timedelta(days=1))) == [case]
    # The stored warn day agrees with workcal.status_colour on every day of the case.
    day = dt.date(2024, 3, 4)
    while day <= case.deadline + dt.timedelta(days=3):
        expected = selectors.case_colour(case, today=day)
        got = [c for c in ("red", "yellow", "green") if f(qs, {"colour": c}, today=day).exists()]
        assert got == [expected], day
        day += dt.timedelta(days=1)
