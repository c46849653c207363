"""Home branches: stairwell QR requests go to the adopter, the private link, committees, branch stats."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from bole.cases import selectors as case_selectors
from bole.cases.choices import Action, Rating, State
from bole.cases.services import case_transition
from bole.community import selectors, services
from bole.community.models import Adoption
from bole.core.figures import values

pytestmark = pytest.mark.django_db


def test_request_from_adopted_stairwell_goes_to_adopting_member(home, county, users):
    case = services.resident_request_submit(stairwell=home["s1"], phone="13800001111", description="楼道灯坏了")
    assert case.state == State.ASSIGNED
    assert case.owner == home["member"] and case.lead_unit == home["member"].unit
    assert case.ref == home["s1"] and case.deadline is not None
    # The member (cadre login) sees and handles it; the resident rates by the private link.
    assert case in case_selectors.case_list(user=users["cadre"])
    case = case_transition(case=case, action=Action.START, actor=users["cadre"])
    case = case_transition(case=case, action=Action.RESOLVE, actor=users["cadre"], resolution="已换灯泡")
    case = case_transition(case=case, action=Action.RATE, actor=None, token=case.follow_token,
                           rating=Rating.SATISFIED)
    assert case.state == State.CLOSED


def test_unadopted_stairwell_goes_to_branch(home, county):
    case = services.resident_request_submit(stairwell=home["s2"], phone="13800001111", description="门禁坏了")
    assert case.lead_unit == county["u2v"] and case.owner == county["zhaoliu"]


def test_resident_phone_is_validated(home):
    with pytest.raises(ValidationError):
        services.resident_request_submit(stairwell=home["s1"], phone="12345", description="x")


def test_qr_form_submits_and_follow_link_shows_only_own_request(client, home):
    token = home["s1"].qr_token
    page = client.get(f"/q/{token}/")
    assert page.status_code == 200 and "阳光花园3幢2单元" in page.content.decode()
    assert client.get("/q/not-a-real-token-000/").status_code == 404
    from bole.cases.models import Category

    cat = Category.objects.get(desk__code="home-request", name="设施维修")
    resp = client.post(f"/q/{token}/", {"phone": "13800002222", "category": cat.pk, "description": "楼道灯坏了"})
    assert resp.status_code == 302 and resp["Location"].startswith("/f/")
    other = services.resident_request_submit(stairwell=home["s2"], phone="13900003333", description="别人的诉求：漏水")
    mine = client.get(resp["Location"]).content.decode()
    assert "楼道灯坏了" in mine and "别人的诉求" not in mine and "13900003333" not in mine
    assert other.follow_token not in mine


def test_public_api_request(client, home):
    r = client.post(f"/api/v1/public/stairwells/{home['s1'].qr_token}/requests/",
                    {"phone": "13800004444", "description": "垃圾没人清运"}, content_type="application/json")
    assert r.status_code == 201
    token = r.json()["follow_token"]
    assert client.get(f"/api/v1/public/cases/{token}/").json()["state"] == "assigned"


def test_qr_form_is_rate_limited_per_client(client, home):
    """Twenty posts in a row from one phone: five requests are filed, the rest are refused (429) and create no case
    and no notice for the adopter."""
    from bole.cases.models import Case, Category
    from bole.community.limits import PER_CLIENT

    cat = Category.objects.get(desk__code="home-request", name="设施维修")
    before = Case.objects.count()
    codes = [client.post(f"/q/{home['s1'].qr_token}/", {"phone": "13800002222", "category": cat.pk,
                                                         "description": f"楼道灯坏了 {i}"}).status_code
             for i in range(20)]
    assert codes == [302] * PER_CLIENT.hits + [429] * (20 - PER_CLIENT.hits)
    assert Case.objects.count() - before == PER_CLIENT.hits
    assert "提交太频繁" in client.post(f"/q/{home['s1'].qr_token}/", {
        "phone": "13800002222", "category": cat.pk, "description": "再试"}).content.decode()
    # Another client is not held back by this one; an invalid form is not counted.
    other = client.post(f"/q/{home['s1'].qr_token}/", {"phone": "13800002222", "category": cat.pk,
                                                       "description": "水管漏水"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302
    assert client.post(f"/q/{home['s1'].qr_token}/", {"phone": "1"}, REMOTE_ADDR="10.0.0.10").status_code == 200


def test_qr_api_is_rate_limited_per_stairwell(client, home):
    """Many clients on one stairwell: the stairwell's own limit holds, and another stairwell still takes requests."""
    from bole.community.limits import PER_STAIRWELL

    def post(stairwell, addr):
        return client.post(f"/api/v1/public/stairwells/{stairwell.qr_token}/requests/",
                           {"phone": "13800004444", "description": "垃圾没人清运"}, content_type="application/json",
                           REMOTE_ADDR=addr)

    codes = [post(home["s1"], f"10.1.0.{i}").status_code for i in range(PER_STAIRWELL.hits + 3)]
    assert codes == [201] * PER_STAIRWELL.hits + [429] * 3
    assert post(home["s1"], "10.1.1.1").json() == {"detail": "提交太频繁，请稍后再试。"}
    assert post(home["s2"], "10.1.1.2").status_code == 201


