"""Award fixtures: a round with nominations by two towns, a judge, and a helper running the panel."""

from __future__ import annotations

import datetime as dt

import pytest

PW = "pass-1234-word"


@pytest.fixture
def judge(county):
    """A judge account tied to 钱七 of the county department (no nominee's unit)."""
    from bole.org.services import account_create

    return account_create(username="pw1", role="judge", scope=county["qianqi"].id_number, password=PW, actor=None)


@pytest.fixture
def nominating(county, users):
    """2025Q1 round taking nominations: 张三 and 王五 as stars, a 武康 team of 张三 and 李四."""
    from bole.awards import services

    admin = users["admin"]
    rnd = services.award_round_create(period="2025Q1", actor=admin, star_quota=1, team_quota=1)
    services.award_round_transition(round=rnd, to="nominating", actor=admin)
    star1 = services.nomination_create(round=rnd, kind="star", unit=county["u1"], person=county["zhangsan"],
                                       deeds="牵头破解项目用地难题，推动项目提前开工投产。", actor=users["town1"])
    star2 = services.nomination_create(round=rnd, kind="star", unit=county["u2"], person=county["wangwu"],
                                       deeds="防汛抗台冲锋在前，转移群众三百余人，实现零伤亡。", actor=users["town2"])
    team = services.nomination_create(round=rnd, kind="team", unit=county["u1"], team_name="武康项目攻坚专班",
                                      members=[county["zhangsan"], county["lisi"]],
                                      deeds="专班三个月完成征迁签约，保障重大项目按期落地。", actor=users["town1"])
    return {"round": rnd, "star1": star1, "star2": star2, "team": team}


def run_panel(rnd, judge, admin, scores: dict[int, float]):
    """Seat the judge, open the panel, score each subject (nomination id → fraction of max), submit."""
    from bole.evaluation import services as ev

    rnd.refresh_from_db()
    evaluation = rnd.evaluation
    seat = ev.judge_add(evaluation=evaluation, user=judge, actor=admin)
    ev.evaluation_transition(evaluation=evaluation, to="open", actor=admin)
    from bole.awards.models import Nomination

    for nom in Nomination.objects.filter(round=rnd, subject__isnull=False):
        frac = scores[nom.pk]
        ev.judge_scores_save(seat=seat, subject=nom.subject, actor=judge,
                             scores={c.pk: round(c.max_score * frac, 1) for c in evaluation.criteria.all()})
    ev.judge_submit(seat=seat, actor=judge)


@pytest.fixture
def publicised(nominating, judge, users):
    """The round through review into publicity: 张三 and the team proposed, 王五 not selected."""
    from bole.awards import services

    admin = users["admin"]
    rnd = nominating["round"]
    services.award_round_transition(round=rnd, to="reviewing", actor=admin)
    run_panel(rnd, judge, admin, {nominating["star1"].pk: 0.9, nominating["star2"].pk: 0.7,
                                  nominating["team"].pk: 0.8})
    services.award_round_transition(round=rnd, to="publicity", actor=admin, today=dt.date(2025, 4, 10))
    return nominating
