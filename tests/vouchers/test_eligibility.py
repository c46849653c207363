"""Eligibility as data: the engine's verdicts with reasons, facts from the registers (the talent register's level,
the enterprise's size from its declaration), and the amount formulas in whole fen."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from bole.engines import vouchers as engine


def test_check_explains_every_criterion():
    criteria = [{"fact": "talent_level", "op": "in", "value": ["national", "provincial"]},
                {"fact": "age", "op": "lte", "value": 35}, {"fact": "region", "op": "prefix", "value": ["330502"]}]
    d = engine.check(criteria, {"talent_level": "city", "age": 30, "region": "330502001"})
    assert not d.eligible
    assert [(r.fact, r.passed) for r in d.reasons] == [("talent_level", False), ("age", True), ("region", True)]
    d = engine.check(criteria, {"talent_level": "national", "age": 30})
    assert not d.eligible and d.failed[0].fact == "region" and not d.failed[0].known


def test_dates_and_bad_criteria():
    c = [{"fact": "date", "op": "between", "value": ["2026-01-01", "2026-06-30"]}]
    assert engine.check(c, {"date": dt.date(2026, 6, 30)}).eligible
    assert not engine.check(c, {"date": dt.date(2026, 7, 1)}).eligible
    with pytest.raises(engine.CriteriaError):
        engine.validate_criteria([{"fact": "age", "op": "lte", "value": "35"}])
    with pytest.raises(engine.CriteriaError):
        engine.validate_criteria([{"fact": "date", "op": "between", "value": ["2026-02-01", "2026-01-01"]}])
    with pytest.raises(engine.CriteriaError):
        engine.validate_formula({"kind": "share", "base": "equipment_cost", "share": "1.5"})


@given(cost=st.integers(min_value=0, max_value=10**12), share=st.decimals(min_value="0.01", max_value="1", places=2),
       cap=st.integers(min_value=0, max_value=10**10))
def test_share_rounds_down_to_the_fen_and_never_passes_its_cap(cost, share, cap):
    f = engine.validate_formula({"kind": "share", "base": "equipment_cost", "share": str(share), "cap": cap})
    got = engine.amount_fen(f, {"equipment_cost": cost})
    exact = cost * share  # a Decimal: no float rounding in the check
    assert 0 <= got <= cap
    assert got == cap or got <= exact < got + 1


@given(total=st.integers(min_value=0, max_value=10**12), parts=st.integers(min_value=1, max_value=500))
def test_split_fen_adds_up_exactly(total, parts):
    out = engine.split_fen(total, parts)
    assert sum(out) == total and max(out) - min(out) <= 1


def test_enterprise_size_classes():
    assert engine.enterprise_size(1200, 50000) == "large"
    assert engine.enterprise_size(1200, 1000) == "small"  # below medium's revenue bound
    assert engine.enterprise_size(10, 100) == "micro"
    assert engine.enterprise_size(None, 100) is None


def test_signals_find_the_planted_patterns():
    rng = np.random.default_rng(1)
    n = 400
    merchant = rng.integers(1, 9, n)
    holder = rng.integers(1, 200, n)
    amount = rng.integers(100, 9000, n) * 7 + 3
    days = rng.integers(0, 120, n)
    merchant[:8], holder[:8] = 50, 7  # one pair again and again
    merchant[8:20], days[8:20], amount[8:20] = 51, 1, 20_000  # one shop: round sums just before expiry
    merchant[20:200] = 52  # one shop with an outsized share
    found = engine.signals(merchant, holder, amount, days)
    kinds = {(s.kind, s.merchant) for s in found}
    assert (engine.SIGNAL_PAIR, 50) in kinds
    assert (engine.SIGNAL_BUNCHED, 51) in kinds and (engine.SIGNAL_ROUND, 51) in kinds
    assert (engine.SIGNAL_SHARE, 52) in kinds
    assert not any(s.merchant in range(1, 9) and s.kind == engine.SIGNAL_ROUND for s in found)


@pytest.mark.django_db
def test_talent_level_from_the_register_decides(county, users):
    from bole.talent.models import Talent
    from bole.vouchers import services

    pol = services.support_policy_create(actor=users["admin"], data={
        "region": county["county"], "name": "高层次人才券", "kind": "consumption", "holder_kind": "person",
        "criteria": [{"fact": "talent_level", "op": "in", "value": ["national", "provincial"]}],
        "formula": {"kind": "by_fact", "fact": "talent_level", "amounts": {"national": 500_000, "provincial": 200_000}},
        "valid_from": dt.date(2020, 1, 1), "valid_until": dt.date(2035, 1, 1)})
    person = county["zhangsan"]
    d, facts, amount = services.eligibility(policy_obj=pol, person=person)
    assert not d.eligible and not d.reasons[0].known  # not on the talent register
    Talent.objects.create(person=person, name=person.name, level="provincial", field="新材料", industry="C",
                          education="doctor", origin="introduced", region=county["t1"], region_code="330521001")
    d, facts, amount = services.eligibility(policy_obj=pol, person=person)
    assert d.eligible and facts["talent_level"] == "provincial" and amount == 200_000
    assert services.fund_issue_eligible  # the bulk issue reads the same register
    ids, checked = services.eligible_talents(policy_obj=pol)
    assert ids == [person.pk] and checked == 1


@pytest.mark.django_db
def test_enterprise_application_review_and_refusal_with_reasons(county, users):
    from bole.core.models import AuditEvent
    from bole.vouchers import services
    from bole.vouchers.models import Fund

    admin = users["admin"]
    pol = services.support_policy_create(actor=admin, data={
        "region": county["county"], "name": "研发设备补贴", "kind": "equipment", "holder_kind": "enterprise",
        "criteria": [{"fact": "enterprise_size", "op": "ne", "value": "large"},
                     {"fact": "industry", "op": "in", "value": ["C", "M"]}],
        "formula": {"kind": "share", "base": "equipment_cost", "share": "0.3", "cap": 50_000_000},
        "categories": ["equipment"], "valid_from": dt.date(2020, 1, 1), "valid_until": dt.date(2035, 1, 1)})
    services.fund_create(policy_obj=pol, year=dt.date.today().year, budget_fen=100_000_000, actor=admin)
    with pytest.raises(ValidationError, match="企业规模"):
        services.application_submit(policy_obj=pol, declared={"employees": 2000, "revenue_wan": 90000,
                                                                "equipment_cost": 1_000_000}, actor=users["ent"])
    app = services.application_submit(policy_obj=pol, declared={"employees": 80, "revenue_wan": 5000,
                                                                 "equipment_cost": 3_333_333}, actor=users["ent"])
    assert app.requested_fen == 999_999 and app.eligibility["eligible"]
    with pytest.raises(ValidationError, match="本年度已申请过"):
        services.application_submit(policy_obj=pol, declared={"employees": 80, "revenue_wan": 5000,
                                                              "equipment_cost": 100}, actor=users["ent"])
    for bad in ("", "approve", "无"):  # a state that does not exist is the caller's error, not the server's
        with pytest.raises(ValidationError, match="未知的状态"):
            services.application_transition(application=app, to=bad, actor=admin)
    with pytest.raises(ValidationError, match="不超过测算金额"):
        services.application_transition(application=app, to="approved", approved_fen=1_000_000, actor=admin)
    services.application_transition(application=app, to="approved", approved_fen=900_000, actor=admin)
    app = services.application_transition(application=app, to="issued", actor=admin)
    v = app.voucher
    assert (v.value_fen, v.holder_enterprise_id, v.categories) == (900_000, county["e1"].pk, ["equipment"])
    assert Fund.objects.get(policy=pol).issued_fen == 900_000
    assert AuditEvent.objects.filter(object_type="vouchers.application", object_id=str(app.pk)).count() == 3
    other = services.application_submit(policy_obj=pol, enterprise=county["e2"], actor=None,
                                        declared={"employees": 80, "revenue_wan": 5000, "equipment_cost": 100_000})
    with pytest.raises(ValidationError, match="须写明理由"):
        services.application_transition(application=other, to="refused", actor=admin)
    other = services.application_transition(application=other, to="refused", reason="设备非研发用途", actor=admin)
    assert other.status == "refused" and other.reason == "设备非研发用途"