def test_adoption_rules(home, county, users):
    with pytest.raises(ValidationError):  # not a party member
        services.adoption_create(stairwell=home["s2"], person=county["wangwu"], actor=users["admin"])
    services.adoption_create(stairwell=home["s1"], person=county["lisi"].__class__.objects.get(
        pk=county["qianqi"].pk), actor=users["admin"]) if county["qianqi"].is_party_member else None
    assert Adoption.objects.filter(stairwell=home["s1"], end_on__isnull=True).count() == 1


def test_governance_issue_goes_to_committee(home, county, users):
    case = services.governance_issue_submit(committee=home["committee"], title="停车难",
                                            description="车位不足，僵尸车占位", actor=users["admin"])
    assert case.desk.code == "home-governance" and case.ref == home["committee"]
    assert case.lead_unit == county["u2v"] and case.owner == county["zhaoliu"]


def test_branch_stats_and_scope(home, county, users, clock):
    a = services.resident_request_submit(stairwell=home["s1"], phone="13800001111", description="楼道灯坏了")
    a = case_transition(case=a, action=Action.START, actor=users["cadre"])
    case_transition(case=a, action=Action.RESOLVE, actor=users["cadre"], resolution="已修")
    services.resident_request_submit(stairwell=home["s2"], phone="13800001111", description="门禁坏了")
    services.governance_issue_submit(committee=home["committee"], title="停车", description="停车难",
                                     actor=users["admin"])
    [row] = selectors.branch_stats(user=users["admin"])
    assert (row["stairwells"], row["adopted"], row["requests"], row["resolved"], row["committees"],
            row["issues"]) == (2, 1, 2, 1, 1, 1)
    assert row["on_time_rate"] == 1.0
    assert selectors.branch_stats(user=users["town1"]) == []  # another street
    assert len(selectors.branch_stats(user=users["town2"])) == 1
    figures = values(user=users["admin"])
    assert figures["home_branches"] == 1 and figures["stairwells_adopted"] == 1 and figures["committees"] == 1
    assert figures["requests_resolved"] == 1 and figures["governance_issues"] == 1


def test_pages(login, home):
    admin = login("admin")
    assert "阳光花园" in admin.get("/community/").content.decode()
    page = admin.get(f"/community/{home['branch'].pk}/").content.decode()
    assert "李四" not in page and "张三" in page  # the adopter is shown
    sheet = admin.get(f"/community/{home['branch'].pk}/qr/").content.decode()
    assert sheet.count("<svg") == 2 and "阳光花园3幢2单元" in sheet
    assert login("town1").get(f"/community/{home['branch'].pk}/").status_code == 404


@pytest.fixture
def town_member(home, county, users):
    """赵六 of 塔山社区 (the branch's own town) joins the party: a member the town's admins may choose."""
    from bole.org.services import person_update

    return person_update(person=county["zhaoliu"], is_party_member=True, actor=users["admin"])


