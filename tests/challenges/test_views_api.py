"""Pages and API of the challenge board through the real views."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from bole.challenges import services


def _published(county, users, **kw):
    today = timezone.localdate()
    ch = services.challenge_create(
        actor=users["town1"], publisher_unit=county["u1"], title="争取专项债 2 亿元", field="bonds",
        goal="争取专项债额度", criteria="额度下达", apply_until=today + dt.timedelta(days=5),
        deadline=today + dt.timedelta(days=60), incentive_points=6,
        milestones=[{"title": "项目入库", "due_date": today + dt.timedelta(days=20)}], **kw)
    services.challenge_transition(challenge=ch, to="published", actor=users["town1"])
    return ch


def test_board_is_public_and_filters(client, county, users):
    ch = _published(county, users)
    resp = client.get("/challenges/")
    assert resp.status_code == 200
    assert "争取专项债 2 亿元" in resp.content.decode()
    resp = client.get("/challenges/?field=land", HTTP_HX_REQUEST="true")
    assert "争取专项债" not in resp.content.decode()
    assert client.get(f"/challenges/{ch.pk}/").status_code == 302  # details need a login


def test_cadre_applies_and_publisher_awards_through_pages(client, county, users):
    ch = _published(county, users)
    client.force_login(users["cadre"])
    resp = client.get(f"/challenges/{ch.pk}/")
    assert "我要揭榜" in resp.content.decode()
    client.post(f"/challenges/{ch.pk}/apply/", {"plan": "对接省发改委"})
    app = ch.applications.get()
    assert app.person == county["zhangsan"]
    # the cadre cannot shortlist themselves
    assert client.post(f"/challenges/{ch.pk}/applications/{app.pk}/", {"to": "shortlisted"}).status_code == 403
    client.force_login(users["town2"])  # another town sees the challenge but not the application
    resp = client.get(f"/challenges/{ch.pk}/")
    assert "对接省发改委" not in resp.content.decode()
    assert client.post(f"/challenges/{ch.pk}/award/", {"application": app.pk}).status_code == 403
    ch.refresh_from_db()
    assert ch.status == "published"
    client.force_login(users["town1"])
    assert "对接省发改委" in client.get(f"/challenges/{ch.pk}/").content.decode()
    client.post(f"/challenges/{ch.pk}/applications/{app.pk}/", {"to": "shortlisted"})
    client.post(f"/challenges/{ch.pk}/award/", {"application": app.pk})
    ch.refresh_from_db()
    assert ch.status == "awarded"
    assert client.get("/challenges/all/").status_code == 200


def test_draft_of_another_town_is_404(client, county, users):
    ch = services.challenge_create(actor=users["town1"], publisher_unit=county["u1"], title="草稿", goal="g",
                                   criteria="c", apply_until=dt.date(2030, 1, 1), deadline=dt.date(2030, 2, 1))
    client.force_login(users["town2"])
    assert client.get(f"/challenges/{ch.pk}/").status_code == 404
    client.force_login(users["cadre"])
    assert client.get(f"/challenges/{ch.pk}/").status_code == 404


def test_create_page(client, county, users):
    client.force_login(users["town1"])
    assert client.get("/challenges/new/").status_code == 200
    resp = client.post("/challenges/new/", {
        "title": "全域土地整治攻坚", "field": "land", "publisher_unit": county["u1"].pk, "goal": "整治 500 亩",
        "criteria": "验收合格", "incentive_points": "8", "apply_until": "2030-01-01", "deadline": "2030-06-01",
        "m0-title": "方案批复", "m0-due_date": "2030-03-01", "m0-points": "0"})
    assert resp.status_code == 302
    client.force_login(users["cadre"])
    assert client.get("/challenges/new/").status_code == 403


def test_api_scope(client, county, users):
    ch = _published(county, users)
    client.force_login(users["cadre"])
    assert [c["id"] for c in client.get("/api/v1/challenges/board/").json()["items"]] == [ch.pk]
    resp = client.post(f"/api/v1/challenges/{ch.pk}/apply/", {"plan": "方案"}, content_type="application/json")
    assert resp.status_code == 201
    resp = client.post(f"/api/v1/challenges/{ch.pk}/transition/", {"to": "withdrawn", "closure": "cancelled"},
                       content_type="application/json")
    assert resp.status_code == 403
    client.force_login(users["town2"])
    assert client.get("/api/v1/challenges/applications/").json()["items"] == []
    client.force_login(users["town1"])
    assert client.get("/api/v1/challenges/applications/").json()["count"] == 1
    assert client.get("/api/v1/challenges/").json()["count"] == 1


def _submitted(county, users, drive):
    """A challenge in progress held by 张三 with its milestone submitted and a panel of 钱七 and 王五."""
    ch = _published(county, users)
    drive.award(ch)
    drive.start(ch)
    seats = drive.panel(ch)
    drive.submit_all(ch, on=timezone.localdate())
    return ch, ch.milestones.get(), seats


def test_member_signs_on_the_phone_page_from_the_board(client, county, users, drive):
    from bole.org.services import account_create

    ch, m, (qian, wang) = _submitted(county, users, drive)
    member = account_create(username="qian", role="cadre", scope=county["qianqi"].id_number, password="pw-12345678",
                            actor=None)
    client.force_login(member)
    board = client.get("/challenges/").content.decode()
    assert "我参加的验收组" in board and f"/judge/{ch.acceptance_panel_id}/" in board
    detail = client.get(f"/challenges/{ch.pk}/").content.decode()
    m.refresh_from_db()
    assert f"/judge/{ch.acceptance_panel_id}/{m.panel_subject_id}/" in detail
    resp = client.post(f"/judge/{ch.acceptance_panel_id}/{m.panel_subject_id}/", {"verdict": "pass", "opinion": "同意"})
    assert resp.status_code == 302
    client.force_login(users["town1"])
    html = client.get(f"/challenges/{ch.pk}/").content.decode()
    assert "钱七：通过（同意）" in html and "尚未签署：王五" in html
    # the publisher records 王五's verdict from the minutes, then accepts
    client.post(f"/challenges/{ch.pk}/milestones/{m.pk}/signoff/", {"member": wang.pk, "verdict": "pass"})
    client.post(f"/challenges/{ch.pk}/milestones/{m.pk}/", {"to": "accepted"})
    m.refresh_from_db()
    assert m.status == "accepted"


def test_conflict_from_the_challenge_page(client, county, users, drive):
    ch, m, (qian, wang) = _submitted(county, users, drive)
    client.force_login(users["town2"])  # another town cannot declare for a member
    assert client.post(f"/challenges/{ch.pk}/panel/{wang.pk}/conflict/", {"note": "同一科室"}).status_code == 403
    client.force_login(users["town1"])
    client.post(f"/challenges/{ch.pk}/panel/{wang.pk}/conflict/", {"note": "与揭榜人系同一科室"})
    wang.refresh_from_db()
    assert wang.conflicted
    assert "已回避：与揭榜人系同一科室" in client.get(f"/challenges/{ch.pk}/").content.decode()


def test_api_panel_and_signoff(client, county, users, drive):
    ch, m, (qian, wang) = _submitted(county, users, drive)
    client.force_login(users["town1"])
    panel = client.get(f"/api/v1/challenges/{ch.pk}/panel/").json()
    assert panel["evaluation_id"] == ch.acceptance_panel_id
    assert [(p["name"], p["is_chair"]) for p in panel["members"]] == [("钱七", True), ("王五", False)]
    assert panel["verdicts"][0]["waiting"] == ["钱七", "王五"]
    for seat in (qian, wang):
        resp = client.post(f"/api/v1/challenges/{ch.pk}/milestones/{m.pk}/signoff/",
                           {"member_id": seat.pk, "verdict": "pass"}, content_type="application/json")
        assert resp.status_code == 201 and resp.json()["attempt"] == 1
    assert client.get(f"/api/v1/challenges/{ch.pk}/panel/").json()["verdicts"][0]["passed"] is True
    resp = client.post(f"/api/v1/challenges/{ch.pk}/milestones/{m.pk}/signoff/",
                       {"member_id": 999999, "verdict": "pass"}, content_type="application/json")
    assert resp.status_code == 422 and "member_id" in resp.json()["errors"]


def test_closing_form_offers_only_legal_targets(client, make_challenge, drive, users):
    import re

    def targets(ch):
        html = client.get(f"/challenges/{ch.pk}/").content.decode()
        selects = re.findall(r'<select name="to".*?</select>', html, re.S)
        assert len(selects) == 1  # the closing form posts one `to`
        return re.findall(r'<option value="([^"]*)"', selects[0])

    client.force_login(users["town1"])
    published = drive.reach(make_challenge(), "published")
    assert targets(published) == ["withdrawn"]
    delivered = drive.reach(make_challenge(), "delivered")
    assert targets(delivered) == ["failed"]
    # a move the status does not allow is refused by the transition, whatever is posted
    client.post(f"/challenges/{published.pk}/transition/", {"to": "failed", "closure": "not_met"})
    published.refresh_from_db()
    assert published.status == "published"


def _namesake(county, name, unit_key):
    """Another person on the register, named like someone already there."""
    import random

    from bole.org.demo import make_id_number
    from bole.org.services import person_create

    idn = make_id_number(random.Random(name + unit_key), "330521", dt.date(1990, 6, 6), True)
    return person_create(actor=None, name=name, id_number=idn, unit=county[unit_key])


def test_detail_page_has_county_pickers(client, county, users, drive):
    ch = _published(county, users, team_allowed=True)
    client.force_login(users["cadre"])
    html = client.get(f"/challenges/{ch.pk}/").content.decode()
    assert 'hx-get="/pick/county-people/"' in html and 'name="members_q"' in html and "bole/picker.js" in html
    client.force_login(users["town1"])
    html = client.get(f"/challenges/{ch.pk}/").content.decode()
    assert 'name="person_q"' in html and html.count("bole/picker.js") == 1


def test_namesakes_are_chosen_by_id_and_inactive_people_refused(client, county, users, drive):
    from bole.challenges.acceptance import panel_seats
    from bole.org.services import person_set_active

    other_li = _namesake(county, "李四", "u2")  # two 李四 on the register, in different towns
    other_qian = _namesake(county, "钱七", "u2v")
    ch = _published(county, users, team_allowed=True)
    client.force_login(users["cadre"])
    client.post(f"/challenges/{ch.pk}/apply/", {"plan": "对接省发改委", "members": [county["lisi"].pk, other_li.pk]})
    app = ch.applications.get()
    assert set(app.members.all()) == {county["lisi"], other_li}
    # a typed name shared by two people cannot pick either of them
    client.force_login(users["town1"])
    resp = client.post(f"/challenges/{ch.pk}/panel/", {"person_q": "钱七"}, follow=True)
    assert "对应多个" in resp.content.decode()
    assert not panel_seats(ch)
    for person in (county["qianqi"], other_qian):
        client.post(f"/challenges/{ch.pk}/panel/", {"person": person.pk, "is_chair": person == other_qian})
    ch.refresh_from_db()
    assert {(s.person, s.is_chair) for s in panel_seats(ch)} == {(county["qianqi"], False), (other_qian, True)}
    # someone taken off the register is refused, by id or by name
    person_set_active(person=county["wangwu"], active=False, actor=None)
    resp = client.post(f"/challenges/{ch.pk}/panel/", {"person": county["wangwu"].pk}, follow=True)
    assert "所选人员不在册或已停用" in resp.content.decode()
    resp = client.post(f"/challenges/{ch.pk}/panel/", {"person_q": "王五"}, follow=True)
    assert "找不到“王五”" in resp.content.decode()
    assert len(panel_seats(ch)) == 2
    ch2 = _published(county, users, team_allowed=True)
    client.force_login(users["cadre"])
    resp = client.post(f"/challenges/{ch2.pk}/apply/", {"plan": "方案", "members": [county["wangwu"].pk]},
                       follow=True)
    assert "所选人员不在册或已停用" in resp.content.decode()
    assert not ch2.applications.exists()
