"""Evaluation fixtures: a 民主测评 with tokens and a small judged contest, built through the services."""

from __future__ import annotations

import pytest

PW = "pass-1234-word"


@pytest.fixture
def ballot_eval(county, users):
    """An open ballot evaluation of three people by two rater groups, with tokens issued."""
    from bole.evaluation import services

    admin = users["admin"]
    ev = services.evaluation_create(actor=admin, name="2024年度民主测评", kind="ballot", unit=county["u1"])
    c1 = services.criterion_add(evaluation=ev, name="德", max_score=10, weight=1, actor=admin)
    c2 = services.criterion_add(evaluation=ev, name="能", max_score=10, weight=1, actor=admin)
    g1 = services.rater_group_add(evaluation=ev, code="leader", weight=0.6, expected_count=4, actor=admin)
    g2 = services.rater_group_add(evaluation=ev, code="peer", weight=0.4, expected_count=6, actor=admin)
    subjects = [services.subject_add(evaluation=ev, person=county[k], actor=admin) for k in ("zhangsan", "lisi", "wangwu")]
    services.tokens_issue(evaluation=ev, group=g1, count=4, actor=admin)
    services.tokens_issue(evaluation=ev, group=g2, count=6, actor=admin)
    services.evaluation_transition(evaluation=ev, to="open", actor=admin)
    return {"ev": ev, "criteria": [c1, c2], "groups": [g1, g2], "subjects": subjects}


def answers_for(ev, base: float, unknown: set[int] = frozenset()):
    """A full ballot: every subject on every criterion, subject i scored base - i (None for 不了解)."""
    out = {}
    for i, s in enumerate(ev.subjects.order_by("sort")):
        for c in ev.criteria.all():
            out[(s.pk, c.pk)] = None if i in unknown else max(0.0, base - i)
    return out


@pytest.fixture
def judges(county):
    """Three judge accounts; judge1 works in 武康街道党工委 (zhangsan's unit)."""
    from bole.org.services import account_create

    people = {"judge1": county["zhangsan"], "judge2": county["qianqi"], "judge3": county["wangwu"]}
    return {
        name: account_create(username=name, role="judge", scope=p.id_number, password=PW,
                             full_name=f"评委{name[-1]}", actor=None)
        for name, p in people.items()
    }


@pytest.fixture
def contest(county, users, judges):
    """An open contest: four contestants (one from judge1's unit), two criteria, three judges."""
    import datetime as dt
    import random

    from bole.evaluation import services
    from bole.org.demo import make_id_number
    from bole.org.services import person_create

    admin = users["admin"]
    rng = random.Random(11)
    ev = services.evaluation_create(actor=admin, name="雄鹰擂台赛（测试）", kind="contest")
    crits = [services.criterion_add(evaluation=ev, name=n, max_score=m, actor=admin)
             for n, m in (("党建引领", 20), ("现场表现", 10))]
    extra = [person_create(actor=None, name=n, unit=county["u2v"],
                           id_number=make_id_number(rng, "330521", dt.date(1980, 1, i + 1), True))
             for i, n in enumerate(["孙八", "周九"])]
    people = [county["zhangsan"], county["lisi"], *extra]
    subjects = [services.subject_add(evaluation=ev, person=p, actor=admin) for p in people]
    seats = [services.judge_add(evaluation=ev, user=judges[n], actor=admin) for n in ("judge1", "judge2", "judge3")]
    services.evaluation_transition(evaluation=ev, to="open", actor=admin)
    return {"ev": ev, "criteria": crits, "subjects": subjects, "seats": seats}
