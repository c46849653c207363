"""One live pairing per head and village, one team under contract per village, one report per team and month, one
year-end review per county and year, under 50 simultaneous requests."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from bole.org import services as org_services
from bole.org.choices import UnitKind
from bole.org.demo import make_id_number
from bole.villages import review, services
from bole.villages.models import MonthlyReport, OperationTeam, Patron, TeamReview

from ..race import RACERS, race


@pytest.mark.django_db(transaction=True)
def test_one_live_pairing_per_head_and_village(world, users):
    dept = org_services.unit_create(actor=None, name="县农业农村局", kind=UnitKind.DEPARTMENT, region=world["county"])
    head = org_services.person_create(actor=None, name="农局长", unit=dept, is_section_leader=True,
                                      id_number=make_id_number(random.Random(1), "330521", dt.date(1978, 5, 3), True))
    village = world["villages"]["上杨村"]
    outcomes = race(lambda i: services.patron_pair(village=village, person=head, start=dt.date(2025, 1, 1),
                                                   end=dt.date(2027, 12, 31), actor=users["admin"]))
    assert outcomes == {"ok": 1, "该局长已与该村结对": RACERS - 1}
    assert Patron.objects.filter(village=village, person=head, is_active=True).count() == 1


@pytest.mark.django_db(transaction=True)
def test_one_team_per_village_one_report_per_month_one_review_per_year(world, users):
    village = world["villages"]["上杨村"]
    outcomes = race(lambda i: services.team_create(village=village, company=f"公司{i}", start=dt.date(2025, 1, 1),
                                                   end=dt.date(2027, 12, 31), actor=users["admin"]))
    assert outcomes == {"ok": 1, "该村已有在约的运营团队": RACERS - 1}
    team = OperationTeam.objects.get(village=village)
    outcomes = race(lambda i: services.report_add(team=team, year=2026, month=5, summary="s", income=i,
                                                  actor=users["admin"]))
    assert outcomes == {"ok": 1, "本月月报已提交": RACERS - 1}
    assert MonthlyReport.objects.filter(team=team).count() == 1
    outcomes = race(lambda i: review.team_review_create(county=world["county"], year=2026, actor=users["admin"]))
    assert outcomes == {"ok": 1, "2026 年的年终评价已创建": RACERS - 1}
    assert TeamReview.objects.count() == 1
