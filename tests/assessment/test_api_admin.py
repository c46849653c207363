"""The county's assessment work through the API: schemes, rounds, grade decisions, publicity dates."""

import datetime as dt

from bole.assessment.models import GradeDecision, Round, Scheme
from bole.core.api import token_issue

API = "/api/v1/assessment"


def _auth(users, name):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=users[name])}"}


def _post(client, url, data, users, who="admin"):
    return client.post(url, data=data, content_type="application/json", **_auth(users, who))


SCHEME = {
    "name": "一般干部年度考核", "target": "cadre", "period_kind": "year", "grouping": "rank",
    "excellent_share": "0.15", "decimals": 2,
    "indicators": [
        {"code": "unit", "name": "单位综合考评", "kind": "unit_score", "weight": 60},
        {"code": "task", "name": "个人任务完成率", "kind": "task_rate", "weight": 40},
    ],
}


def test_scheme_create_update_and_errors(client, users, county):
    resp = _post(client, f"{API}/schemes/", SCHEME, users)
    assert resp.status_code == 201, resp.content
    sid = resp.json()["id"]
    assert [i["code"] for i in resp.json()["indicators"]] == ["unit", "task"]
    bad = {**SCHEME, "name": "权重不足", "indicators": [{**SCHEME["indicators"][0], "weight": 50}]}
    resp = _post(client, f"{API}/schemes/", bad, users)
    assert resp.status_code == 400 and "100" in resp.content.decode()
    assert not Scheme.objects.filter(name="权重不足").exists()
    changed = {**SCHEME, "indicators": [{**SCHEME["indicators"][0], "weight": 70},
                                        {**SCHEME["indicators"][1], "weight": 30}]}
    resp = client.put(f"{API}/schemes/{sid}/", data=changed, content_type="application/json", **_auth(users, "admin"))
    assert resp.status_code == 200
    assert sorted(i["weight"] for i in resp.json()["indicators"]) == [30.0, 70.0]
    assert _post(client, f"{API}/schemes/", {**SCHEME, "name": "镇街自建"}, users, "town1").status_code == 403


def test_round_create_decision_and_publicity_date(client, users, computed, scheme, leaders, county):
    resp = _post(client, f"{API}/rounds/", {"scheme_id": scheme.pk, "period": "2024q2"}, users)
    assert resp.status_code == 201 and resp.json()["period"] == "2024Q2"
    assert _post(client, f"{API}/rounds/", {"scheme_id": scheme.pk, "period": "2024"}, users).status_code == 400
    assert _post(client, f"{API}/rounds/", {"scheme_id": scheme.pk, "period": "2024Q3"}, users,
                 "cadre").status_code in (403, 404)

    url = f"{API}/rounds/{computed.pk}/decisions/"
    person = leaders[3]
    resp = _post(client, url, {"person_id": person.pk, "grade": "不称职", "reason": "受到党纪处分"}, users)
    assert resp.status_code == 201
    assert GradeDecision.objects.get(round=computed, person=person).grade == "不称职"
    assert _post(client, url, {"person_id": person.pk, "grade": "不称职", "reason": ""}, users).status_code == 400
    outsider = {"person_id": county["lisi"].pk, "grade": "不称职", "reason": "受到党纪处分"}  # no section leader
    assert _post(client, url, outsider, users).status_code == 422
    assert not GradeDecision.objects.filter(person=county["lisi"]).exists()
    assert client.get(url, **_auth(users, "admin")).json()["items"][0]["person_id"] == person.pk
    assert client.get(url, **_auth(users, "cadre")).status_code in (403, 404)
    did = resp.json()["id"]
    assert client.delete(f"{API}/decisions/{did}/", **_auth(users, "admin")).status_code == 204
    assert not GradeDecision.objects.filter(pk=did).exists()

    until = dt.date.today() + dt.timedelta(days=7)
    resp = _post(client, f"{API}/rounds/{computed.pk}/transition/",
                 {"to": "publicity", "publicity_until": until.isoformat()}, users)
    assert resp.status_code == 200 and Round.objects.get(pk=computed.pk).publicity_until == until
    resp = _post(client, f"{API}/rounds/{computed.pk}/transition/", {"to": "published"}, users)
    assert resp.status_code == 400  # the publicity period has not ended
