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
