
from bole.assessment import selectors
from bole.assessment.models import Result


def test_compute_ranks_and_grades_everyone(computed, leaders):
    results = list(Result.objects.filter(round=computed).order_by("position"))
    assert len(results) == len(leaders)
    assert [r.position for r in results] == list(range(1, 11))
    assert sum(r.grade == "优秀" for r in results) == 1  # floor(15% of 10)
    assert computed.input_fingerprint and computed.engine_version.startswith("scoring")


def test_explanation_adds_up_exactly(computed, users):
    for r in Result.objects.filter(round=computed):
        lines, total = selectors.explanation(r)
        assert total == r.total
        assert sum(line.contribution for line in lines) == r.total
        assert sum(line.weight for line in lines) == 100
