"""强村论坛/大会 with agenda and participants; the year's honours from the stored index (top N, biggest rise)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bole.core.models import AuditEvent
from bole.core.tokens import api_token_issue
from bole.villages import events, services
from bole.villages.models import Honour, IndexScore, VillageEvent

from .test_import_index import per_town

pytestmark = pytest.mark.django_db

FAST = {"samples": 200, "sobol_base": 32}


@pytest.fixture
def runs(world, users):
    """The index of 2024 and of 2025, where the villages' order changes (the weakest of 2024 grows most)."""
    services.values_import(data=per_town(), year=2024, actor=users["admin"])

    def shuffle(sheets):  # 劳岭村 (the strongest of 武康街道) falls back, 五四村 (the weakest) leaps
        for rows in sheets.values():
            for r in rows[1:]:
                if r[0] == "五四村":
                    r[1], r[2], r[5] = 400, 800, 40
                if r[0] == "劳岭村":
                    r[1], r[2], r[5] = 30, 60, 1

    services.values_import(data=per_town(bad=shuffle), year=2025, actor=users["admin"])
    r24 = services.index_run(county=world["county"], year=2024, actor=users["admin"], parameters=FAST)
    r25 = services.index_run(county=world["county"], year=2025, actor=users["admin"], parameters=FAST)
    return r24, r25


def test_honours_are_the_top_and_the_biggest_rise(world, users, runs):
    r24, r25 = runs
    rows = events.honours_compute(county=world["county"], year=2025, top=3, rises=2, actor=users["admin"])
    top = [h for h in rows if h.kind == "top"]
    assert [h.village_id for h in top] == list(IndexScore.objects.filter(run=r25).order_by("rank", "village__code")
                                               .values_list("village_id", flat=True)[:3])
    before = dict(IndexScore.objects.filter(run=r24).values_list("village_id", "rank"))
    after = dict(IndexScore.objects.filter(run=r25).values_list("village_id", "rank"))
    best = max(before[v] - after[v] for v in after)
    rise = [h for h in rows if h.kind == "rise"]
    assert rise[0].village.name == "五四村" and rise[0].previous_rank - rise[0].rank == best > 0
    assert all(h.previous_rank > h.rank for h in rise) and [h.place for h in rise] == [1, 2]
    # again: the year's honours are replaced, not added; every removal audited
    events.honours_compute(county=world["county"], year=2025, top=2, rises=0, actor=users["admin"])
    assert Honour.objects.filter(year=2025).count() == 2
    assert AuditEvent.objects.filter(object_type="villages.honour", action="delete").count() == 5
    with pytest.raises(ValidationError):
        events.honours_compute(county=world["county"], year=2023, actor=users["admin"])  # no index that year
    with pytest.raises(PermissionDenied):
        events.honours_compute(county=world["county"], year=2025, actor=users["town1"])
    # a town reads its own villages' honours only
    assert {h.village.parent_id for h in events.honours(user=users["town2"])} <= {world["t2"].pk}


def test_event_with_agenda_and_participants(world, users, county):
    vs = world["villages"]
    ev = events.event_create(county=world["county"], kind="forum", title="强村论坛", on=dt.date(2025, 10, 18),
                             place="勤勤村文化礼堂", agenda=["交流发言", " ", "专家点评"],
                             villages=[vs["勤勤村"], vs["曲溪村"]], people=[county["qianqi"]], actor=users["admin"])
    assert ev.agenda == ["交流发言", "专家点评"] and ev.villages.count() == 2 and list(ev.people.all()) == [
        county["qianqi"]]
    with pytest.raises(ValidationError) as exc:
        events.event_create(county=world["county"], kind="party", title="t", on=dt.date(2025, 1, 1), place="p",
                            actor=users["admin"])
    assert "kind" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        events.event_create(county=world["county"], kind="forum", title="t", on=dt.date(2025, 1, 1), place="p",
                            actor=users["town1"])
    found, bad = events.villages_by_names(user=users["admin"], county=world["county"], text="勤勤村、舞阳街道曲溪村\n无名村")
    assert [v.name for v in found] == ["勤勤村", "曲溪村"] and bad == ["无名村"]
    assert list(events.events(user=users["town2"])) == [ev]  # a county's events are read by every staff login


