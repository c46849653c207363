"""产学研 matching: how well an expert fits an enterprise's technical need, and who is proposed to whom.

Affinity from Chinese text. A need and an expert's profile (fields, keywords, papers and patents) are cut into
words by jieba with a domain dictionary (``matching_terms``; plain BM25 scores Chinese as zero unless it is
segmented first). Three scores, each in [0, 1]:

- ``tfidf``: cosine of sublinear TF-IDF vectors;
- ``bm25``: BM25 weights of the expert's words (bm25s builds the index), summed over the need's words and divided
  by the need's best expert;
- ``vectors`` (optional): cosine of IDF-weighted mean word vectors, read directly from the 100-dimensional
  Chinese vectors the ``synonyms`` package ships (its own loader breaks on NumPy 2), rescaled so 0 is the need's
  average expert.

They are combined by weights (``AffinityParams``). Every pair is explained by its top shared words
(``explain``), the words whose TF-IDF weights multiply to the most.

Assignment. Each need i gets up to ``k[i]`` experts, each expert j at most ``capacity[j]`` needs, conflicting
pairs (the expert holds shares in, used to work for, or has a relative in the enterprise) never. The flow
network source → need (k) → expert (1 per pair) → sink (capacity) is solved by OR-Tools' min-cost flow as
the most total affinity, on candidate pairs pruned to each need's best
``per_need`` experts and each expert's best ``per_expert`` needs (widened and solved again while a slot stays
empty that a pair outside the candidates could fill). ``assign(..., pruned=False)`` is the all-pairs reference.

The fairness floor (every need gets at least one expert above ``min_affinity`` where one exists and the
capacities allow) is a MILP solved by HiGHS (``scipy.optimize.milp``) on the candidate pairs: the same objective
with a penalty for each need whose floor is missed. Its matrix is totally unimodular, so HiGHS solves the LP
relaxation and gets a 0/1 vertex (branch and bound only if it ever did not: 0.85 s instead of 5.9 s at 1000 ×
2500 with the same answer). ``change_cost`` says what a hand change costs.
"""

from __future__ import annotations

import importlib.metadata
import math
import re
import time
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from bole.engines.matching_terms import DOMAIN_TERMS, STOPWORDS

ENGINE = "bole.engines.matching"
ENGINE_VERSION = "matching-1.0.0"

__all__ = [
    "ENGINE",
    "ENGINE_VERSION",
    "AffinityParams",
    "Corpus",
    "Assignment",
    "Segmenter",
    "affinity",
    "assign",
    "assign_with_floor",
    "build_corpus",
    "candidate_pairs",
    "change_cost",
    "explain",
    "load_word_vectors",
    "precision_at_k",
    "top_k",
]

_KEEP = re.compile(r"^[\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z0-9+\-.]*$")
_SCALE = 1_000_000  # affinity in millionths: integer costs for the flow solver


class Segmenter:
    """jieba with the domain dictionary (and the county's extra terms); drops stop words and single characters."""

    def __init__(self, extra_terms: tuple[str, ...] = ()) -> None:
        import jieba  # heavy: imported when a segmenter is first made

        jieba.setLogLevel(60)
        self._tok = jieba.Tokenizer()
        self.terms = tuple(dict.fromkeys((*DOMAIN_TERMS, *extra_terms)))
        for term in self.terms:
            self._tok.add_word(term, freq=200_000)

    def words(self, text: str) -> list[str]:
        """The words of one text that can say who fits whom."""
        out = []
        for word in self._tok.lcut(text or "", HMM=False):
            word = word.strip().lower()
            if len(word) >= 2 and word not in STOPWORDS and _KEEP.match(word):
                out.append(word)
        return out


@lru_cache(maxsize=4)
def _segmenter(extra_terms: tuple[str, ...]) -> Segmenter:
    return Segmenter(extra_terms)


@dataclass
class Corpus:
    """Needs and experts as TF-IDF rows over one vocabulary (and their word lists, for BM25 and vectors)."""

    vocabulary: list[str]
    need_tfidf: sp.csr_matrix
    expert_tfidf: sp.csr_matrix
    idf: np.ndarray
    need_words: list[list[str]]
    expert_words: list[list[str]]
    segment_s: float


