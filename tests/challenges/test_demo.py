"""The demo seed: 21 cadres holding challenges, some accepted with points posted, three open on the board."""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import Count

from bole.challenges import demo, selectors
from bole.challenges.models import Challenge
from bole.core.figures import values
from bole.ledger.models import PointEntry


def _cadres(county, n=50):
    from bole.org import services
    from bole.org.demo import make_id_number

    rng = random.Random(3)
    for i in range(n):
        idn = make_id_number(rng, "330521", dt.date(1988, 1 + i % 12, 1 + i % 28), i % 2 == 0)
        services.person_create(actor=None, name=f"干部{i:02d}", id_number=idn, unit=county["dept"], is_cadre=True)


def test_demo_seed(users, county):
    _cadres(county)
    counts = demo.seed(scale=1, seed=2024, actor=users["admin"], password="pass-1234-word")
    assert counts["challenge_holders"] == 21 == values(user=users["admin"])["challenge_holders"]
    assert counts["challenges"] == 21
    by_status = dict(Challenge.objects.values_list("status").order_by().annotate(n=Count("id")))
    assert by_status == {"accepted": 9, "in_progress": 5, "delivered": 2, "failed": 1, "withdrawn": 1, "published": 3}
    assert Challenge.objects.get(status="failed").closure == "tolerated"
    assert Challenge.objects.get(status="withdrawn").closure == "abandoned"
    assert PointEntry.objects.filter(category__code="challenge", status="approved").count() >= 9
    assert selectors.open_board().count() == 3
    # running it again does not duplicate
    assert demo.seed(scale=1, seed=2024, actor=users["admin"], password="x")["challenges"] == 21
