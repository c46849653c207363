"""Pages and API of 产学研 for each side: the department classifies and runs; an enterprise and the expert act."""

from bole.pairing.models import MatchRun, Need, Pairing


def test_department_pages_classify_run_and_hand_change(market, login, county):
    c = login("admin")
    r = c.get("/pairing/")
    assert r.status_code == 200 and "遥感影像识别精度不足" in r.content.decode()
    r = c.post(f"/pairing/classify/{market['cases'][0].pk}/", {"field": "地理信息", "k": "2"})
    assert r.status_code == 302 and Need.objects.count() == 1
    r = c.post("/pairing/runs/new/", {"region": county["county"].pk, "min_affinity": "abc"})
    assert r.status_code == 302 and not MatchRun.objects.exists()  # a bad floor is refused, nothing written
    r = c.post("/pairing/runs/new/", {"region": county["county"].pk})
    run = MatchRun.objects.get()
    assert r.url == f"/pairing/runs/{run.pk}/"
    assert "遥感影像" in c.get(r.url).content.decode()
    need = Need.objects.get()
    page = c.get(f"/pairing/needs/{need.pk}/").content.decode()
    assert "候选专家与人工调整" in page and "专家3" in page
    c.post(f"/pairing/needs/{need.pk}/add/", {"expert": market["experts"][3].pk})
    assert Pairing.objects.filter(need=need, expert=market["experts"][3], by_hand=True).exists()
    assert c.get("/pairing/experts/").status_code == 200
    assert c.get("/pairing/pairs/?state=proposed").status_code == 200


def test_enterprise_and_expert_act_through_the_api(market, users, client, county):
    from bole.core.tokens import api_token_issue

    def api(user):
        token = api_token_issue(user=user, label="t", actor=user)[1]
        return {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    admin = api(users["admin"])
    r = client.post("/api/v1/pairing/needs/", {"case_id": market["cases"][0].pk, "field": "地理信息"},
                    content_type="application/json", **admin)
    assert r.status_code == 201, r.content
    r = client.post("/api/v1/pairing/runs/", {"region_id": county["county"].pk}, content_type="application/json",
                    **admin)
    assert r.status_code == 201 and r.json()["pairs"] >= 1
    ent = api(users["ent"])
    items = client.get("/api/v1/pairing/pairings/", **ent).json()["items"]
    mine = next(p for p in items if p["expert"] == "专家0")
    assert "遥感影像" in mine["terms"]
    url = f"/api/v1/pairing/pairings/{mine['id']}/transition/"
    assert client.post(url, {"action": "accept_exp"}, content_type="application/json", **ent).status_code == 403
    assert client.post(url, {"action": "accept_ent"}, content_type="application/json", **ent).status_code == 200
    prof = api(market["prof"])
    r = client.post(url, {"action": "accept_exp"}, content_type="application/json", **prof)
    assert r.json()["state"] == "accepted"
    assert client.post(url, {"action": "nonsense"}, content_type="application/json", **prof).status_code in (400, 422)
    # the other enterprise's login sees none of it
    other = api(users["town2"])
    assert client.get(f"/api/v1/pairing/pairings/{mine['id']}/", **other).status_code == 404
