"""The demo seed on a small county: 上杨村 169万 by October, no village projected under 70万, four pilots."""

from bole.core.figures import values
from bole.villages import demo
from bole.villages.models import IndexRun, OperationTeam


def test_demo_seed(world, users):
    counts = demo.seed(scale=1, seed=2024, actor=users["admin"], county="330521")
    assert counts["index_runs"] == 3 and counts["operation_teams"] == 4
    v = values(user=users["admin"], only={"villages"})
    assert v["villages_pilot_operating_income"] == 169.0
    assert v["villages_projected_under_target"] == 0
    assert v["villages_with_operation_teams"] == 4
    assert v["villages_under_target_last_year"] >= 1
    run = IndexRun.objects.order_by("-year").first()
    assert run.engine_version.startswith("index-") and run.parameters["samples"] == 1000
    assert OperationTeam.objects.filter(is_pilot=True).count() == 4


def test_demo_pairs_heads_with_villages_under_target_and_reviews_the_teams(world, users):
    import datetime as dt
    import random

    from bole.cases.models import Case
    from bole.org import services as org_services
    from bole.org.choices import UnitKind
    from bole.org.demo import make_id_number
    from bole.villages import review, selectors
    from bole.villages.models import Patron, TeamReview

    rng = random.Random(5)
    for name in ("县农业农村局", "县财政局"):
        dept = org_services.unit_create(actor=None, name=name, kind=UnitKind.DEPARTMENT, region=world["county"])
        org_services.person_create(actor=None, name=f"{name[1:3]}局长", unit=dept, is_section_leader=True,
                                   id_number=make_id_number(rng, "330521", dt.date(1975, 1, rng.randint(1, 28)), True))
    for i in range(4):
        org_services.account_create(username=f"judge{i + 1:02d}", role="judge", password="pass-1234-word", actor=None)
    counts = demo.seed(scale=1, seed=2024, actor=users["admin"], county="330521")
    under = {r["village"].pk for r in selectors.target_rows(user=users["admin"])
             if r["last"] is not None and r["last"] < 70}
    paired = set(Patron.objects.filter(is_active=True).values_list("village_id", flat=True))
    assert under and under <= paired
    assert counts["village_patrons"] == len(paired) and counts["patron_problems"] == len(paired)
    assert Case.objects.filter(desk__code="village-problem", deadline__isnull=False).count() == len(paired)
    assert counts["team_reviews"] == 1
    rv = TeamReview.objects.get()
    assert rv.evaluation.status == "closed"
    results = [review.team_results(team=t, user=users["admin"])[0] for t in OperationTeam.objects.all()]
    assert sorted(r.rank for r in results) == [1, 2, 3, 4] and all(r.score is not None for r in results)


def test_demo_events_and_honours(world, users):
    from bole.villages.models import Honour, IndexScore, VillageEvent

    counts = demo.seed(scale=1, seed=2024, actor=users["admin"], county="330521")
    assert counts["village_events"] == 2 and counts["village_honours"] == Honour.objects.count() > 0
    run = IndexRun.objects.filter(year=2025).latest("created_at")
    top = list(Honour.objects.filter(year=2025, kind="top").order_by("place").values_list("village_id", flat=True))
    assert top == list(IndexScore.objects.filter(run=run).order_by("rank", "village__code")
                       .values_list("village_id", flat=True)[:len(top)])
    assembly = VillageEvent.objects.get(kind="assembly")
    assert set(assembly.villages.values_list("pk", flat=True)) == set(
        Honour.objects.filter(year=2025).values_list("village_id", flat=True))
