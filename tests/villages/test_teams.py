"""Operation teams: the forms, monthly reports, and the year-end review through the evaluation engine."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bole.core.tokens import api_token_issue
from bole.evaluation import services as ev_services
from bole.evaluation.models import Evaluation, SubjectResult
from bole.org.services import account_create
from bole.villages import review, services
from bole.villages.models import MonthlyReport, OperationTeam, TeamReview, TeamReviewEntry

pytestmark = pytest.mark.django_db


def team(world, users, name, company, **kw):
    return services.team_create(village=world["villages"][name], company=company, start=dt.date(2025, 1, 1),
                                end=dt.date(2027, 12, 31), fee=30, income_target=150, actor=users["admin"], **kw)


def test_team_form_creates_edits_and_refuses_a_second_team(world, users, login):
    c = login("admin")
    village = world["villages"]["上杨村"]
    body = {"company": "德清乡村运营管理有限公司", "members": "运营总监", "start": "2025-01-01", "end": "2027-12-31",
            "fee": "30", "income_target": "150", "is_pilot": "on"}
    r = c.post(f"/villages/village/{village.pk}/team/", body)
    assert r.status_code == 302
    t = OperationTeam.objects.get(village=village)
    assert t.is_pilot and t.fee == 30
    r = c.post(f"/villages/village/{village.pk}/team/", {**body, "company": "另一家公司"})
    assert r.status_code == 400 and "该村已有在约的运营团队" in r.content.decode()
    r = c.post(f"/villages/village/{village.pk}/team/", {**body, "end": "2024-01-01"})
    assert r.status_code == 400 and "合同截止日期不能早于起始日期" in r.content.decode()
    r = c.post(f"/villages/team/{t.pk}/edit/", {**body, "fee": "35"})
    assert r.status_code == 302
    t.refresh_from_db()
    assert t.fee == 35
    r = c.post(f"/villages/team/{t.pk}/edit/", {**body, "end_contract": "1"})
    t.refresh_from_db()
    assert not t.is_active
    r = c.post(f"/villages/village/{village.pk}/team/", {**body, "company": "新运营公司"})
    assert r.status_code == 302 and OperationTeam.objects.filter(village=village, is_active=True).count() == 1
    # a town's staff read teams but do not contract them
    c2 = login("town1")
    assert c2.get(f"/villages/village/{village.pk}/team/").status_code == 403
    assert c2.post(f"/villages/team/{t.pk}/edit/", body).status_code == 403


def test_monthly_report_form_once_a_month(world, users, login):
    t = team(world, users, "上杨村", "德清乡村运营管理有限公司")
    c = login("town1")  # 上杨村's town
    r = c.post(f"/villages/team/{t.pk}/report/", {"year": 2026, "month": 3, "summary": "民宿运营", "income": "6.5"})
    assert r.status_code == 302
    r = c.post(f"/villages/team/{t.pk}/report/", {"year": 2026, "month": 3, "summary": "again", "income": "1"})
    assert r.status_code == 400 and "本月月报已提交" in r.content.decode()
    r = c.post(f"/villages/team/{t.pk}/report/", {"year": 2026, "month": 13, "summary": "x", "income": "1"})
    assert r.status_code == 400
    r = c.post(f"/villages/team/{t.pk}/report/", {"year": 2026, "month": 4, "summary": "x", "income": "-1"})
    assert r.status_code == 400
    assert list(MonthlyReport.objects.values_list("month", "income")) == [(3, 6.5)]
    page = c.get(f"/villages/team/{t.pk}/").content.decode()
    assert "民宿运营" in page and "6.5" in page
    assert login("town2").get(f"/villages/team/{t.pk}/").status_code == 404


def _judges(n):
    return [account_create(username=f"pj{i}", role="judge", password="pass-1234-word", actor=None,
                           full_name=f"评委{i}") for i in range(n)]


def test_year_end_review_through_the_evaluation_engine(world, users, login):
    a = team(world, users, "上杨村", "甲运营公司")
    b = team(world, users, "曲溪村", "乙运营公司")
    c = team(world, users, "宋市村", "丙运营公司")
    services.report_add(team=a, year=2026, month=1, summary="s", income=8, actor=users["admin"])
    services.report_add(team=a, year=2026, month=2, summary="s", income=4, actor=users["admin"])
    with pytest.raises(PermissionDenied):
        review.team_review_create(county=world["county"], year=2026, actor=users["town1"])
    rv = review.team_review_create(county=world["county"], year=2026, actor=users["admin"])
    ev = rv.evaluation
    assert ev.kind == "panel" and ev.criteria.count() == 4 and ev.subjects.count() == 3
    assert TeamReviewEntry.objects.get(review=rv, team=a).reported_income == 12.0
    with pytest.raises(ValidationError):  # one per county and year
        review.team_review_create(county=world["county"], year=2026, actor=users["admin"])
    with pytest.raises(ValidationError):  # no team under contract then
        review.team_review_create(county=world["county"], year=2020, actor=users["admin"])
    judges = _judges(3)
    seats = [ev_services.judge_add(evaluation=ev, user=u, actor=users["admin"]) for u in judges]
    ev_services.evaluation_transition(evaluation=ev, to="open", actor=users["admin"])
    level = {a.pk: 0.9, b.pk: 0.6, c.pk: 0.75}
    entries = {e.subject_id: e.team_id for e in rv.entries.all()}
    for seat, user in zip(seats, judges, strict=True):
        for s in ev.subjects.all():
            ev_services.judge_scores_save(seat=seat, subject=s, actor=user, scores={
                cr.pk: round(cr.max_score * level[entries[s.pk]], 1) for cr in ev.criteria.all()})
        ev_services.judge_submit(seat=seat, actor=user)
    assert review.team_results(team=a, user=users["admin"])[0].score is None  # not closed yet
    review.review_close(review=rv, actor=users["admin"])
    results = {t.pk: review.team_results(team=t, user=users["admin"])[0] for t in (a, b, c)}
    assert [results[t.pk].rank for t in (a, c, b)] == [1, 2, 3]
    stored = SubjectResult.objects.get(subject=rv.entries.get(team=a).subject, result__is_current=True)
    assert results[a.pk].score == stored.final_score and results[a.pk].teams == 3
    page = login("town1").get(f"/villages/team/{a.pk}/").content.decode()
    assert "1/3" in page
    assert TeamReview.objects.count() == 1 and Evaluation.objects.count() == 1


def test_teams_api(world, users, client):
    def auth(user):
        return {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(user=user, label='t', actor=user)[1]}"}

    admin = auth(users["admin"])
    v = world["villages"]["上杨村"]
    body = {"village_id": v.pk, "company": "运营公司", "start": "2025-01-01", "end": "2027-12-31", "fee": 30,
            "income_target": 150}
    r = client.post("/api/v1/villages/teams/", body, content_type="application/json", **admin)
    assert r.status_code == 201, r.content
    tid = r.json()["id"]
    r = client.post("/api/v1/villages/teams/", body, content_type="application/json", **admin)
    assert r.status_code in (400, 422) and "village" in r.json()["errors"]
    r = client.post("/api/v1/villages/teams/", {**body, "fee": -1}, content_type="application/json", **admin)
    assert r.status_code in (400, 422)
    town1, town2 = auth(users["town1"]), auth(users["town2"])
    r = client.post(f"/api/v1/villages/teams/{tid}/reports/", {"year": 2026, "month": 5, "summary": "s", "income": 3},
                    content_type="application/json", **town1)
    assert r.status_code == 201
    r = client.post(f"/api/v1/villages/teams/{tid}/reports/", {"year": 2026, "month": 6, "summary": "s", "income": 3},
                    content_type="application/json", **town2)
    assert r.status_code == 404
    assert client.post("/api/v1/villages/teams/", body, content_type="application/json", **town1).status_code == 403
    r = client.post("/api/v1/villages/reviews/", {"county_id": world["county"].pk, "year": 2026},
                    content_type="application/json", **admin)
    assert r.status_code == 201 and r.json()["evaluation_id"]
    r = client.get(f"/api/v1/villages/teams/{tid}/reviews/", **town1)
    assert r.status_code == 200 and r.json()["items"][0]["year"] == 2026 and r.json()["items"][0]["score"] is None
    assert client.get("/api/v1/villages/teams/", **town2).json()["count"] == 0