def build_corpus(
    need_texts: list[str], expert_texts: list[str], *, extra_terms: tuple[str, ...] = ()
) -> Corpus:
    """Segment every text and weight its words by sublinear TF-IDF (IDF over needs and experts together)."""
    seg = _segmenter(tuple(extra_terms))
    t0 = time.perf_counter()
    need_words = [seg.words(t) for t in need_texts]
    expert_words = [seg.words(t) for t in expert_texts]
    segment_s = time.perf_counter() - t0
    index: dict[str, int] = {}
    docs = need_words + expert_words
    rows, cols = [], []
    for r, words in enumerate(docs):
        for w in words:
            rows.append(r)
            cols.append(index.setdefault(w, len(index)))
    n_docs, n_terms = len(docs), len(index)
    counts = sp.csr_matrix(
        (np.ones(len(rows), dtype=np.float64), (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64))),
        shape=(n_docs, n_terms),
    )
    counts.sum_duplicates()
    df = np.bincount(counts.indices, minlength=n_terms)
    idf = np.log((1 + n_docs) / (1 + df)) + 1.0
    tf = counts.copy()
    tf.data = 1.0 + np.log(tf.data)
    tf = sp.csr_matrix(tf.multiply(idf[None, :]))
    norms = np.sqrt(np.asarray(tf.multiply(tf).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    tf = sp.csr_matrix(sp.diags(1.0 / norms) @ tf)
    vocabulary = [""] * n_terms
    for w, i in index.items():
        vocabulary[i] = w
    n = len(need_texts)
    return Corpus(vocabulary, tf[:n], tf[n:], idf, need_words, expert_words, segment_s)


@dataclass(frozen=True)
class AffinityParams:
    """Weights of the three text scores (normalised to sum 1 over those used)."""

    tfidf: float = 0.7
    bm25: float = 0.3
    vectors: float = 0.0

    def as_dict(self) -> dict:
        return asdict(self)


def _bm25(corpus: Corpus) -> np.ndarray:
    """BM25 of each expert for each need, divided by the need's best expert (bm25s builds the weights)."""
    import bm25s  # imported only when BM25 is asked for

    retriever = bm25s.BM25()
    vocab_index = {w: i for i, w in enumerate(corpus.vocabulary)}
    ids = [[vocab_index[w] for w in words] for words in corpus.expert_words]
    retriever.index((ids, vocab_index), show_progress=False)
    s = retriever.scores
    n_experts = len(corpus.expert_words)
    # bm25s keeps one row of per-document weights per vocabulary id: word × expert
    weights = sp.csc_matrix(
        (s["data"], s["indices"], s["indptr"]), shape=(n_experts, len(s["indptr"]) - 1)
    ).T.tocsr()
    n_vocab = weights.shape[0]
    q = corpus.need_tfidf.copy()
    q.data[:] = 1.0
    q = q[:, : min(q.shape[1], n_vocab)]
    if q.shape[1] < n_vocab:
        q = sp.hstack([q, sp.csr_matrix((q.shape[0], n_vocab - q.shape[1]))]).tocsr()
    scores = np.asarray((q @ weights).todense(), dtype=np.float64)
    best = scores.max(axis=1, keepdims=True)
    best[best <= 0] = 1.0
    return scores / best


def _vector_scores(corpus: Corpus, vectors: dict[str, np.ndarray]) -> np.ndarray:
    """Cosine of IDF-weighted mean word vectors; 0 is the need's average expert, 1 the best."""
    dim = len(next(iter(vectors.values())))
    emb = np.zeros((len(corpus.vocabulary), dim), dtype=np.float32)
    for i, w in enumerate(corpus.vocabulary):
        v = vectors.get(w)
        if v is not None:
            emb[i] = v
    def doc(m: sp.csr_matrix) -> np.ndarray:
        d = np.asarray(m @ emb)
        n = np.linalg.norm(d, axis=1, keepdims=True)
        n[n == 0] = 1.0
        return d / n
    cos = doc(corpus.need_tfidf) @ doc(corpus.expert_tfidf).T
    mean = cos.mean(axis=1, keepdims=True)
    top = cos.max(axis=1, keepdims=True)
    span = np.where(top - mean > 1e-9, top - mean, 1.0)
    return np.clip((cos - mean) / span, 0.0, 1.0)


def affinity(
    corpus: Corpus, params: AffinityParams = AffinityParams(), *, vectors: dict[str, np.ndarray] | None = None
) -> tuple[np.ndarray, dict]:
    """Need × expert affinity in [0, 1] (float32) and what was used, with each part's time."""
    parts: dict[str, float] = {}
    weights = {"tfidf": params.tfidf, "bm25": params.bm25, "vectors": params.vectors if vectors else 0.0}
    total = sum(w for w in weights.values() if w > 0) or 1.0
    out = np.zeros((corpus.need_tfidf.shape[0], corpus.expert_tfidf.shape[0]), dtype=np.float32)
    if weights["tfidf"] > 0:
        t0 = time.perf_counter()
        out += (weights["tfidf"] / total) * np.asarray((corpus.need_tfidf @ corpus.expert_tfidf.T).todense(), dtype=np.float32)
        parts["tfidf_s"] = time.perf_counter() - t0
    if weights["bm25"] > 0:
        t0 = time.perf_counter()
        out += (weights["bm25"] / total) * _bm25(corpus).astype(np.float32)
        parts["bm25_s"] = time.perf_counter() - t0
    if weights["vectors"] > 0 and vectors:
        t0 = time.perf_counter()
        out += (weights["vectors"] / total) * _vector_scores(corpus, vectors).astype(np.float32)
        parts["vectors_s"] = time.perf_counter() - t0
    np.clip(out, 0.0, 1.0, out=out)
    used = {k: round(v / total, 6) for k, v in weights.items() if v > 0}
    return out, {"weights": used, **parts, "segment_s": corpus.segment_s, "vocabulary": len(corpus.vocabulary)}


def explain(corpus: Corpus, need: int, expert: int, *, top: int = 5) -> list[tuple[str, float]]:
    """The words a need and an expert share, strongest first, with their share of the pair's TF-IDF cosine."""
    a, b = corpus.need_tfidf, corpus.expert_tfidf
    ai, ad = a.indices[a.indptr[need] : a.indptr[need + 1]], a.data[a.indptr[need] : a.indptr[need + 1]]
    bi, bd = b.indices[b.indptr[expert] : b.indptr[expert + 1]], b.data[b.indptr[expert] : b.indptr[expert + 1]]
    common, ia, ib = np.intersect1d(ai, bi, assume_unique=True, return_indices=True)
    if not len(common):
        return []
    w = ad[ia] * bd[ib]
    order = np.argsort(-w, kind="stable")[:top]
    return [(corpus.vocabulary[common[o]], round(float(w[o]), 4)) for o in order]


def vectors_path() -> Path | None:
    """Where the installed ``synonyms`` distribution keeps its word vectors (read from its file list, never
    imported: its loader breaks on NumPy 2), or None."""
    try:
        dist = importlib.metadata.distribution("synonyms")
    except importlib.metadata.PackageNotFoundError:
        return None
    path = Path(str(dist.locate_file("synonyms/data/words.vector")))
    return path if path.exists() else None


def load_word_vectors(path: Path | None = None, *, words: set[str] | None = None) -> dict[str, np.ndarray]:
    """Read a word2vec binary file ("N DIM\\n", then word, space, DIM float32) keeping ``words`` (all if None)."""
    path = path or vectors_path()
    if path is None:
        return {}
    raw = Path(path).read_bytes()
    head_end = raw.index(b"\n")
    n, dim = (int(x) for x in raw[:head_end].split())
    width = 4 * dim
    out: dict[str, np.ndarray] = {}
    pos = head_end + 1
    for _ in range(n):
        while raw[pos] in (10, 32):
            pos += 1
        space = raw.index(b" ", pos)
        word = raw[pos:space].decode("utf-8", errors="ignore")
        start = space + 1
        if words is None or word in words:
            out[word] = np.frombuffer(raw, dtype="<f4", count=dim, offset=start).copy()
        pos = start + width
    return out


# ---------------------------------------------------------------- assignment


def _as_array(value: int | np.ndarray | list, n: int) -> np.ndarray:
    arr = np.asarray(value, dtype=np.int64)
    return np.full(n, int(arr), dtype=np.int64) if arr.ndim == 0 else arr.astype(np.int64)


def _eligible(aff: np.ndarray, conflicts: np.ndarray | None) -> np.ndarray:
    """Affinity with conflicting pairs at -1 (never a candidate)."""
    if conflicts is None or not len(conflicts):
        return aff
    out = aff.copy()
    c = np.asarray(conflicts, dtype=np.int64).reshape(-1, 2)
    out[c[:, 0], c[:, 1]] = -1.0
    return out


def candidate_pairs(
    aff: np.ndarray, *, per_need: int | None = 50, per_expert: int | None = 50, conflicts: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(need, expert) pairs kept for the solver: each need's and each expert's best, affinity > 0, no conflict.

    ``per_need=None`` keeps every pair but the conflicting ones, affinity 0 included (the all-pairs reference).
    """
    a = _eligible(aff, conflicts)
    n, m = a.shape
    if per_need is None:
        rows, cols = np.nonzero(a >= 0)
        return rows.astype(np.int64), cols.astype(np.int64)
    # a row's (column's) best `per` by its `per`-th largest value, then one comparison (ties may keep a few more).
    # Selected from the front of the negated rows: numpy's introselect near the end of rows that are mostly zeros
    # took 100–180 ms at 2000×5000, near the front 15 ms (argpartition: 240 ms).
    keep = np.zeros(a.shape, dtype=bool)
    if per_need and per_need < m:
        kth = -np.partition(-a, per_need - 1, axis=1)[:, per_need - 1]
        keep |= a >= kth[:, None]
    else:
        keep[:] = True
    if per_expert and per_expert < n:
        kth = -np.partition(-np.ascontiguousarray(a.T), per_expert - 1, axis=1)[:, per_expert - 1]
        keep |= a >= kth[None, :]
    keep &= a > 0
    rows, cols = np.nonzero(keep)
    return rows.astype(np.int64), cols.astype(np.int64)


@dataclass
class Assignment:
    """Pairs chosen, their affinity, the slots left empty, and the parameters used."""

    needs: np.ndarray
    experts: np.ndarray
    affinity: np.ndarray
    unfilled: np.ndarray
    params: dict
    candidates: int
    solve_s: float
    floor_missed: list[int] = field(default_factory=list)

    @property
    def total_affinity(self) -> float:
        return float(self.affinity.sum())

    @property
    def filled(self) -> int:
        return int(len(self.needs))


def _flow(aff: np.ndarray, rows: np.ndarray, cols: np.ndarray, k: np.ndarray, cap: np.ndarray) -> np.ndarray:
    """Most total affinity on the candidate pairs by min-cost flow; returns the mask of pairs used.

    source → need (k) → expert (1 per pair, cost −affinity) → sink (capacity), and source → sink at no cost for
    the slots no pair is worth filling.
    """
    from ortools.graph.python import min_cost_flow  # imported when an assignment is solved

    n, m = aff.shape
    src, sink = n + m, n + m + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    demand = int(k.sum())
    pair_cost = -np.rint(aff[rows, cols].astype(np.float64) * _SCALE).astype(np.int64)
    tails = np.concatenate([np.full(n, src), rows, n + np.arange(m), [src]]).astype(np.int32)
    heads = np.concatenate([np.arange(n), n + cols, np.full(m, sink), [sink]]).astype(np.int32)
    caps = np.concatenate([k, np.ones(len(rows), dtype=np.int64), cap, [demand]]).astype(np.int64)
    costs = np.concatenate([np.zeros(n, dtype=np.int64), pair_cost, np.zeros(m + 1, dtype=np.int64)])
    arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    flow.set_node_supply(src, demand)
    flow.set_node_supply(sink, -demand)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow ended with status {status}")
    flows = np.asarray(flow.flows(arcs[n : n + len(rows)]))
    return (flows > 0) & (pair_cost < 0)


def _result(aff, rows, cols, used, k, params, t0, floor_missed=()) -> Assignment:
    needs, experts = rows[used], cols[used]
    got = np.bincount(needs, minlength=aff.shape[0])
    return Assignment(
        needs=needs,
        experts=experts,
        affinity=aff[needs, experts].astype(np.float64),
        unfilled=np.maximum(k - got, 0),
        params=params,
        candidates=int(len(rows)),
        solve_s=time.perf_counter() - t0,
        floor_missed=list(floor_missed),
    )


def _fillable(a: np.ndarray, k: np.ndarray, cap: np.ndarray, needs: np.ndarray, experts: np.ndarray) -> bool:
    """Whether some empty slot could take an eligible expert with room left (outside the candidates)."""
    short = np.nonzero(k - np.bincount(needs, minlength=a.shape[0]) > 0)[0]
    room = cap - np.bincount(experts, minlength=a.shape[1]) > 0
    if not len(short) or not room.any():
        return False
    sub = a[np.ix_(short, np.nonzero(room)[0])] > 0
    if not sub.any():
        return False
    taken = set(zip(needs.tolist(), experts.tolist(), strict=True))
    rs, cs = np.nonzero(sub)
    room_ids = np.nonzero(room)[0]
    return any((int(short[r]), int(room_ids[c])) not in taken for r, c in zip(rs, cs, strict=True))


def assign(
    aff: np.ndarray,
    *,
    k: int | np.ndarray,
    capacity: int | np.ndarray,
    conflicts: np.ndarray | None = None,
    per_need: int | None = 10,
    per_expert: int | None = 10,
    pruned: bool = True,
) -> Assignment:
    """k experts per need within capacity, conflicts excluded: most pairs, then most affinity (min-cost flow)."""
    t0 = time.perf_counter()
    n, m = aff.shape
    k_arr, cap = _as_array(k, n), _as_array(capacity, m)
    a = _eligible(aff, conflicts)
    widen = 0
    pn, pe = (per_need, per_expert) if pruned else (None, None)
    while True:
        rows, cols = candidate_pairs(a, per_need=pn, per_expert=pe)
        used = _flow(a, rows, cols, k_arr, cap)
        if pn is None or widen >= 3 or not _fillable(a, k_arr, cap, rows[used], cols[used]):
            break
        widen += 1
        pn, pe = pn * 4, (pe * 4 if pe else pe)
        if pn >= m:
            pn, pe = m, n
    params = {
        "engine": ENGINE,
        "version": ENGINE_VERSION,
        "method": "min_cost_flow",
        "per_need": per_need if pruned else None,
        "per_expert": per_expert if pruned else None,
        "widened": widen,
        "k": k if np.ndim(k) == 0 else "per need",
        "capacity": capacity if np.ndim(capacity) == 0 else "per expert",
        "conflicts": 0 if conflicts is None else int(len(conflicts)),
    }
    return _result(a, rows, cols, used, k_arr, params, t0)


def assign_with_floor(
    aff: np.ndarray,
    *,
    k: int | np.ndarray,
    capacity: int | np.ndarray,
    min_affinity: float,
    conflicts: np.ndarray | None = None,
    per_need: int = 20,
    per_expert: int = 10,
    penalty: float = 10.0,
    time_limit: float = 60.0,
) -> Assignment:
    """As ``assign``, and every need one expert with affinity >= ``min_affinity`` where one exists (HiGHS MILP).

    Objective: maximise Σ affinity over pairs chosen − ``penalty`` × needs whose floor is missed. A need
    whose every eligible expert is full elsewhere misses its floor (``floor_missed``) rather than making it
    infeasible.
    """
    from scipy.optimize import Bounds, LinearConstraint, milp  # imported when the floor is asked for

    t0 = time.perf_counter()
    n, m = aff.shape
    k_arr, cap = _as_array(k, n), _as_array(capacity, m)
    a = _eligible(aff, conflicts)
    rows, cols = candidate_pairs(a, per_need=per_need, per_expert=per_expert)
    # each need's best ``per_need`` experts are candidates: where any expert reaches the floor, its best one does
    vals = a[rows, cols].astype(np.float64)
    params = {
        "engine": ENGINE,
        "version": ENGINE_VERSION,
        "method": "milp_highs",
        "per_need": per_need,
        "per_expert": per_expert,
        "min_affinity": min_affinity,
        "penalty": penalty,
        "k": k if np.ndim(k) == 0 else "per need",
        "capacity": capacity if np.ndim(capacity) == 0 else "per expert",
        "conflicts": 0 if conflicts is None else int(len(conflicts)),
    }
    if not len(rows):
        return _result(a, rows, cols, np.zeros(0, dtype=bool), k_arr, params, t0)
    floor_pair = vals >= min_affinity
    floor_needs = np.unique(rows[floor_pair])
    p, f = len(rows), len(floor_needs)
    c = np.concatenate([-vals, np.full(f, penalty)])
    pair_idx = np.arange(p)
    need_rows = sp.csr_matrix((np.ones(p), (rows, pair_idx)), shape=(n, p + f))
    exp_rows = sp.csr_matrix((np.ones(p), (cols, pair_idx)), shape=(m, p + f))
    slot_of = np.full(n, -1, dtype=np.int64)
    slot_of[floor_needs] = np.arange(f)
    fr = slot_of[rows[floor_pair]]
    floor_rows = sp.csr_matrix(
        (
            np.concatenate([np.ones(int(floor_pair.sum())), np.ones(f)]),
            (np.concatenate([fr, np.arange(f)]), np.concatenate([pair_idx[floor_pair], p + np.arange(f)])),
        ),
        shape=(f, p + f),
    )
    constraints = [
        LinearConstraint(need_rows, -np.inf, k_arr.astype(np.float64)),
        LinearConstraint(exp_rows, -np.inf, cap.astype(np.float64)),
        LinearConstraint(floor_rows, 1.0, np.inf),
    ]
    integrality = np.concatenate([np.ones(p), np.zeros(f)])
    options = {"time_limit": time_limit, "mip_rel_gap": 1e-6}
    # Need rows, their floor rows (subsets of them) and expert rows are two laminar families, so the matrix is
    # totally unimodular: HiGHS's simplex vertex of the LP relaxation is already 0/1. Solve that; only a
    # fractional answer (never seen) goes on to branch and bound.
    res = milp(c, constraints=constraints, integrality=np.zeros(p + f), bounds=Bounds(0.0, 1.0), options=options)
    solver = "highs-lp"
    if res.x is None or np.abs(res.x[:p] - np.rint(res.x[:p])).max(initial=0.0) > 1e-6:
        res = milp(c, constraints=constraints, integrality=integrality, bounds=Bounds(0.0, 1.0), options=options)
        solver = "highs-milp"
    if res.x is None:
        raise RuntimeError(f"HiGHS found no solution: {res.message}")
    used = res.x[:p] > 0.5
    missed = floor_needs[res.x[p:] > 0.5].tolist()
    params["status"] = res.message
    params["solver"] = solver
    return _result(a, rows, cols, used, k_arr, params, t0, floor_missed=missed)


def floor_report(aff: np.ndarray, result: Assignment, min_affinity: float, conflicts=None) -> dict:
    """Needs with an eligible expert above the floor, and how many of them got one."""
    a = _eligible(aff, conflicts)
    has = (a >= min_affinity).any(axis=1)
    got = np.zeros(a.shape[0], dtype=bool)
    ok = result.affinity >= min_affinity
    got[result.needs[ok]] = True
    return {"needs_with_eligible": int(has.sum()), "needs_meeting_floor": int((got & has).sum())}


def change_cost(
    aff: np.ndarray,
    *,
    need: int,
    remove: int | None,
    add: int | None,
    load: np.ndarray,
    capacity: np.ndarray,
    conflicts: set[tuple[int, int]] = frozenset(),
) -> dict:
    """What a hand change costs: affinity lost or gained, and whether it breaks a capacity or a conflict."""
    before = float(aff[need, remove]) if remove is not None else 0.0
    after = float(aff[need, add]) if add is not None else 0.0
    over = bool(add is not None and load[add] + (0 if add == remove else 1) > capacity[add])
    conflict = bool(add is not None and (need, add) in conflicts)
    return {"delta": round(after - before, 6), "before": before, "after": after, "over_capacity": over, "conflict": conflict}


# ---------------------------------------------------------------- evaluation


def top_k(aff: np.ndarray, k: int) -> np.ndarray:
    """Each need's k best experts, best first."""
    k = min(k, aff.shape[1])
    part = np.argpartition(-aff, k - 1, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(aff, part, axis=1), axis=1, kind="stable")
    return np.take_along_axis(part, order, axis=1)


def precision_at_k(chosen: list[np.ndarray] | np.ndarray, truth: list[set[int]], k: int) -> float:
    """Mean over needs of |chosen ∩ true| / k (chosen: each need's experts)."""
    if not len(truth):
        return math.nan
    hits = [len(set(map(int, c[:k])) & t) / k for c, t in zip(chosen, truth, strict=True)]
    return float(np.mean(hits))


def chosen_by_need(result: Assignment, n_needs: int) -> list[np.ndarray]:
    """An assignment's experts grouped by need, best affinity first."""
    order = np.lexsort((-result.affinity, result.needs))
    needs, experts = result.needs[order], result.experts[order]
    bounds = np.searchsorted(needs, np.arange(n_needs + 1))
    return [experts[bounds[i] : bounds[i + 1]] for i in range(n_needs)]
