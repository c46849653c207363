"""The 德清县 demo: 56 professors, 68 enterprises, 200+ problems solved, from records, quickly."""

import random
import time

from bole.core.figures import span, values
from bole.pairing import demo, selectors
from bole.pairing.models import Expert, Pairing


def test_demo_seed_reproduces_the_article(county, users):
    from bole.org import services
    from bole.org.demo import make_credit_code

    rng = random.Random(5)
    for i in range(70):
        services.enterprise_create(actor=None, name=f"德清测试企业{i:02d}有限公司", industry="C", region=county["t1"],
                                   credit_code=make_credit_code(rng, "330521"))
    t0 = time.perf_counter()
    counts = demo.seed(scale=1, seed=2024, actor=users["admin"], password="pass-1234-word", county="330521")
    assert time.perf_counter() - t0 < 60  # the bench of record is `bole seed-demo`; this only guards a blow-up
    got = values(user=users["admin"], only={"pairing"})
    assert got["pairing_professors"] == 56
    assert got["pairing_enterprises"] == 68
    assert got["pairing_solved"] >= 200
    figs = {f.key: f.value for f in selectors.figures(user=users["admin"], period=span(""))}
    assert 0 < figs["pairing_days_to_meeting"] <= 21
    assert 90 < figs["pairing_solved_rate"] < 100
    assert Expert.objects.filter(institution="浙江工业大学").count() == 56
    assert counts["pairing_pairs"] == Pairing.objects.filter(state__in=["solved", "unsolved"]).count()
    assert selectors.needs_to_classify(user=users["admin"]).count() == 1
    # idempotent
    assert demo.seed(scale=1, seed=2024, actor=users["admin"], password="x")["pairing_experts"] == 60