def _state():
    from bole.core.models import AuditEvent

    return (list(Adoption.objects.order_by("pk").values_list("pk", "stairwell_id", "person_id", "end_on")),
            AuditEvent.objects.count())


@pytest.mark.parametrize("who", ["town2", "u2vadmin"])
def test_adopting_with_another_towns_member_is_refused_by_the_service(home, county, users, town_member, who):
    from django.contrib.auth import get_user_model

    actor = get_user_model().objects.get(username=who)
    before = _state()
    with pytest.raises(ValidationError) as exc:  # 张三 is a party member of 武康街道, not of 舞阳街道
        services.adoption_create(stairwell=home["s2"], person=home["member"], actor=actor)
    assert "管辖范围" in exc.value.message_dict["person"][0]
    assert _state() == before
    a = services.adoption_create(stairwell=home["s2"], person=town_member, actor=actor)
    assert a.person == town_member and a.stairwell == home["s2"]


def test_adopt_api_refuses_another_towns_member_and_writes_nothing(client, home, users, town_member):
    client.force_login(users["town2"])
    url = f"/api/v1/community/stairwells/{home['s2'].pk}/adopt/"
    before = _state()
    r = client.post(url, {"person_id": home["member"].pk}, content_type="application/json")
    assert r.status_code == 422 and "管辖范围" in r.json()["errors"]["person_id"][0]
    assert _state() == before
    r = client.post(url, {"person_id": town_member.pk}, content_type="application/json")
    assert r.status_code == 201 and r.json()["person_id"] == town_member.pk
    # A stairwell of another town is not found at all.
    client.force_login(users["town1"])
    assert client.post(url, {"person_id": home["member"].pk}, content_type="application/json").status_code == 404


def test_branch_page_lists_no_people_and_loads_one_adopt_form_on_demand(login, home, town_member):
    c = login("town2")
    page = c.get(f"/community/{home['branch'].pk}/").content.decode()
    assert "<option" not in page and "<select" not in page
    adopt = f"/community/stairwells/{home['s2'].pk}/adopt/"
    assert f'hx-get="{adopt}"' in page and "picker.js" in page  # the row's link, and the picker's script
    row = c.get(adopt, headers={"HX-Request": "true"}).content.decode()
    assert row.startswith('<tr class="adopt-row">') and 'name="person_q"' in row and "pick/party-members/" in row
    assert "<option" not in row and "<html" not in row
    full = c.get(adopt).content.decode()  # without JavaScript the link opens the form as a page
    assert "<html" in full and "阳光花园4幢1单元" in full and 'name="person_q"' in full


def test_adopt_page_accepts_a_pick_in_scope_and_refuses_one_outside(login, home, town_member):
    c = login("town2")
    adopt = f"/community/stairwells/{home['s2'].pk}/adopt/"
    before = _state()
    r = c.post(adopt, {"person": str(home["member"].pk)})  # an id posted from outside the picker's scope
    assert r.status_code == 400 and "不是您管辖范围内在册的党员" in r.content.decode()
    r = c.post(adopt, {"person_q": "张三"})  # typed: resolved within scope only
    assert r.status_code == 400 and "找不到" in r.content.decode()
    assert _state() == before
    r = c.post(adopt, {"person": str(town_member.pk), "start_on": "2024-03-04"})
    assert r.status_code == 302 and r.url == f"/community/{home['branch'].pk}/"
    assert Adoption.objects.get(stairwell=home["s2"], end_on__isnull=True).person == town_member


def test_party_member_picker_searches_the_users_scope(login, home, town_member):
    def names(who, q):
        return login(who).get("/pick/party-members/", {"q": q}).content.decode()

    assert "赵六" in names("town2", "赵") and "张三" not in names("town2", "张")
    assert "张三" in names("admin", "张") and "王五" not in names("admin", "王")  # 王五 is no party member
    assert "赵六" not in names("town1", "赵")
