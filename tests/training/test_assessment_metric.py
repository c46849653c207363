"""Learning hours as an assessment source: the `metrics` hook (学习学时, 学时达标率) feeding an indicator of kind 机制数据,
its records on the explanation page, and a scheme refused when it names a code no app offers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest
from django.core.exceptions import ValidationError

from bole.core import plugins
from bole.training import services
from bole.training.selectors import hours_metric, hours_records, share_metric

from .conftest import OPEN

pytestmark = pytest.mark.django_db


def _attend(session, person, actor, *, minutes_late=0):
    services.enrol(session=session, person=person, actor=None, now=OPEN)
    return services.attendance_mark(session=session, person=person, actor=actor, reason="统一补录",
                                    came=session.starts_at + dt.timedelta(minutes=minutes_late))


def test_hours_and_share_come_from_sessions_and_records_in_the_period(make_session, county, users):
    zhang, li, wang = county["zhangsan"], county["lisi"], county["wangwu"]
    s = make_session(hours=3)  # 2026-06-10, in 2026Q2
    _attend(s, zhang, users["admin"])  # 3.00
    _attend(s, li, users["admin"], minutes_late=60)  # 2 of 3 hours: 2.00
    services.learning_record_add(person=zhang, source="online", title="网络学院专题", day=dt.date(2026, 3, 1),
                                 hours=42, actor=users["admin"])  # 2026Q1
    services.learning_record_add(person=zhang, source="upper", title="省委党校调训", day=dt.date(2025, 12, 31),
                                 hours=40, actor=users["admin"])  # last year: never counted in 2026
    ids = np.array(sorted([zhang.pk, li.pk, wang.pk]), dtype=np.int64)
    pos = {pid: i for i, pid in enumerate(ids.tolist())}

    q2 = hours_metric(ids, "2026Q2")
    assert (q2[pos[zhang.pk]], q2[pos[li.pk]], q2[pos[wang.pk]]) == (3.0, 2.0, 0.0)
    year = hours_metric(ids, "2026")
    assert year[pos[zhang.pk]] == 45.0
    # 达标率 at the end of Q2: 45 of 90 (since 1 January) = 50%; 李四 2 of 90 = 2.22%; 王五 0.
    share = share_metric(ids, "2026Q2")
    assert (share[pos[zhang.pk]], share[pos[li.pk]], share[pos[wang.pk]]) == (50.0, 2.22, 0.0)
    assert share_metric(ids, "2026Q1")[pos[zhang.pk]] == pytest.approx(100 * 42 / 90, abs=0.01)

    headers, rows = hours_records(zhang.pk, "2026")
    assert len(headers) == 4
    assert [(r[1], Decimal(r[3])) for r in rows] == [("网络学院专题", Decimal(42)), ("城市更新与片区开发", Decimal(3))]


def test_share_counts_a_division_cadre_over_the_five_year_cycle(make_session, county, users):
    from bole.org import services as org

    org.person_update(person=county["qianqi"], actor=None, rank="division")
    for year in (2023, 2025):
        services.learning_record_add(person=county["qianqi"], source="upper", title=f"{year}年调训",
                                     day=dt.date(year, 5, 1), hours=110, actor=users["admin"])
    ids = np.array([county["qianqi"].pk], dtype=np.int64)
    assert share_metric(ids, "2026")[0] == 40.0  # 220 of 550 over 2023–2027
    assert share_metric(ids, "2024Q4")[0] == 20.0  # only what was done by the end of 2024


def test_an_indicator_of_kind_mechanism_takes_the_hours(make_session, county, users):
    from bole.assessment import services as assessment
    from bole.assessment.compute import load_inputs

    assert {"training_hours", "training_share"} <= set(plugins.metrics())
    scheme = assessment.scheme_create(
        actor=None, name="科级干部学习考核", target="section_leader", period_kind="quarter",
        indicators=[{"code": "hours", "name": "学习学时", "kind": "mechanism", "metric": "training_hours",
                     "weight": 100, "normalisation": "minmax"}])
    assessment.scheme_check(scheme)
    _attend(make_session(hours=3), county["zhangsan"], users["admin"])
    rnd = assessment.round_create(scheme=scheme, period="2026Q2", actor=None)
    inputs = load_inputs(rnd)
    row = int(np.flatnonzero(inputs.person == county["zhangsan"].pk)[0])
    assert inputs.raw[row, 0] == 3.0

    wrong = assessment.scheme_create(
        actor=None, name="写错代码的方案", target="section_leader", period_kind="quarter",
        indicators=[{"code": "hours", "name": "学习学时", "kind": "mechanism", "metric": "training_hour",
                     "weight": 100}])
    with pytest.raises(ValidationError) as err:
        assessment.scheme_check(wrong)
    assert "training_hour" in str(err.value) and "training_hours" in str(err.value)


def test_the_explanation_lists_the_sessions_and_records_behind_the_hours(client, make_session, county, users):
    from django.urls import reverse

    from bole.assessment import services as assessment

    scheme = assessment.scheme_create(
        actor=None, name="科级干部学习考核", target="section_leader", period_kind="quarter",
        indicators=[{"code": "hours", "name": "学习学时", "kind": "mechanism", "metric": "training_hours",
                     "weight": 100, "normalisation": "minmax"}])
    _attend(make_session(hours=3), county["zhangsan"], users["admin"])
    rnd = assessment.round_create(scheme=scheme, period="2026Q2", actor=None)
    assessment.round_compute(rnd, actor=None)
    client.force_login(users["admin"])
    page = client.get(reverse("assessment-records", args=[rnd.pk, county["zhangsan"].pk, "hours"]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "城市更新与片区开发" in text and "认定学时" in text
