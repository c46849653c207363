from decimal import Decimal

import pytest

from bole.assessment import services
from bole.assessment.models import Result


@pytest.fixture
def simple(db, leaders):
    """One imported indicator (weight 100, raw scale) and a tie-breaker indicator with zero weight."""
    return services.scheme_create(
        actor=None, name="单指标", target="section_leader", period_kind="quarter", grouping="rank",
        excellent_share=Decimal("0.20"), basic_threshold=Decimal("60"), tie_breakers=["tb"],
        indicators=[
            {"code": "v", "name": "数值", "kind": "manual", "weight": 100, "normalisation": "raw"},
            {"code": "tb", "name": "同分比较", "kind": "manual", "weight": 0, "normalisation": "raw"},
        ],
    )


def _run(scheme, values, tb=None):
    from bole.org.models import Person

    people = list(Person.objects.filter(is_section_leader=True).order_by("id"))
    for p, v in zip(people, values, strict=True):
        services.manual_value_set(metric="v", person=p, period="2024Q1", value=v, actor=None)
    for p, v in zip(people, tb or [], strict=False):
        services.manual_value_set(metric="tb", person=p, period="2024Q1", value=v, actor=None)
    rnd = services.round_create(scheme=scheme, period="2024Q1", actor=None)
    services.round_transition(round=rnd, to="collecting", actor=None)
    services.round_transition(round=rnd, to="computed", actor=None)
    return {r.person_id: r for r in Result.objects.filter(round=rnd)}, people


def test_groups_and_quota_boundaries(simple, leaders):
    # leaders[1..4] are 正职 (4 people: 20% → 0 places); the other six are 副职 (20% → 1 place).
    res, people = _run(simple, [90, 99, 98, 97, 96, 95, 94, 93, 92, 50])
    chiefs = [r for r in res.values() if r.group == "正职"]
    deputies = sorted((r for r in res.values() if r.group == "副职"), key=lambda r: r.rank)
    assert len(chiefs) == 4 and len(deputies) == 6
    assert all(r.grade != "优秀" for r in chiefs)
    assert [r.grade for r in deputies[:2]] == ["优秀", "称职"]
    assert res[people[-1].pk].grade == "基本称职"  # below the 60 threshold


def test_tie_straddling_the_quota_gives_nobody_the_place(simple, leaders):
    # Deputies: people 0, 5..9; two of them tie at the top.
    res, people = _run(simple, [95, 80, 80, 80, 80, 95, 90, 85, 84, 83])
    top = [res[people[0].pk], res[people[5].pk]]
    assert [r.rank for r in top] == [1, 1]
    assert all(r.grade == "称职" for r in top)
    assert all(r.grade_flags & 4 for r in top)  # GRADE_FLAG_QUOTA_TIE


def test_tie_breaker_decides_the_place(simple, leaders):
    res, people = _run(simple, [95, 80, 80, 80, 80, 95, 90, 85, 84, 83],
                       tb=[70, 0, 0, 0, 0, 71, 0, 0, 0, 0])
    assert res[people[5].pk].rank == 1 and res[people[5].pk].grade == "优秀"
    assert res[people[0].pk].rank == 2 and res[people[0].pk].grade == "称职"


def test_share_above_twenty_percent_is_refused(db):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.scheme_create(actor=None, name="超比例", target="section_leader", period_kind="quarter",
                               excellent_share=Decimal("0.25"))
