"""REST API: anonymous ballot submission by token, results hidden until closed, judges' scores, scope."""

from __future__ import annotations

import json

from bole.evaluation import services
from bole.evaluation.models import Ballot, BallotToken, QueuedBallot

from .conftest import answers_for


def _payload(ev, token, base=8):
    return {"token": token, "answers": [{"subject_id": s, "criterion_id": c, "score": v}
                                        for (s, c), v in answers_for(ev, base).items()]}


def _post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_ballot_submission_without_login(client, ballot_eval):
    ev = ballot_eval["ev"]
    token = BallotToken.objects.filter(evaluation=ev).values_list("token", flat=True)[0]
    form = client.get(f"/api/v1/ballots/{token}").json()
    assert form["group"] in {"领导", "同事"} and len(form["subjects"]) == 3 and len(form["criteria"]) == 2
    assert _post(client, "/api/v1/ballots", _payload(ev, token)).status_code == 201
    again = _post(client, "/api/v1/ballots", _payload(ev, token))
    assert again.status_code == 409 and again.json()["code"] == "used"
    assert client.get(f"/api/v1/ballots/{token}").status_code == 409
    assert _post(client, "/api/v1/ballots", _payload(ev, "bogus")).status_code == 404
    # Queued until the mixer moves it: the ballot table gets no row in the token's transaction.
    assert QueuedBallot.objects.count() == 1 and Ballot.objects.count() == 0


def test_results_api_hidden_then_shown(login, ballot_eval, users):
    ev = ballot_eval["ev"]
    client = login("admin")
    for t in BallotToken.objects.filter(evaluation=ev).values_list("token", flat=True)[:4]:
        services.ballot_submit(token=t, answers=answers_for(ev, 9))
    assert client.get(f"/api/v1/evaluations/{ev.pk}/results").status_code == 409
    rates = client.get(f"/api/v1/evaluations/{ev.pk}/rates").json()["items"]
    assert sum(r["ballots"] for r in rates) == 4 and sum(r["waiting"] for r in rates) == 4
    resp = client.post(f"/api/v1/evaluations/{ev.pk}/transition?to=closed")
    assert resp.status_code == 200 and resp.json()["status"] == "closed"
    data = client.get(f"/api/v1/evaluations/{ev.pk}/results").json()
    assert data["engine_version"].startswith("raters-") and data["rows"][0]["rank"] == 1
    assert data["rows"][0]["score_lo"] <= data["rows"][0]["final_score"] <= data["rows"][0]["score_hi"]


def test_list_is_scoped(login, ballot_eval):
    assert login("town2").get("/api/v1/evaluations").json()["count"] == 0
    assert login("town1").get("/api/v1/evaluations").json()["count"] == 1
    assert login("town2").get(f"/api/v1/evaluations/{ballot_eval['ev'].pk}").status_code == 404


def test_judge_scores_via_api(client, contest, judges):
    ev = contest["ev"]
    c1, c2 = contest["criteria"]
    client.force_login(judges["judge2"])
    s = contest["subjects"][1]
    resp = _post(client, f"/api/v1/evaluations/{ev.pk}/scores", {"subject_id": s.pk, "scores": {c1.pk: 15, c2.pk: 6}})
    assert resp.status_code == 200
    assert s.judge_scores.count() == 2
    bad = _post(client, f"/api/v1/evaluations/{ev.pk}/scores", {"subject_id": s.pk, "scores": {c1.pk: 99}})
    assert bad.status_code == 400
    client.force_login(judges["judge1"])
    own = contest["subjects"][0]
    assert _post(client, f"/api/v1/evaluations/{ev.pk}/scores",
                 {"subject_id": own.pk, "scores": {c1.pk: 15, c2.pk: 6}}).status_code == 400
