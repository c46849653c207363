"""Award pages and API: scope of nominations, publicity visible to all, the honours on a profile."""

from __future__ import annotations

import datetime as dt

from bole.awards import selectors, services


def test_nomination_scope_before_publicity(nominating, users):
    rnd = nominating["round"]
    town2 = {n.pk for n in selectors.nomination_list(user=users["town2"], round=rnd)}
    assert town2 == {nominating["star2"].pk}
    assert {n.pk for n in selectors.nomination_list(user=users["cadre"], round=rnd)} == {nominating["star1"].pk}
    assert selectors.nomination_list(user=users["admin"], round=rnd).count() == 3


def test_publicity_list_is_public(publicised, users):
    rnd = publicised["round"]
    seen = {n.pk for n in selectors.nomination_list(user=users["town2"], round=rnd)}
    assert seen == {publicised["star1"].pk, publicised["team"].pk, publicised["star2"].pk}


def test_round_pages(publicised, login, users):
    c = login("admin")
    rnd = publicised["round"]
    assert c.get("/awards/").status_code == 200
    page = c.get(f"/awards/{rnd.pk}/").content.decode()
    assert "公示名单" in page and "张三" in page and "提出异议" in page
    rnd.__class__.objects.filter(pk=rnd.pk).update(publicity_until=dt.date.today() + dt.timedelta(days=3))
    c = login("cadre")
    resp = c.post(f"/awards/{rnd.pk}/objections/", {"nomination": publicised["team"].pk,
                                                   "reason": "团队成员名单与实际不符，请核实。"})
    assert resp.status_code == 302
    assert rnd.objections.count() == 1
    assert c.post(f"/awards/{rnd.pk}/transition/", {"to": "announced"}).status_code == 403
    c = login("town1")
    assert c.get(f"/awards/{rnd.pk}/nominate/").status_code == 200


def test_nominate_page_posts_through_service(nominating, login, county):
    c = login("town1")
    rnd = nominating["round"]
    resp = c.post(f"/awards/{rnd.pk}/nominate/", {"kind": "star", "unit": county["u1v"].pk,
                                                  "person": county["lisi"].pk, "deeds": "村级集体经济增收百万元，带领群众共同致富。"})
    assert resp.status_code == 302, resp.content.decode()[:2000]
    assert rnd.nominations.filter(person=county["lisi"]).exists()


def test_honours_on_profile_and_api(publicised, users, login, county):
    services.award_round_transition(round=publicised["round"], to="announced", actor=users["admin"],
                                    today=dt.date(2025, 4, 16))
    c = login("town2")  # another town's admin: honours are public
    page = c.get(f"/awards/people/{county['zhangsan'].pk}/").content.decode()
    assert "2025年第一季度担当之星" in page and "2025年第一季度担当团队" in page
    assert c.get(f"/awards/people/{county['wangwu'].pk}/").status_code == 200
    assert c.get(f"/awards/people/{county['qianqi'].pk}/").status_code == 404  # neither in scope nor honoured
    data = c.get(f"/api/v1/awards/people/{county['zhangsan'].pk}/honours/").json()["items"]
    assert sorted(h["kind"] for h in data) == ["star", "team"]
    rounds = c.get("/api/v1/awards/rounds/").json()["items"]
    assert rounds[0]["winners"] == 2 and rounds[0]["status"] == "announced"


def test_nominate_page_has_search_pickers(nominating, login):
    page = login("town1").get(f"/awards/{nominating['round'].pk}/nominate/").content.decode()
    assert 'hx-get="/pick/people/"' in page and 'name="members_q"' in page and 'hx-get="/pick/units/"' in page
    assert "bole/picker.js" in page


def test_nominate_rejects_a_person_outside_scope(nominating, login, county):
    rnd = nominating["round"]
    resp = login("town1").post(f"/awards/{rnd.pk}/nominate/", {
        "kind": "star", "unit": county["u1"].pk, "person": county["zhaoliu"].pk,
        "deeds": "社区网格化治理成效明显，群众满意度持续提升。"})
    assert resp.status_code == 200
    assert "所选人员不在您的管辖范围内或已停用" in resp.content.decode()
    assert not rnd.nominations.filter(person=county["zhaoliu"]).exists()


def test_nominate_team_by_typed_names_without_javascript(nominating, login, county):
    """The pickers degrade to text boxes: names and initials are resolved on the server, in scope."""
    rnd = nominating["round"]
    c = login("town1")
    resp = c.post(f"/awards/{rnd.pk}/nominate/", {
        "kind": "team", "unit_q": "武康街道党工委", "team_name": "五四村共富工坊", "members_q": "zs、李四",
        "deeds": "建成共富工坊三家，带动村民家门口就业一百余人。"})
    assert resp.status_code == 302, resp.content.decode()[:2000]
    team = rnd.nominations.get(team_name="五四村共富工坊")
    assert team.unit == county["u1"]
    assert set(team.members.all()) == {county["zhangsan"], county["lisi"]}
    resp = c.post(f"/awards/{rnd.pk}/nominate/", {
        "kind": "team", "unit": county["u1"].pk, "team_name": "跨街道专班", "members_q": "zs、王五",
        "deeds": "建成共富工坊三家，带动村民家门口就业一百余人。"})
    assert "找不到“王五”" in resp.content.decode()


def test_honours_section_on_the_person_page(publicised, users, login, county):
    """The awards add a row to the register's person page through their declared `person_sections`."""
    services.award_round_transition(round=publicised["round"], to="announced", actor=users["admin"],
                                    today=dt.date(2025, 4, 16))
    page = login("admin").get(f"/people/{county['zhangsan'].pk}/").content.decode()
    assert "全部荣誉记录" in page and f"/awards/people/{county['zhangsan'].pk}/" in page
    assert "全部荣誉记录" not in login("admin").get(f"/people/{county['qianqi'].pk}/").content.decode()
