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


# --- the 优秀 share is a hard ceiling: rounding, decisions, ties ------------------------------------


@pytest.fixture
def whole(db, leaders):
    """All ten leaders in one group at 20% (2 places); one indicator and a zero-weight tie-breaker."""
    return services.scheme_create(
        actor=None, name="统一排名", target="section_leader", period_kind="quarter", grouping="all",
        excellent_share=Decimal("0.20"), tie_breakers=["tb"],
        indicators=[
            {"code": "v", "name": "数值", "kind": "manual", "weight": 100, "normalisation": "raw"},
            {"code": "tb", "name": "同分比较", "kind": "manual", "weight": 0, "normalisation": "raw"},
        ],
    )


def _bearer(user):
    from bole.core.api import token_issue

    return {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=user)}"}


def test_decided_excellent_beyond_the_places_is_refused(whole, leaders, users, client):
    from django.core.exceptions import ValidationError

    res, people = _run(whole, [99, 98, 97, 96, 95, 94, 93, 92, 91, 90])
    rnd = res[people[0].pk].round
    services.grade_decide(round=rnd, person=people[5], grade="优秀", reason="集体研究", actor=None)
    services.grade_decide(round=rnd, person=people[6], grade="优秀", reason="集体研究", actor=None)
    services.grade_decide(round=rnd, person=people[6], grade="优秀", reason="改写依据", actor=None)  # same person
    message = "本组（全体）10 人，优秀名额 2 个，已决定 2 个，不能再决定优秀"
    with pytest.raises(ValidationError, match=message):
        services.grade_decide(round=rnd, person=people[7], grade="优秀", reason="第三个", actor=None)
    services.grade_decide(round=rnd, person=people[7], grade="基本称职", reason="其他等次不占名额", actor=None)
    # The API and the page refuse it with the figures too.
    resp = client.post(f"/api/v1/assessment/rounds/{rnd.pk}/decisions/", {
        "person_id": people[8].pk, "grade": "优秀", "reason": "第三个"}, content_type="application/json",
        **_bearer(users["admin"]))
    assert resp.status_code == 400 and resp.json()["errors"]["grade"] == [message]
    client.force_login(users["admin"])
    page = client.post(f"/assessment/rounds/{rnd.pk}/decisions/", {"person": people[8].pk, "grade": "优秀",
                                                                "reason": "第三个"}, follow=True)
    assert message in page.content.decode()
    # Computed: the decisions take the two places, nobody else is 优秀.
    rnd = services.round_transition(round=rnd, to="computed", actor=None)
    got = {r.person_id: r.grade for r in Result.objects.filter(round=rnd)}
    assert sorted(p for p, g in got.items() if g == "优秀") == sorted([people[5].pk, people[6].pk])


def test_round_half_up_falls_back_to_floor_above_the_share(db, leaders, users, client):
    scheme = services.scheme_create(
        actor=None, name="四舍五入", target="section_leader", period_kind="quarter", grouping="all",
        excellent_share=Decimal("0.15"), quota_rounding="round",
        indicators=[{"code": "v", "name": "数值", "kind": "manual", "weight": 100, "normalisation": "raw"}])
    res, people = _run(scheme, [99, 98, 97, 96, 95, 94, 93, 92, 91, 90])  # 10 × 15% = 1.5: 2 would be 20%
    assert [res[p.pk].grade for p in people[:3]] == ["优秀", "称职", "称职"]
    client.force_login(users["admin"])
    page = client.get(f"/assessment/rounds/{res[people[0].pk].round_id}/").content.decode()
    assert "四舍五入为 2 个，超过比例，按向下取整" in page and "优秀名额怎么算" in page


def test_unsplittable_tie_at_the_boundary_waits_for_a_decision(whole, leaders, users, client):
    from django.core.exceptions import ValidationError

    # A three-way tie for first, the tie-breaker tied as well, two places.
    res, people = _run(whole, [95, 95, 95, 90, 89, 88, 87, 86, 85, 84], tb=[5] * 10)
    rnd = res[people[0].pk].round
    assert all(res[p.pk].grade == "称职" and res[p.pk].grade_flags & 4 for p in people[:3])
    client.force_login(users["admin"])
    page = client.get(f"/assessment/rounds/{rnd.pk}/").content.decode()
    names = "、".join(p.name for p in people[:3])
    assert "须集体研究决定" in page and names in page and "剩余优秀名额 2 个" in page
    rows = client.get(f"/api/v1/assessment/rounds/{rnd.pk}/results/", **_bearer(users["admin"])).json()["items"]
    assert sorted(r["person_id"] for r in rows if r["quota_tie"]) == sorted(p.pk for p in people[:3])
    rnd = services.round_transition(round=rnd, to="publicity", actor=None)
    with pytest.raises(ValidationError, match=f"“全体”组 {names} 同分并列第 1 名"):
        services.round_transition(round=rnd, to="published", actor=None, on=services.publish_from(rnd))
    # Settled: one of the three is decided 称职, the other two take the two places.
    services.grade_decide(round=rnd, person=people[2], grade="称职", reason="集体研究决定", actor=None)
    rnd = services.round_transition(round=rnd, to="computed", actor=None, note="同分集体研究")
    got = {r.person_id: r for r in Result.objects.filter(round=rnd)}
    assert [got[p.pk].grade for p in people[:3]] == ["优秀", "优秀", "称职"]
    assert not any(r.grade_flags & 4 for r in got.values())
    rnd = services.round_transition(round=rnd, to="publicity", actor=None)
    rnd = services.round_transition(round=rnd, to="published", actor=None, on=services.publish_from(rnd))
    assert rnd.status == "published"


def test_decisions_left_beyond_a_shrunk_group_block_publishing(whole, leaders):
    from django.core.exceptions import ValidationError

    from bole.org.models import Person

    res, people = _run(whole, [99, 98, 97, 96, 95, 94, 93, 92, 91, 90])
    rnd = res[people[0].pk].round
    services.grade_decide(round=rnd, person=people[8], grade="优秀", reason="集体研究", actor=None)
    services.grade_decide(round=rnd, person=people[9], grade="优秀", reason="集体研究", actor=None)
    Person.objects.filter(pk=people[0].pk).update(is_active=False)  # 9 people now: one place
    rnd = services.round_transition(round=rnd, to="computed", actor=None)
    got = {r.person_id: r.grade for r in Result.objects.filter(round=rnd)}
    assert list(got.values()).count("优秀") == 1 and got[people[8].pk] == "优秀"
    rnd = services.round_transition(round=rnd, to="publicity", actor=None)
    with pytest.raises(ValidationError, match=f"决定为优秀的 {people[9].name} 超出名额"):
        services.round_transition(round=rnd, to="published", actor=None, on=services.publish_from(rnd))
