"""A need from post to solved: classify, match, accept by both, meet, solve, rate; the figures move."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from bole.core.audit import history_for
from bole.core.figures import span
from bole.pairing import selectors, services
from bole.pairing.choices import PairAction, PairState
from bole.pairing.models import Need, Pairing


def _figures(user):
    return {f.key: f.value for f in selectors.figures(user=user, period=span(""))}


def _match(market, users, **params):
    admin = users["admin"]
    for case, field in zip(market["cases"], ["地理信息", "环保"], strict=True):
        services.need_classify(case=case, field=field, k=2, actor=admin)
    run = services.run_create(region=market["experts"][0].region, actor=admin, params=params)
    return services.run_compute(run=run, actor=admin)


def test_classify_accepts_the_case_and_refuses_twice(market, users):
    need = services.need_classify(case=market["cases"][0], field="地理信息", k=2, actor=users["admin"])
    need.case.refresh_from_db()
    assert need.case.state == "accepted" and need.case.category.name == "地理信息"
    with pytest.raises(ValidationError):
        services.need_classify(case=market["cases"][0], field="地理信息", actor=users["admin"])
    with pytest.raises(PermissionDenied):
        services.need_classify(case=market["cases"][1], field="环保", actor=users["ent"])
    assert not selectors.needs_to_classify(user=users["admin"]).filter(pk=market["cases"][0].pk).exists()


def test_run_proposes_the_right_experts_with_reasons_and_stores_its_engine(market, users):
    run = _match(market, users)
    assert run.status == "done" and run.needs == 2 and run.experts == 4
    assert run.params["engine"]["version"] == "matching-1.0.0"
    best = {p.need.case_id: p for p in Pairing.objects.filter(run=run).order_by("-affinity")[::-1]}
    assert best[market["cases"][0].pk].expert.code == "ZJUT-001"
    assert best[market["cases"][1].pk].expert.code == "ZJUT-002"
    assert "遥感影像" in best[market["cases"][0].pk].terms
    assert not Pairing.objects.filter(run=run, expert__code="ZJUT-004").exists()  # nothing shared
    # a second run finds nothing open
    again = services.run_compute(run=services.run_create(region=run.region, actor=users["admin"], params={}),
                                 actor=users["admin"])
    assert again.pairs == 0


def test_conflict_excludes_and_capacity_holds(market, users, county):
    admin = users["admin"]
    services.conflict_add(expert=market["experts"][0], enterprise=county["e1"], kind="shares", actor=admin)
    run = _match(market, users)
    assert not Pairing.objects.filter(run=run, expert=market["experts"][0]).exists()
    need = Need.objects.get(case=market["cases"][0])
    with pytest.raises(ValidationError, match="利益冲突"):
        services.pairing_add(need=need, expert=market["experts"][0], actor=admin)
    # capacity 2 a year: a third pairing is refused
    e = market["experts"][3]
    services.pairing_add(need=need, expert=e, actor=admin)
    services.pairing_add(need=Need.objects.get(case=market["cases"][1]), expert=e, actor=admin)
    third = services.need_classify(case=market["post"](county["e2"], "印染色牢度", "染色工艺色牢度不足。", admin),
                                   field="纺织", actor=admin)
    with pytest.raises(ValidationError, match="已满"):
        services.pairing_add(need=third, expert=e, actor=admin)


def test_whole_life_and_the_figures_move(market, users, client):
    admin, ent = users["admin"], users["ent"]
    _match(market, users)
    before = _figures(admin)
    p = Pairing.objects.get(need__case=market["cases"][0], expert__code="ZJUT-001")
    assert services.allowed(ent, p) == [PairAction.ACCEPT_ENTERPRISE, PairAction.DECLINE]
    with pytest.raises(PermissionDenied):  # the other enterprise's login cannot act
        services.pairing_transition(pairing=p, action=PairAction.ACCEPT_EXPERT, actor=ent)
    services.pairing_transition(pairing=p, action=PairAction.ACCEPT_ENTERPRISE, actor=ent)
    p.refresh_from_db()
    assert p.state == PairState.PROPOSED  # one side only
    services.pairing_transition(pairing=p, action=PairAction.ACCEPT_EXPERT, actor=market["prof"])
    p.refresh_from_db()
    assert p.state == PairState.ACCEPTED
    with pytest.raises(ValidationError):
        services.pairing_transition(pairing=p, action=PairAction.SOLVE, actor=ent, outcome="patent")
    with pytest.raises(ValidationError):  # a meeting before the need was posted
        services.pairing_transition(pairing=p, action=PairAction.MEET, actor=ent,
                                    met_on=dt.date(2000, 1, 1))
    services.pairing_transition(pairing=p, action=PairAction.MEET, actor=market["prof"], met_on=timezone.localdate())
    services.report_add(pairing=p, text="现场调研", actor=ent)
    services.pairing_transition(pairing=p, action=PairAction.START, actor=admin)
    with pytest.raises(ValidationError):
        services.pairing_transition(pairing=p, action=PairAction.SOLVE, actor=ent, outcome="")
    services.pairing_transition(pairing=p, action=PairAction.SOLVE, actor=ent, outcome="patent",
                                outcome_note="联合申请发明专利")
    with pytest.raises(PermissionDenied):
        services.pairing_rate(pairing=p, rating=5, actor=market["prof"])
    services.pairing_rate(pairing=p, rating=5, actor=ent, comment="很好")
    with pytest.raises(ValidationError):
        services.pairing_rate(pairing=p, rating=4, actor=ent)
    after = _figures(admin)
    assert after["pairing_solved"] == before["pairing_solved"] + 1
    assert after["pairing_professors"] == before["pairing_professors"] + 1
    assert after["pairing_enterprises"] == before["pairing_enterprises"] + 1
    assert after["pairing_solved_rate"] == 100.0
    assert after["pairing_days_to_meeting"] == 0.0
    assert [e.action for e in history_for(p)][:1] == ["update"]


def test_scope(market, users, county):
    _match(market, users)
    ent, prof, town2 = users["ent"], market["prof"], users["town2"]
    mine = selectors.pairing_list(user=ent)
    assert mine.exists() and set(mine.values_list("need__enterprise_id", flat=True)) == {county["e1"].pk}
    assert set(selectors.pairing_list(user=prof).values_list("expert__code", flat=True)) <= {"ZJUT-001"}
    # 舞阳街道's admin sees 恒源 (in 舞阳街道), not 华盛 (in 五四村 of 武康街道)
    ids = set(selectors.pairing_list(user=town2).values_list("need__enterprise_id", flat=True))
    assert county["e1"].pk not in ids
    assert not selectors.pairing_list(user=users["cadre"]).exists()


def test_live_pair_is_unique_and_rating_range_in_the_database(market, users):
    _match(market, users)
    p = Pairing.objects.filter(state=PairState.PROPOSED).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Pairing.objects.create(need=p.need, expert=p.expert, created_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Pairing.objects.filter(pk=p.pk).update(rating=6)


def test_floor_run(market, users):
    run = _match(market, users, min_affinity=0.2)
    assert run.params["engine"]["method"] == "milp_highs"
    assert run.floor_missed == 0
