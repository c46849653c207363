"""A judged contest's published result: collusive cells set aside and named, disconnected panels ranked apart."""

from __future__ import annotations

import json

import numpy as np
import pytest

from bole.engines import judges as judges_engine
from bole.engines.simulate import simulate_judging
from bole.evaluation import selectors, services
from bole.evaluation.models import EvaluationResult
from bole.org.services import account_create


def _contest_from(sim, users, *, panels: bool = False):
    """An evaluation holding a simulated contest's scores, entered through the services, then closed."""
    admin = users["admin"]
    ev = services.evaluation_create(actor=admin, name="雄鹰擂台赛（模拟）", kind="contest")
    crits = [services.criterion_add(evaluation=ev, name=f"指标{k + 1}", max_score=sim.max_score, actor=admin)
             for k in range(sim.n_criteria)]
    panel_of = {}
    if panels:
        panel_of = {int(c): "AB"[int(p)] for c, p in enumerate(sim.panel)}
    subjects = [services.subject_add(evaluation=ev, label=f"选手{c + 1:02d}", panel=panel_of.get(c, ""), actor=admin)
                for c in range(sim.n_contestants)]
    judge_panel = {}
    if panels:
        for j, c in zip(sim.judge, sim.contestant, strict=True):
            judge_panel[int(j)] = panel_of[int(c)]
    seats = []
    for j in range(sim.n_judges):
        user = account_create(username=f"sim{ev.pk}-judge{j + 1}", role="judge", full_name=f"评委{j + 1}", actor=None)
        seats.append(services.judge_add(evaluation=ev, user=user, panel=judge_panel.get(j, ""), actor=admin))
    services.evaluation_transition(evaluation=ev, to="open", actor=admin)
    cells: dict[tuple[int, int], dict[int, float]] = {}
    for j, c, k, v in zip(sim.judge, sim.contestant, sim.criterion, sim.score, strict=True):
        cells.setdefault((int(j), int(c)), {})[crits[int(k)].pk] = float(v)
    for (j, c), scores in cells.items():
        services.judge_scores_save(seat=seats[j], subject=subjects[c], scores=scores, actor=None)
    services.evaluation_transition(evaluation=ev, to="closed", actor=admin)
    return ev, subjects, seats


@pytest.fixture
def colluded(users):
    sim = simulate_judging(0, "collusion")
    ev, subjects, seats = _contest_from(sim, users)
    return sim, ev, subjects, seats


def test_colluding_judges_are_named_and_their_cells_set_aside(colluded):
    sim, ev, subjects, seats = colluded
    result = EvaluationResult.objects.get(evaluation=ev, is_current=True)
    assert result.engine_version == judges_engine.ENGINE_VERSION
    colluders = sorted(f"评委{int(j) + 1}" for j in sim.colluders)
    favoured = sorted(f"选手{int(c) + 1:02d}" for c in sim.favoured)
    pairs = result.summary["collusion_pairs"]
    assert len(pairs) == 1 and sorted(pairs[0]["judges"]) == colluders and pairs[0]["direction"] == "up"
    assert set(pairs[0]["subjects"]) <= set(favoured) and len(pairs[0]["subjects"]) >= 2
    assert set(result.summary["named_judges"]) == set(colluders)  # never the honest judge beside them
    assert result.summary["ranking"] == "one_list"
    assert result.parameters["set_aside"]["pair_z"] == 2.5
    rows = {r.subject.label: r for r in selectors.result_rows(result=result)}
    for label in pairs[0]["subjects"]:
        row = rows[label]
        assert row.final_score == row.fair_average
        assert any("疑似串通" in f and colluders[0] in f and colluders[1] in f for f in row.flags), row.flags
        # The set-aside cells lifted the plain mean, not the published score.
        assert row.raw_mean > row.fair_average
    assert all(r.panel == 0 for r in rows.values())


