"""The demo seed builds a scored, published contest and a 民主测评 through the services."""

from __future__ import annotations

from bole.evaluation import demo, selectors
from bole.evaluation.models import Evaluation, EventJudge, JudgeScore


def test_demo_seed_on_small_county(users):
    counts = demo.seed(scale=1, seed=2024, actor=users["admin"], password="pass-1234-word")
    assert counts["evaluation_judges"] == 7 and counts["evaluation_judge_scores"] == 20 * 7 * 5
    contest = Evaluation.objects.get(kind="contest")
    assert contest.status == "published" and contest.subjects.count() == 20
    assert all(s.person.position == "党组织书记" and s.person.unit.kind == "village" for s in contest.subjects.all())
    assert EventJudge.objects.filter(evaluation=contest, submitted_at__isnull=False).count() == 7
    assert list(contest.criteria.values_list("name", flat=True)) == ["党建引领", "文旅融合", "千万工程", "现场表现", "答辩"]
    scores = selectors.subject_scores(evaluation=contest)
    assert len(scores) == 20 and all(0 <= v <= 100 for v in scores.values())
    result = selectors.current_result(evaluation=contest)
    assert result.summary["complete_design"] and result.summary["connected"]
    assert JudgeScore.objects.filter(evaluation=contest).count() == 700
    survey = Evaluation.objects.get(kind="ballot")
    assert survey.status == "published" and survey.ballots.count() == counts["evaluation_ballots"] > 0
