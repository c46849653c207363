"""Panel review of applications under a policy that says so: the applications go before an evaluation of kind
PANEL, judges score them, and an application is approved only after its panel has closed with its score; the
approved amount stays ≤ the formula's and the decision stays with staff."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from bole.core.api import token_issue
from bole.vouchers.models import Application

pytestmark = pytest.mark.django_db
PW = "pass-1234-word"


@pytest.fixture
def judge(county):
    from bole.org.services import account_create

    return account_create(username="vj1", role="judge", scope=county["qianqi"].id_number, password=PW, actor=None)


@pytest.fixture
def reviewed(county, users):
    """创新券 reviewed by panel, with a fund and the applications of two enterprises."""
    from bole.vouchers import services

    admin = users["admin"]
    today = dt.date.today()
    pol = services.support_policy_create(actor=admin, data={
        "region": county["county"], "name": "创新券（评审）", "kind": "innovation", "holder_kind": "enterprise",
        "panel_review": True, "formula": {"kind": "share", "base": "service_cost", "share": "0.5", "cap": 1_000_000},
        "valid_from": dt.date(today.year, 1, 1), "valid_until": dt.date(today.year, 12, 31)})
    services.fund_create(policy_obj=pol, year=today.year, budget_fen=10_000_000, actor=admin)
    a1 = services.application_submit(policy_obj=pol, enterprise=county["e1"], actor=None,
                                     declared={"service_cost": 200_000})
    a2 = services.application_submit(policy_obj=pol, enterprise=county["e2"], actor=None,
                                     declared={"service_cost": 100_000})
    return {"policy": pol, "a1": a1, "a2": a2, "admin": admin}


def _score(ev, judge, admin, fracs: dict[int, float], *, close=True):
    from bole.evaluation import services as evs

    seat = evs.judge_add(evaluation=ev, user=judge, actor=admin)
    evs.evaluation_transition(evaluation=ev, to="open", actor=admin)
    for app in Application.objects.filter(panel=ev).select_related("subject"):
        if app.pk in fracs:
            evs.judge_scores_save(seat=seat, subject=app.subject, actor=judge,
                                  scores={c.pk: round(c.max_score * fracs[app.pk], 1) for c in ev.criteria.all()})
    if len(fracs) == Application.objects.filter(panel=ev).count():
        evs.judge_submit(seat=seat, actor=judge)  # a judge who left one unscored cannot submit
    if close:
        evs.evaluation_transition(evaluation=ev, to="closed", actor=admin)


def test_approval_waits_for_the_panel(reviewed, judge, users):
    from bole.vouchers import panel, services

    admin, a1, a2 = reviewed["admin"], reviewed["a1"], reviewed["a2"]
    with pytest.raises(ValidationError, match="请先组成评审会"):
        services.application_transition(application=a1, to="approved", actor=admin)
    ev = panel.panel_create(policy_obj=reviewed["policy"], actor=admin)
    assert ev.kind == "panel" and ev.subjects.count() == 2 and ev.criteria.count() == 3
    a1.refresh_from_db()
    assert a1.panel_id == ev.pk and a1.subject.label == "德清华盛机械有限公司"
    with pytest.raises(ValidationError, match="没有待提交评审会的申请"):  # each application before one panel
        panel.panel_create(policy_obj=reviewed["policy"], actor=admin)
    with pytest.raises(ValidationError, match="评审会尚未结束打分"):  # draft
        services.application_transition(application=a1, to="approved", actor=admin)
    _score(ev, judge, admin, {a1.pk: 0.9}, close=False)
    with pytest.raises(ValidationError, match="评审会尚未结束打分"):  # open, scored, not closed
        services.application_transition(application=a1, to="approved", actor=admin)
    assert panel.panel_scores([a1]) == {a1.pk: None}  # no score shown before the panel closes
    from bole.evaluation import services as evs

    evs.evaluation_transition(evaluation=ev, to="closed", actor=admin)
    scores = panel.panel_scores([a1, a2])
    assert scores[a1.pk] == pytest.approx(90, abs=0.5)
    # a2 was never scored: it may not be approved, but may be refused with reasons
    a2.refresh_from_db()
    with pytest.raises(ValidationError, match="没有对该申请打分"):
        services.application_transition(application=a2, to="approved", actor=admin)
    services.application_transition(application=a2, to="refused", reason="评审会未评分，材料不全", actor=admin)
    # the amount stays ≤ the formula's, then approval and issue
    with pytest.raises(ValidationError, match="不超过测算金额"):
        services.application_transition(application=a1, to="approved", approved_fen=100_001, actor=admin)
    services.application_transition(application=a1, to="approved", approved_fen=80_000, actor=admin)
    services.application_transition(application=a1, to="issued", actor=admin)
    a1.refresh_from_db()
    assert a1.status == "issued" and a1.voucher.value_fen == 80_000


def test_a_policy_without_panel_review_has_no_panel(world, county, users):
    from bole.vouchers import panel

    with pytest.raises(ValidationError, match="未设置评审会评审"):
        panel.panel_create(policy_obj=world["policy"], actor=users["admin"])


def test_a_town_cannot_gather_a_panel_nor_applicants_see_scores(reviewed, judge, users, client):
    from django.core.exceptions import PermissionDenied

    from bole.vouchers import panel

    with pytest.raises(PermissionDenied):
        panel.panel_create(policy_obj=reviewed["policy"], actor=users["town1"])
    with pytest.raises(PermissionDenied):
        panel.panel_create(policy_obj=reviewed["policy"], actor=users["ent"])
    assert not Application.objects.filter(panel__isnull=False).exists()


def test_pages_and_api(reviewed, judge, users, client):
    admin, a1 = reviewed["admin"], reviewed["a1"]
    pol = reviewed["policy"]
    client.force_login(admin)
    page = client.get(f"/vouchers/policies/{pol.pk}/").content.decode()
    assert "提交评审会" in page
    resp = client.post(f"/vouchers/policies/{pol.pk}/panel/")
    a1.refresh_from_db()
    assert resp.status_code == 302 and resp["Location"].endswith(f"/{a1.panel_id}/")
    page = client.get(f"/vouchers/applications/{a1.pk}/").content.decode()
    assert "评审会尚未结束打分" in page and 'value="approved"' not in page
    client.post(f"/vouchers/applications/{a1.pk}/transition/", {"to": "approved"})
    a1.refresh_from_db()
    assert a1.status == "submitted"
    _score(a1.panel, judge, admin, {a1.pk: 0.8, reviewed["a2"].pk: 0.6})
    page = client.get(f"/vouchers/applications/{a1.pk}/").content.decode()
    assert "80.0" in page and 'value="approved"' in page
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=admin)}"}
    out = client.get(f"/api/v1/vouchers/applications/{a1.pk}/", **auth).json()
    assert out["panel_id"] == a1.panel_id and out["panel_score"] == pytest.approx(80, abs=0.5)
    applicant = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=users['ent'])}"}
    out = client.get(f"/api/v1/vouchers/applications/{a1.pk}/", **applicant).json()
    assert out["panel_id"] == a1.panel_id and out["panel_score"] is None  # the score is the staff's
    # the API gathers the next panel; nothing is waiting now
    bad = client.post(f"/api/v1/vouchers/policies/{pol.pk}/panel/", **auth)
    assert bad.status_code == 400 and "没有待提交评审会的申请" in bad.json()["errors"]["panel"][0]
    resp = client.post(f"/api/v1/vouchers/applications/{a1.pk}/transition/", {"to": "approved"},
                       content_type="application/json", **auth)
    assert resp.status_code == 200 and resp.json()["status"] == "approved"


def test_demo_panel_review_goes_through_the_services(county, users, monkeypatch):
    """The demo's policy reviewed by panel: a closed panel, every application decided after it, books balanced."""
    import random

    from bole.org import services as org
    from bole.org.demo import make_credit_code
    from bole.vouchers import demo, services
    from bole.vouchers.models import Fund

    monkeypatch.setattr(demo, "WUXING", "330521")
    rng = random.Random(20261207)
    extra = [org.enterprise_create(actor=None, name=f"德清测试机械{i}有限公司", industry="C", region=county["t1"],
                                   credit_code=make_credit_code(rng, "330521")) for i in range(3)]
    demo._panel_review(region=county["county"], applicants=[county["e1"], county["e2"], *extra], password=PW,
                       actor=users["admin"], today=dt.date.today(), rng=random.Random(1))
    apps = list(Application.objects.filter(policy__name="重大研发设备补贴"))
    assert len(apps) == 5 and {a.panel.status for a in apps} == {"closed"}
    assert sorted(a.status for a in apps) == ["approved", "issued", "issued", "issued", "refused"]
    assert all(a.approved_fen is None or a.approved_fen <= a.requested_fen for a in apps)
    fund = Fund.objects.get(policy__name="重大研发设备补贴")
    assert all(r["balanced"] for r in services.reconcile([fund]))