def test_result_page_states_the_rule_and_what_was_set_aside(colluded, login):
    sim, ev, *_ = colluded
    page = login("admin").get(f"/evaluation/{ev.pk}/results/").content.decode()
    assert "不计入校正分的评分" in page
    assert "视为疑似串通" in page and "4 个标准差" in page
    a, b = sorted(int(j) + 1 for j in sim.colluders)
    assert f"评委评委{a}、评委{b}疑似串通" in page or f"评委评委{b}、评委{a}疑似串通" in page
    assert "全部选手在同一名单中排名" in page


def test_disconnected_contest_is_ranked_within_each_panel(users, login):
    sim = simulate_judging(0, "disconnected", n_contestants=12, n_judges=6)
    ev, subjects, seats = _contest_from(sim, users, panels=True)
    result = EvaluationResult.objects.get(evaluation=ev, is_current=True)
    assert result.summary["ranking"] == "per_panel" and not result.summary["connected"]
    assert [c["panel"] for c in result.summary["components"]] == [1, 2]
    rows = list(selectors.result_rows(result=result))
    by_panel: dict[int, list[int]] = {}
    for r in rows:
        by_panel.setdefault(r.panel, []).append(r.rank)
    assert sorted(by_panel) == [1, 2]
    for ranks in by_panel.values():
        assert ranks == sorted(ranks) and ranks[0] == 1 and len(ranks) == 6
    # Within a panel the ranks follow the published score.
    for p in (1, 2):
        scores = [r.final_score for r in rows if r.panel == p]
        assert scores == sorted(scores, reverse=True)
    page = login("admin").get(f"/evaluation/{ev.pk}/results/").content.decode()
    assert "组内名次" in page and "名次在各组内分别排列，不排总名次" in page
    api = login("admin").get(f"/api/v1/evaluations/{ev.pk}/results").json()
    assert {r["panel"] for r in api["rows"]} == {1, 2}
    assert api["summary"]["ranking"] == "per_panel"
    assert np.bincount([r["rank"] for r in api["rows"]])[1] == 2  # one first place per panel


def test_export_of_a_two_panel_contest_names_the_panel(users, login):
    import io

    from openpyxl import load_workbook

    sim = simulate_judging(1, "disconnected", n_contestants=12, n_judges=6)
    ev, *_ = _contest_from(sim, users, panels=True)
    resp = login("admin").get(f"/evaluation/{ev.pk}/results.xlsx")
    assert resp.status_code == 200
    ws = load_workbook(io.BytesIO(resp.content)).active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    header = next(r for r in rows if "评审组" in r)
    i, k = header.index("评审组"), header.index("名次")
    body = [r for r in rows[rows.index(header) + 1 :] if r[i] in (1, 2)]
    assert len(body) == 12 and sorted(r[k] for r in body if r[i] == 1) == [1, 2, 3, 4, 5, 6]


def test_a_contestant_reads_their_own_row_and_no_names(users, county, login):
    """Published, a contestant's results (page and API) show their own row and the ranking's shape: no other
    contestant's label, no judge's name, no set-aside cell."""
    sim = simulate_judging(3, "disconnected", n_contestants=12, n_judges=6)
    ev, subjects, _seats = _contest_from(sim, users, panels=True)
    own = subjects[0]
    own.person = county["zhangsan"]
    own.save(update_fields=["person"])
    services.evaluation_transition(evaluation=ev, to="published", actor=users["admin"])
    api = login("cadre").get(f"/api/v1/evaluations/{ev.pk}/results").json()
    assert [r["subject_id"] for r in api["rows"]] == [own.pk]
    summary = api["summary"]
    assert summary["ranking"] == "per_panel" and summary["components"] == [{"panel": 1}, {"panel": 2}]
    assert not {"judge_severity", "set_aside", "collusion_pairs", "named_judges"} & set(summary)
    others = [s.label for s in subjects[1:]]
    text = json.dumps(api, ensure_ascii=False) + login("cadre").get(f"/evaluation/{ev.pk}/results/").content.decode()
    assert not [name for name in others + ["评委1", "评委2"] if name in text]
    assert login("admin").get(f"/api/v1/evaluations/{ev.pk}/results").json()["summary"]["judge_severity"]
