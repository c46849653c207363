import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bole.assessment import selectors, services
from bole.assessment.choices import RoundStatus
from bole.assessment.models import Objection, Result, Round, RoundEvent
from bole.core.models import AuditEvent

ALL = list(RoundStatus.values)


def _round_in(scheme, status, period="2024Q1"):
    """A round brought to `status` through the transition service only."""
    path = {
        "draft": [], "collecting": ["collecting"], "computed": ["collecting", "computed"],
        "publicity": ["collecting", "computed", "publicity"],
        "published": ["collecting", "computed", "publicity", "published"],
        "frozen": ["collecting", "computed", "publicity", "published", "frozen"],
    }[status]
    rnd = services.round_create(scheme=scheme, period=period, actor=None)
    for to in path:
        rnd = services.round_transition(round=rnd, to=to, actor=None, on=_day_for(rnd, to))
    return rnd


def _day_for(rnd, to):
    """The day a move is made: publishing waits until the publicity period is over."""
    return services.publish_from(rnd) if to == "published" else None


@pytest.mark.parametrize(("start", "to"), list(itertools.product(ALL, ALL)))
def test_every_round_transition_is_allowed_or_refused(inputs, scheme, start, to):
    rnd = _round_in(scheme, start)
    allowed = to in services.TRANSITIONS[start]
    if allowed:
        note = "更正数据" if (start, to) == ("publicity", "computed") else ""
        rnd = services.round_transition(round=rnd, to=to, actor=None, note=note, on=_day_for(rnd, to))
        assert rnd.status == to
        assert RoundEvent.objects.filter(round=rnd, from_status=start, to_status=to).exists()
        assert AuditEvent.objects.filter(object_type="assessment.round", object_id=str(rnd.pk),
                                         action="transition").exists()
    else:
        with pytest.raises(ValidationError):
            services.round_transition(round=rnd, to=to, actor=None)
        assert Round.objects.get(pk=rnd.pk).status == start


def test_weights_must_sum_to_100(inputs, scheme):
    ind = scheme.indicators.get(code="points")
    ind.weight = Decimal("5")
    ind.save()
    rnd = services.round_create(scheme=scheme, period="2024Q1", actor=None)
    with pytest.raises(ValidationError, match="100"):
        services.round_transition(round=rnd, to="collecting", actor=None)


def test_only_county_admin_moves_rounds(inputs, scheme, users):
    rnd = services.round_create(scheme=scheme, period="2024Q1", actor=None)
    for name in ("town1", "cadre"):
        with pytest.raises(PermissionDenied):
            services.round_transition(round=rnd, to="collecting", actor=users[name])
    assert services.round_transition(round=rnd, to="collecting", actor=users["admin"]).status == "collecting"


def test_recompute_is_idempotent_and_deterministic(computed):
    before = list(Result.objects.filter(round=computed).order_by("person_id").values())
    again = services.round_transition(round=computed, to="computed", actor=None)
    after = list(Result.objects.filter(round=again).order_by("person_id").values())
    assert before == after  # same rows, same ids: nothing was rewritten
    inputs, written = services.round_compute(again, actor=None, force=True)
    forced = list(Result.objects.filter(round=again).order_by("person_id").values())
    strip = [{k: v for k, v in r.items() if k != "id"} for r in forced]
    assert strip == [{k: v for k, v in r.items() if k != "id"} for r in before] and written


def test_objection_flow(computed, users, county, leaders):
    rnd = services.round_transition(round=computed, to="publicity", actor=users["admin"])
    me = county["zhangsan"]
    with pytest.raises(ValidationError):
        services.objection_lodge(round=rnd, person=me, reason="  ", actor=users["cadre"])
    with pytest.raises(PermissionDenied):  # a cadre objects only for themselves
        services.objection_lodge(round=rnd, person=leaders[1], reason="替别人", actor=users["cadre"])
    obj = services.objection_lodge(round=rnd, person=me, reason="任务完成数统计有误", actor=users["cadre"])
    assert obj.status == "open"
    with pytest.raises(ValidationError, match="未答复"):
        services.round_transition(round=rnd, to="published", actor=users["admin"], on=services.publish_from(rnd))
    services.objection_answer(objection=obj, outcome="upheld", answer="经核实，改定为优秀", grade="优秀",
                              actor=users["admin"])
    obj.refresh_from_db()
    assert obj.status == "upheld" and obj.answered_by == users["admin"] and obj.answer
    with pytest.raises(ValidationError):
        services.objection_answer(objection=obj, outcome="dismissed", answer="再答", actor=users["admin"])
    # The decision changed the inputs: results must be recomputed before publishing.
    with pytest.raises(ValidationError, match="重新计算"):
        services.round_transition(round=rnd, to="published", actor=users["admin"], on=services.publish_from(rnd))
    rnd = services.round_transition(round=rnd, to="computed", actor=users["admin"], note="异议成立，重新计算")
    assert Result.objects.get(round=rnd, person=me).grade == "优秀"
    rnd = services.round_transition(round=rnd, to="publicity", actor=users["admin"])
    rnd = services.round_transition(round=rnd, to="published", actor=users["admin"], on=services.publish_from(rnd))
    assert rnd.doc_number.startswith("德组通〔2024〕")
    with pytest.raises(ValidationError):
        services.objection_lodge(round=rnd, person=me, reason="发布后", actor=users["cadre"])
    assert Objection.objects.filter(round=rnd).count() == 1


def test_frozen_round_never_changes(computed, users, county):
    rnd = computed
    for to in ("publicity", "published", "frozen"):
        rnd = services.round_transition(round=rnd, to=to, actor=users["admin"], on=_day_for(rnd, to))
    before = list(Result.objects.filter(round=rnd).order_by("person_id").values())
    assert not selectors.inputs_changed(rnd)
    services.unit_score_set(unit=county["u1"], period="2024Q1", score=12, actor=None)
    assert selectors.inputs_changed(rnd)
    for to in ALL:
        with pytest.raises(ValidationError):
            services.round_transition(round=rnd, to=to, actor=users["admin"])
    with pytest.raises(ValidationError):
        services.round_compute(rnd, actor=None, force=True)
    with pytest.raises(ValidationError):
        services.grade_decide(round=rnd, person=county["zhangsan"], grade="不称职", reason="x", actor=None)
    assert list(Result.objects.filter(round=rnd).order_by("person_id").values()) == before
    assert rnd.frozen_fingerprint == rnd.input_fingerprint


def test_rank_change_against_previous_round(computed, scheme):
    q2 = _round_in(scheme, "computed", period="2024Q2")
    rows = Result.objects.filter(round=q2)
    assert all(r.prev_rank is not None for r in rows)
    prev = dict(Result.objects.filter(round=computed).values_list("person_id", "rank"))
    assert all(r.prev_rank == prev[r.person_id] for r in rows)
