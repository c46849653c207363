"""A 民主测评 with a bloc of two: its ballots are set aside, and the page says so and what the screen can see."""

from __future__ import annotations

import numpy as np
import pytest
from django.urls import reverse

from bole.evaluation import services
from bole.evaluation.models import BallotToken

N_SUBJECTS, N_BALLOTS = 20, 40
BLOC = (4, 17)  # the 5th and 18th ballots cast


def make_bloc_round(county, admin):
    """A closed evaluation of 20 people by 40 raters on 4 criteria (0–10), two of whom collude."""
    ev = services.evaluation_create(actor=admin, name="串票测评", kind="ballot", unit=county["u1"])
    crit = [services.criterion_add(evaluation=ev, name=n, max_score=10, weight=1, actor=admin) for n in "德能勤绩"]
    group = services.rater_group_add(evaluation=ev, code="peer", weight=1, expected_count=N_BALLOTS, actor=admin)
    subjects = [services.subject_add(evaluation=ev, label=f"对象{i:02d}", actor=admin) for i in range(N_SUBJECTS)]
    services.tokens_issue(evaluation=ev, group=group, count=N_BALLOTS, actor=admin)
    services.evaluation_transition(evaluation=ev, to="open", actor=admin)
    rng = np.random.default_rng(3)
    quality = np.linspace(8.5, 5.0, N_SUBJECTS)
    tokens = list(BallotToken.objects.filter(evaluation=ev).values_list("token", flat=True))
    for k, token in enumerate(tokens):
        lenient = rng.normal(0, 0.5)
        answers = {}
        for i, s in enumerate(subjects):
            for c in crit:
                v = quality[i] + lenient + rng.normal(0, 1.0)
                if k in BLOC:  # the bloc lifts the 9th and buries the top three
                    v = 10 if i == 8 else (0 if i < 3 else v)
                answers[(s.pk, c.pk)] = float(np.clip(np.rint(v), 0, 10))
        services.ballot_submit(token=token, answers=answers)
    services.evaluation_transition(evaluation=ev, to="closed", actor=admin)
    return ev


@pytest.fixture
def bloc_round(county, users):
    return make_bloc_round(county, users["admin"])


def test_bloc_ballots_are_set_aside_and_the_page_says_what_the_screen_can_detect(login, bloc_round):
    ev = bloc_round
    result = ev.results.get(is_current=True)
    screen = result.summary["screen"]
    assert result.summary["flags"]["collusion"] == 2 and screen["excluded"] == 2
    assert result.summary["n_ballots"] == N_BALLOTS - 2 and result.summary["n_ballots_cast"] == N_BALLOTS
    assert {r.n_ratings for r in result.rows.all()} == {N_BALLOTS - 2}
    top = result.rows.get(subject__label="对象00")
    assert top.rank == 1  # the bloc's votes against the best-rated person do not count
    assert screen["one_point"] == 10.0 and 10 < screen["detectable_four"] < 60
    page = login("admin").get(reverse("evaluation-results", args=[ev.pk])).content.decode()
    assert "有 2 张选票彼此一致地偏离众人评价（疑似串票），已从得分和区间中剔除。" in page
    assert f"对同样 4 名测评对象每项一致抬高或压低约 {round(screen['detectable_four'])} 分（百分制）时，筛查有九成把握发现" in page
    assert "幅度更小的串通（例如每项只差 1 分，相当于百分制 10 分）查不出来，本页不会提示。" in page
    assert "已从得分和区间中剔除）" in page  # on the method table, beside the count
