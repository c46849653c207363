"""The matching engine: Chinese text affinity, explanations, assignment within capacity, the floor, planted matches."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bole.engines import matching as M
from bole.engines.matching_sim import planted

NEEDS = [
    "我公司在遥感影像处理环节遇到难题，希望在地理信息系统和三维建模方面得到专家指导。",
    "电镀废水处理不达标，重金属污染超标，需要污水处理方面的技术支持。",
    "锂电池热管理效率较低，寻求储能系统和电池管理系统方面的合作。",
]
EXPERTS = [
    "长期从事地理信息系统、遥感影像和三维建模研究，承担无人机测绘项目。",
    "研究方向为污水处理与重金属污染治理，擅长电镀废水的膜分离回用。",
    "主要研究锂电池正极材料与热管理，兼及储能系统和电池管理系统。",
    "研究纺织印染与染色工艺，关注抗菌面料。",
]


@pytest.fixture(scope="module")
def corpus():
    return M.build_corpus(NEEDS, EXPERTS)


def test_domain_terms_stay_whole(corpus):
    assert "遥感影像" in corpus.need_words[0]
    assert "地理信息系统" in corpus.need_words[0]
    assert "公司" not in corpus.need_words[0]  # a stop word


def test_each_need_finds_its_expert_and_says_why(corpus):
    aff, info = M.affinity(corpus)
    assert aff.shape == (3, 4)
    assert list(aff.argmax(axis=1)) == [0, 1, 2]
    assert aff[:, 3].max() == 0.0  # nothing shared with the textile expert
    assert set(info["weights"]) == {"tfidf", "bm25"}
    words = [w for w, _ in M.explain(corpus, 1, 1)]
    assert words[0] in {"电镀废水", "重金属污染", "污水处理"}
    assert set(words) == {"电镀废水", "重金属污染", "污水处理"}
    assert M.explain(corpus, 0, 3) == []


def test_bm25_needs_segmented_words(corpus):
    aff, _ = M.affinity(corpus, M.AffinityParams(tfidf=0, bm25=1))
    assert list(aff.argmax(axis=1)) == [0, 1, 2]
    assert np.allclose(aff.max(axis=1), 1.0)  # divided by the need's best expert


def test_word_vectors_read_from_the_synonyms_file():
    if M.vectors_path() is None:
        pytest.skip("synonyms is not installed")
    vec = M.load_word_vectors(words={"污水", "废水", "遥感"})
    assert set(vec) == {"污水", "废水", "遥感"}
    cos = lambda a, b: float(a @ b / np.linalg.norm(a) / np.linalg.norm(b))  # noqa: E731
    assert cos(vec["污水"], vec["废水"]) > cos(vec["污水"], vec["遥感"])


def test_golden_assignment_respects_capacity_conflicts_and_k():
    aff = np.array([[0.9, 0.8, 0.1], [0.85, 0.2, 0.3], [0.7, 0.6, 0.5]], dtype=np.float32)
    res = M.assign(aff, k=np.array([2, 1, 1]), capacity=np.array([1, 2, 1]), conflicts=np.array([[1, 0]]))
    pairs = sorted(zip(res.needs.tolist(), res.experts.tolist(), strict=True))
    # expert 0 (capacity 1) goes to need 0 or need 2; need 1 may not have expert 0 (conflict)
    assert pairs == [(0, 0), (0, 1), (1, 2), (2, 1)]
    assert res.total_affinity == pytest.approx(0.9 + 0.8 + 0.3 + 0.6)
    assert res.unfilled.tolist() == [0, 0, 0]


def test_pruned_equals_all_pairs_on_a_planted_market():
    sim = planted(120, 300, seed=3)
    aff, _ = M.affinity(M.build_corpus(sim.need_texts, sim.expert_texts))
    a = M.assign(aff, k=3, capacity=2, per_need=10, per_expert=10)
    b = M.assign(aff, k=3, capacity=2, pruned=False)
    assert a.candidates < b.candidates
    assert a.total_affinity >= 0.999 * b.total_affinity


def test_floor_gives_a_contested_need_its_one_eligible_expert():
    # both needs want expert 0 most; need 1 has nobody else above 0.5, need 0 has expert 1 (0.6)
    aff = np.array([[0.95, 0.6], [0.55, 0.4]], dtype=np.float32)
    plain = M.assign(aff, k=1, capacity=1)
    assert sorted(zip(plain.needs.tolist(), plain.experts.tolist(), strict=True)) == [(0, 0), (1, 1)]
    fl = M.assign_with_floor(aff, k=1, capacity=1, min_affinity=0.5)
    assert sorted(zip(fl.needs.tolist(), fl.experts.tolist(), strict=True)) == [(0, 1), (1, 0)]
    assert fl.floor_missed == []
    # when the only eligible expert is full elsewhere for good, the need is reported, not infeasible
    fl2 = M.assign_with_floor(np.array([[0.9], [0.8]], dtype=np.float32), k=1, capacity=1, min_affinity=0.5)
    assert len(fl2.floor_missed) == 1


def test_change_cost_names_the_loss_and_the_broken_rule():
    aff = np.array([[0.9, 0.4]])
    out = M.change_cost(aff, need=0, remove=0, add=1, load=np.array([1, 2]), capacity=np.array([1, 2]))
    assert out["delta"] == pytest.approx(-0.5)
    assert out["over_capacity"] is True
    out = M.change_cost(aff, need=0, remove=None, add=1, load=np.array([1, 0]), capacity=np.array([1, 2]),
                        conflicts={(0, 1)})
    assert out["conflict"] is True and out["delta"] == pytest.approx(0.4)


def test_planted_matches_are_recovered():
    sim = planted(300, 750, seed=11)
    corpus = M.build_corpus(sim.need_texts, sim.expert_texts)
    aff, _ = M.affinity(corpus)
    chance = 5 / 750
    p3 = M.precision_at_k(M.top_k(aff, 3), sim.truth, 3)
    assert p3 > 40 * chance
    res = M.assign(aff, k=3, capacity=2)
    hits = sum(len(set(c.tolist()) & t) for c, t in zip(M.chosen_by_need(res, 300), sim.truth, strict=True))
    assert hits / res.filled > 40 * chance
    # shuffling the experts' texts destroys the signal
    rng = np.random.default_rng(0)
    shuffled = [sim.truth[i] for i in rng.permutation(300)]
    assert M.precision_at_k(M.top_k(aff, 3), shuffled, 3) < p3 / 4


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 6),
    m=st.integers(1, 6),
    seed=st.integers(0, 10_000),
    k=st.integers(1, 3),
    floor=st.booleans(),
)
def test_capacity_k_and_conflicts_hold_at_every_edge(n, m, seed, k, floor):
    rng = np.random.default_rng(seed)
    aff = (rng.random((n, m)) * (rng.random((n, m)) > 0.3)).astype(np.float32)
    cap = rng.integers(0, 3, m)
    conflicts = np.array([[i, j] for i in range(n) for j in range(m) if rng.random() < 0.2]).reshape(-1, 2)
    if floor:
        res = M.assign_with_floor(aff, k=k, capacity=cap, min_affinity=0.5, conflicts=conflicts)
    else:
        res = M.assign(aff, k=k, capacity=cap, conflicts=conflicts, per_need=2, per_expert=2)
        full = M.assign(aff, k=k, capacity=cap, conflicts=conflicts, pruned=False)
        assert res.total_affinity <= full.total_affinity + 1e-6
    assert (np.bincount(res.needs, minlength=n) <= k).all()
    assert (np.bincount(res.experts, minlength=m) <= cap).all()
    pairs = set(zip(res.needs.tolist(), res.experts.tolist(), strict=True))
    assert len(pairs) == len(res.needs)
    assert not pairs & {tuple(c) for c in conflicts.tolist()}
    assert (res.affinity > 0).all()
