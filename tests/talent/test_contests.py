"""人才大赛 on the evaluation engine: registration, a judged preliminary, the best of each track to the final,
awards by the plan, recorded on the talent's and the project's pages; scope; the places engine."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from bole.core.models import AuditEvent
from bole.engines.contest_places import advancing, award_places
from bole.evaluation import services as ev
from bole.evaluation.models import Evaluation, EventJudge
from bole.talent import contests
from bole.talent.models import Contestant, TalentContest

TODAY = dt.date.today()


def test_advancing_keeps_ties_and_skips_unscored():
    assert advancing({"a": 90, "b": 80, "c": 80, "d": 70, "e": None}, 2) == ["a", "b", "c"]
    assert advancing({"a": 90, "b": None}, 3) == ["a"]
    assert advancing({"a": 90}, 0) == []


def test_award_places_follow_the_plan_and_share_ties():
    plan = [("一等奖", 1), ("二等奖", 1), ("三等奖", 1), ("优胜奖", 0)]
    got = award_places({"a": 95, "b": 90, "c": 90, "d": 80, "e": 70, "f": None}, plan)
    assert got == {"a": ("一等奖", 1), "b": ("二等奖", 2), "c": ("二等奖", 2), "d": ("三等奖", 3),
                   "e": ("优胜奖", 4)}
    # without a "rest" award, finalists past the places get nothing
    assert award_places({"a": 3, "b": 2, "c": 1}, [("一等奖", 1), ("二等奖", 1)]) == {
        "a": ("一等奖", 1), "b": ("二等奖", 2)}


def test_plan_parse_reads_lines_and_refuses_bad_ones():
    assert contests.plan_parse("一等奖 1\n二等奖：2名\n优胜奖 其余") == [["一等奖", 1], ["二等奖", 2], ["优胜奖", 0]]
    assert contests.plan_parse(contests.plan_text(contests.DEFAULT_PLAN)) == contests.DEFAULT_PLAN
    assert contests.plan_parse("First 1\nMerit rest") == [["First", 1], ["Merit", 0]]
    for bad in ("", "一等奖", "一等奖 其余\n二等奖 1", "一等奖 1\n一等奖 2", "一等奖 x"):
        with pytest.raises(ValidationError):
            contests.plan_parse(bad)


@pytest.fixture
def judges(db):
    from bole.org.services import account_create

    return [account_create(username=f"pingwei{i}", role="judge", password="pass-1234-word", actor=None,
                           full_name=f"评委{i}") for i in range(3)]


@pytest.fixture
def contest(users, county, talent, other_talent):
    from bole.talent import services

    admin = users["admin"]
    c = contests.contest_create(actor=admin, name="第六届人才创新创业大赛", year=TODAY.year, region=county["county"],
                                tracks=["数字经济", "高端装备"], finalists_per_track=1,
                                award_plan=[["一等奖", 1], ["优胜奖", 0]])
    project = services.project_create(actor=admin, name="北斗导航项目", field="地理信息", region=county["t1"],
                                      started_on=TODAY - dt.timedelta(days=90), founders=[talent])
    digital, kit = list(c.tracks.all())
    contests.contestant_add(actor=admin, contest=c, track=digital, talent=talent, project=project)
    contests.contestant_add(actor=admin, contest=c, track=digital, talent=other_talent)
    return c


def _score_all(evaluation: Evaluation, judges, by_label: dict[str, float]) -> None:
    ev.evaluation_transition(evaluation=evaluation, to="open", actor=None)
    for seat in EventJudge.objects.filter(evaluation=evaluation):
        for subject in evaluation.subjects.all():
            crit = {c.pk: c.max_score * by_label[subject.label] for c in evaluation.criteria.all()}
            ev.judge_scores_save(seat=seat, subject=subject, scores=crit, actor=seat.user)
        ev.judge_submit(seat=seat, actor=seat.user)


def test_contest_runs_from_registration_to_awards(users, county, contest, judges, talent, other_talent):
    admin = users["admin"]
    with pytest.raises(ValidationError):  # one entry per talent
        contests.contestant_add(actor=admin, contest=contest, track=contest.tracks.first(), talent=other_talent)
    contests.contest_transition(contest=contest, to="preliminary", actor=admin)
    contest.refresh_from_db()
    prelim = contest.preliminary
    assert prelim.kind == "panel" and prelim.status == "draft"
    assert sorted(prelim.subjects.values_list("panel", flat=True)) == ["数字经济", "数字经济"]
    assert prelim.criteria.count() == len(contests.CRITERIA)
    with pytest.raises(ValidationError):  # registration is over
        contests.track_add(actor=admin, contest=contest, name="生物医药")
    for j in judges:
        contests.judge_seat(actor=admin, contest=contest, user=j)
    with pytest.raises(ValidationError):  # the skipped step is refused by the state table
        contests.contest_transition(contest=contest, to="awarded", actor=admin)
    labels = dict(Contestant.objects.filter(contest=contest).values_list("talent_id", "label"))
    _score_all(prelim, judges, {labels[talent.pk]: 0.9, labels[other_talent.pk]: 0.6})

    contests.contest_transition(contest=contest, to="final", actor=admin)  # closes the preliminary, computes
    contest.refresh_from_db()
    assert Evaluation.objects.get(pk=prelim.pk).status == "closed"
    first = Contestant.objects.get(contest=contest, talent=talent)
    second = Contestant.objects.get(contest=contest, talent=other_talent)
    assert first.advanced and not second.advanced  # one finalist per track
    assert first.preliminary_score > second.preliminary_score
    assert list(contest.final.subjects.values_list("label", flat=True)) == [first.label]
    for j in judges:
        contests.judge_seat(actor=admin, contest=contest, user=j)
    _score_all(contest.final, judges, {first.label: 0.8})
    contests.contest_transition(contest=contest, to="awarded", actor=admin)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.award, first.award_order) == ("一等奖", 1) and first.final_score is not None
    assert second.award == ""
    assert AuditEvent.objects.filter(object_type="talent.talentcontest", action="transition").count() == 3
    assert AuditEvent.objects.filter(object_type="talent.contestant", object_id=str(first.pk)).count() >= 3


def test_award_shows_on_the_talent_and_project_pages(client, users, contest, judges, talent):
    admin = users["admin"]
    Contestant.objects.filter(contest=contest, talent=talent).update(award="一等奖", award_order=1, advanced=True)
    client.force_login(admin)
    entry = Contestant.objects.get(contest=contest, talent=talent)
    for url in (f"/talent/{talent.pk}/", f"/talent/projects/{entry.project_id}/", f"/talent/contests/{contest.pk}/",
                "/talent/contests/"):
        page = client.get(url).content.decode()
        assert "第六届人才创新创业大赛" in page, url
    assert "一等奖" in client.get(f"/talent/{talent.pk}/").content.decode()


def test_preliminary_needs_contestants_and_scores(users, county, judges):
    admin = users["admin"]
    empty = contests.contest_create(actor=admin, name="空大赛", year=2026, region=county["county"], tracks=["A"])
    with pytest.raises(ValidationError):
        contests.contest_transition(contest=empty, to="preliminary", actor=admin)
    assert TalentContest.objects.get(pk=empty.pk).status == "registering"


def test_final_refused_while_the_preliminary_is_a_draft(users, contest):
    admin = users["admin"]
    contests.contest_transition(contest=contest, to="preliminary", actor=admin)
    with pytest.raises(ValidationError):
        contests.contest_transition(contest=contest, to="final", actor=admin)
    assert TalentContest.objects.get(pk=contest.pk).status == "preliminary"


def test_scope_another_town_cannot_see_or_run(client, users, county, contest):
    client.force_login(users["town2"])
    assert client.get(f"/talent/contests/{contest.pk}/").status_code in {403, 404}
    r = client.post(f"/talent/contests/{contest.pk}/transition/", {"to": "preliminary"})
    assert r.status_code in {403, 404}
    assert TalentContest.objects.get(pk=contest.pk).status == "registering"
    town = contests.contest_create(actor=users["town2"], name="镇大赛", year=2026, region=county["t2"], tracks=["A"])
    assert "镇大赛" in client.get("/talent/contests/").content.decode()
    assert "第六届" not in client.get("/talent/contests/").content.decode()
    with pytest.raises(ValidationError):  # a town's staff hold contests in their own town only
        contests.contest_create(actor=users["town2"], name="越界", year=2026, region=county["t1"], tracks=["A"])
    assert town.region_code.startswith(county["t2"].code)


def test_pages_and_api(client, users, county, contest, judges):
    from bole.core.api import token_issue

    admin = users["admin"]
    client.force_login(admin)
    r = client.post("/talent/contests/", {
        "name": "第七届大赛", "year": "2026", "region": county["county"].pk, "tracks": "数字经济、新材料",
        "finalists_per_track": "3", "award_plan": "一等奖 1\n二等奖 2\n优胜奖 其余"})
    made = TalentContest.objects.get(name="第七届大赛")
    assert r.status_code == 302 and list(made.tracks.values_list("name", flat=True)) == ["数字经济", "新材料"]
    assert made.award_plan == [["一等奖", 1], ["二等奖", 2], ["优胜奖", 0]]
    r = client.post("/talent/contests/", {"name": "坏", "year": "2026", "region": county["county"].pk,
                                          "tracks": "A", "finalists_per_track": "3", "award_plan": "一等奖"})
    assert r.status_code == 200 and "名额" in r.content.decode()
    r = client.post(f"/talent/contests/{contest.pk}/transition/", {"to": "preliminary"})
    assert r.status_code == 302
    r = client.post(f"/talent/contests/{contest.pk}/judges/", {"user": judges[0].pk})
    assert EventJudge.objects.filter(evaluation_id=TalentContest.objects.get(pk=contest.pk).preliminary_id).count() == 1
    token = token_issue(user=admin)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    body = client.get("/api/v1/talent/contests/", **auth).json()
    assert {c["name"] for c in body["items"]} >= {"第六届人才创新创业大赛", "第七届大赛"}
    detail = client.get(f"/api/v1/talent/contests/{contest.pk}/", **auth).json()
    assert detail["contest"]["status"] == "preliminary" and len(detail["contestants"]) == 2
    r = client.post(f"/api/v1/talent/contests/{contest.pk}/transition/", {"to": "awarded"},
                    content_type="application/json", **auth)
    assert r.status_code == 400