def test_pages_and_the_yearbook(world, users, runs, login, county):
    c = login("admin")
    r = c.post("/villages/honours/", {"county": world["county"].pk, "year": 2025, "top": 3, "rises": 1})
    assert r.status_code == 302 and Honour.objects.filter(year=2025).count() == 4
    assert c.post("/villages/honours/", {"county": world["county"].pk, "year": "x", "top": 3,
                                         "rises": 1}).status_code == 302  # refused with a message, nothing else
    page = c.get("/villages/events/").content.decode()
    assert "进步最快" in page and "五四村" in page
    r = c.post("/villages/events/new/", {"county": world["county"].pk, "kind": "assembly", "title": "2026年强村大会",
                                         "on": "2026-02-26", "place": "大会堂", "agenda": "通报\n表彰",
                                         "villages": "五四村、无名村"})
    assert r.status_code == 400 and "无名村" in r.content.decode()
    r = c.post("/villages/events/new/", {"county": world["county"].pk, "kind": "assembly", "title": "2026年强村大会",
                                         "on": "2026-02-26", "place": "大会堂", "agenda": "通报\n表彰",
                                         "villages": "五四村", "people": [county["qianqi"].pk]})
    assert r.status_code == 302
    ev = VillageEvent.objects.get(title="2026年强村大会")
    page = c.get(f"/villages/event/{ev.pk}/").content.decode()
    assert "表彰" in page and "五四村" in page and "钱七" in page and "2025" in page
    yearbook = c.get(f"/villages/village/{world['villages']['五四村'].pk}/").content.decode()
    assert "进步最快" in yearbook and "2026年强村大会" in yearbook and "data-print" in yearbook
    assert login("town1").post("/villages/events/new/", {}).status_code == 403
    assert login("town2").get(f"/villages/event/{ev.pk}/").status_code == 200


def test_api(world, users, runs, client, county):
    def auth(user):
        return {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(user=user, label='t', actor=user)[1]}"}

    admin, town1 = auth(users["admin"]), auth(users["town1"])
    r = client.post("/api/v1/villages/honours/", {"county_id": world["county"].pk, "year": 2025, "top": 2},
                    content_type="application/json", **admin)
    assert r.status_code == 201 and r.json()["year"] == 2025 and len(r.json()["honours"]) >= 2
    assert client.post("/api/v1/villages/honours/", {"county_id": world["county"].pk, "year": 2025},
                       content_type="application/json", **town1).status_code == 403
    body = {"county_id": world["county"].pk, "kind": "forum", "title": "论坛", "on": "2025-10-18", "place": "礼堂",
            "agenda": ["发言"], "village_ids": [world["villages"]["勤勤村"].pk], "person_ids": [county["qianqi"].pk]}
    r = client.post("/api/v1/villages/events/", body, content_type="application/json", **admin)
    assert r.status_code == 201 and r.json()["village_ids"] == [world["villages"]["勤勤村"].pk]
    r = client.post("/api/v1/villages/events/", {**body, "village_ids": [999999]}, content_type="application/json",
                    **admin)
    assert r.status_code == 422 and "village_ids" in r.json()["errors"]
    r = client.post("/api/v1/villages/events/", {**body, "kind": "party"}, content_type="application/json", **admin)
    assert r.status_code in (400, 422)
    assert client.get("/api/v1/villages/events/", **town1).json()["count"] == 1
    names = {h["village"] for h in client.get("/api/v1/villages/honours/?year=2025", **town1).json()["items"]}
    assert names and all(n in {"五四村", "上杨村", "龙山村", "三桥村", "勤勤村", "劳岭村"} for n in names)
