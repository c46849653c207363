"""Judged contests (雄鹰擂台赛): connectivity, judge-severity correction, bias flags.

Contestants are scored by different panels, so a contestant who drew harsh
judges is disadvantaged by a plain mean. The additive model

    score = contestant effect + judge severity (+ criterion effect) + noise

is fitted robustly (Huber IRLS) on the incomplete design. Contestants are
profiled out analytically and the remaining judge/criterion system is solved
matrix-free by preconditioned conjugate gradients, so each iteration is a
handful of np.bincount passes over the scores (a single small contest is
solved densely instead, which also gives exact standard errors).

Sign convention: ``judge_severity`` is the additive shift a judge applies
relative to the average judge of its connected component, exactly as in the
formula above, so a positive value means a lenient judge and a negative value
a harsh one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import LinearOperator, cg

from bole.engines.raters import competition_rank, trimmed_mean_scores

ENGINE_VERSION = "judges-1.1.0"

__all__ = [
    "ENGINE_VERSION",
    "Component",
    "Connectivity",
    "SeverityFit",
    "JudgeBiasFlags",
    "JudgedScores",
    "RuleComparison",
    "CollusivePair",
    "CollusionFlags",
    "RobustFairScores",
    "check_connectivity",
    "fit_severity",
    "flag_judge_bias",
    "raw_mean_scores",
    "trimmed_mean_judged",
    "compare_rules",
    "flag_collusion",
    "robust_fair_scores",
    "panel_ranks",
]


# ---------------------------------------------------------------------------
# Result types
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Component:
    """One connected set of judges and contestants whose scores can be compared with each other."""

    judges: np.ndarray
    contestants: np.ndarray


@dataclass(frozen=True)
class Connectivity:
    """Whether every judge and contestant is linked, so the UI can name panels that cannot be compared."""

    connected: bool
    n_components: int
    judge_component: np.ndarray  # (n_judges,), -1 for judges with no scores
    contestant_component: np.ndarray  # (n_contestants,), -1 for contestants with no scores
    components: tuple[Component, ...]  # largest first
    engine_version: str = ENGINE_VERSION


@dataclass(frozen=True)
class SeverityFit:
    """Robust additive judge-severity fit: corrected contestant scores, judge severities and diagnostics."""

    # Level of the contestant under the identification used (severities sum
    # to zero per component, criterion effects sum to zero), so it already is
    # "what an average judge gives on an average criterion"; fair_average adds
    # the criterion-weighted mean criterion effect and equals it when the
    # criterion weights are equal. NaN if unscored.
    contestant_effect: np.ndarray  # (n_contestants,)
    contestant_se: np.ndarray
    fair_average: np.ndarray  # expected score from an average judge, original scale
    fair_rank: np.ndarray  # competition rank of fair_average, 0 = unscored
    contestant_n: np.ndarray
    judge_severity: np.ndarray  # (n_judges,), positive = lenient; sums to 0 per component
    judge_se: np.ndarray
    judge_n: np.ndarray
    criterion_effect: np.ndarray  # (n_criteria,), sums to 0
    residuals: np.ndarray  # per input row (NaN where the score was NaN)
    weights: np.ndarray  # final Huber weight per input row (0 where NaN)
    sigma: float  # robust residual SD
    iterations: int
    converged: bool
    cg_iterations: int
    connectivity: Connectivity
    huber_k: float | None
    tol: float
    max_iter: int
    cg_rtol: float
    criterion_weights: np.ndarray
    max_scores: np.ndarray | None
    n_scores: int
    engine_version: str = ENGINE_VERSION


@dataclass(frozen=True)
class JudgeBiasFlags:
    """Judge-contestant cells that sit far from the model, e.g. a judge favouring a friend."""

    cell_judge: np.ndarray
    cell_contestant: np.ndarray
    cell_n: np.ndarray
    cell_mean_residual: np.ndarray
    cell_z: np.ndarray
    flagged: np.ndarray  # bool per cell
    flagged_cells: np.ndarray  # indices of flagged cells, largest |z| first
    z_threshold: float
    engine_version: str = ENGINE_VERSION


@dataclass(frozen=True)
class JudgedScores:
    """Per-contestant plain or trimmed mean of judge totals, for comparison with the fair average."""

    score: np.ndarray
    rank: np.ndarray
    n_judges: np.ndarray
    rule: str
    k: int
    criterion_weights: np.ndarray | None
    max_scores: np.ndarray | None
    engine_version: str = ENGINE_VERSION


@dataclass(frozen=True)
class CollusivePair:
    """Two judges who, on several contestants, both sit far from the rest of the panel in the same direction."""

    judges: tuple[int, int]
    contestants: np.ndarray  # contestants on which the pair's cells were set aside
    direction: int  # +1 both lifted, -1 both pushed down
    min_z: float  # the weaker member's deviation on the weakest of those contestants


@dataclass(frozen=True)
class CollusionFlags:
    """Judge-contestant cells set aside because they sit far from the other judges of the same contestant.

    Each cell is compared with the other judges of its contestant, never with itself: after each judge's
    severity is taken out, a cell's leave-one-out deviation is its mean residual minus the mean of the other
    judges' cells on that contestant, in units of the judges' noise (``sigma``). A pair of judges is named when
    both sit ``pair_z`` or more from the rest of the panel, in the same direction, on at least
    ``pair_min_contestants`` contestants they score together; then their cells on every shared contestant where
    both deviate that way by ``pair_follow_z`` or more are set aside, and the remaining judges of those
    contestants are the reference (the honest judge beside two colluders is not blamed). A single cell is set
    aside when, among at least three cells of the contestant, it is the farthest from the others' mean and by
    ``z_threshold`` or more; one at a time, recomputing after each.
    """

    cell_judge: np.ndarray
    cell_contestant: np.ndarray
    cell_n: np.ndarray  # scored rows in the cell
    cell_mean_residual: np.ndarray
    cell_z: np.ndarray  # leave-one-out deviation of the cell (NaN with fewer than 2 judges)
    flagged: np.ndarray  # bool per cell: set aside
    reason: np.ndarray  # per cell: 0 kept, 1 alone far from the panel, 2 with a named partner
    partner: np.ndarray  # per cell: the partner judge for reason 2, else -1
    pairs: tuple[CollusivePair, ...]
    named_judges: np.ndarray  # judges with at least one cell set aside, ascending
    sigma: float  # robust SD of one judge's mean residual on one contestant
    z_threshold: float
    pair_z: float
    pair_min_contestants: int
    pair_follow_z: float
    engine_version: str = ENGINE_VERSION


@dataclass(frozen=True)
class RobustFairScores:
    """The fair score with flagged cells set aside, ranked within each connected panel."""

    fit: SeverityFit  # the severity fit on the scores that were kept
    flags: CollusionFlags
    set_aside: np.ndarray  # bool per input row
    panel: np.ndarray  # connected component of each contestant (0 = largest), -1 if unscored
    panel_rank: np.ndarray  # competition rank within the contestant's panel, 0 = unscored
    rounds: int
    engine_version: str = ENGINE_VERSION


@dataclass(frozen=True)
class RuleComparison:
    """Raw mean, trimmed mean, severity-corrected fair average and its robust version side by side."""

    raw: JudgedScores
    trimmed: JudgedScores
    fit: SeverityFit  # on every score (the judges-1.0.0 fair average)
    robust: RobustFairScores | None = None  # flagged cells set aside, ranked within each panel
    engine_version: str = ENGINE_VERSION


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def _int1d(a: np.ndarray, name: str) -> np.ndarray:
    arr = np.asarray(a)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    if arr.size and not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(f"{name} must be an integer array")
    if arr.size and arr.min() < 0:
        raise ValueError(f"{name} indices must be non-negative")
    return arr.astype(np.int64, copy=False)


def _size(n: int | None, a: np.ndarray) -> int:
    m = int(a.max()) + 1 if a.size else 0
    if n is None:
        return m
    if m > n:
        raise ValueError("index exceeds the declared count")
    return int(n)


def _scaled_scores(score: np.ndarray, criterion: np.ndarray, max_scores: np.ndarray | None) -> np.ndarray:
    """Scores as percent of each criterion's maximum, so one severity fits every criterion."""
    y = np.asarray(score, dtype=np.float64)
    if max_scores is None:
        return y
    ms = np.asarray(max_scores, dtype=np.float64)
    if np.any(ms <= 0):
        raise ValueError("max_scores must be positive")
    return 100.0 * y / ms[criterion]


def _cells(judge: np.ndarray, contestant: np.ndarray, n_judges: int) -> tuple[np.ndarray, np.ndarray]:
    """Dense (contestant, judge) cell id per row and the cell keys."""
    key = contestant * n_judges + judge
    ukey, inv = np.unique(key, return_inverse=True)
    return inv, ukey


def _split_by_label(label: np.ndarray, n: int) -> list[np.ndarray]:
    """Indices carrying each label 0..n-1 (label -1 dropped), in one sort rather than n scans."""
    order = np.argsort(label, kind="stable")
    counts = np.bincount(label[label >= 0], minlength=n)
    start = int(np.count_nonzero(label < 0))
    return np.split(order[start:], np.cumsum(counts)[:-1])


# ---------------------------------------------------------------------------
# Connectivity
# ---------------------------------------------------------------------------


def check_connectivity(
    judge: np.ndarray,
    contestant: np.ndarray,
    *,
    n_judges: int | None = None,
    n_contestants: int | None = None,
) -> Connectivity:
    """Connected components of the judge-contestant graph: scores are comparable only within one."""
    judge = _int1d(judge, "judge")
    contestant = _int1d(contestant, "contestant")
    if judge.size != contestant.size:
        raise ValueError("judge and contestant differ in length")
    nj = _size(n_judges, judge)
    nc = _size(n_contestants, contestant)
    adj = sp.coo_matrix(
        (np.ones(judge.size, dtype=np.int8), (judge, nj + contestant)), shape=(nj + nc, nj + nc)
    ).tocsr()
    _, lab = connected_components(adj, directed=False)
    present = np.zeros(nj + nc, dtype=bool)
    present[judge] = True
    present[nj + contestant] = True
    # Renumber components: drop nodes without scores, largest component first.
    used, lab_dense = np.unique(lab[present], return_inverse=True)
    sizes = np.bincount(lab_dense, minlength=used.size)
    order = np.argsort(-sizes, kind="stable")
    rename = np.empty_like(order)
    rename[order] = np.arange(order.size)
    comp = np.full(nj + nc, -1, dtype=np.int64)
    comp[present] = rename[lab_dense]
    jc, cc = comp[:nj], comp[nj:]
    n_comp = int(used.size)
    components = tuple(
        Component(judges=js, contestants=cs)
        for js, cs in zip(_split_by_label(jc, n_comp), _split_by_label(cc, n_comp), strict=True)
    )
    return Connectivity(
        connected=n_comp <= 1,
        n_components=n_comp,
        judge_component=jc,
        contestant_component=cc,
        components=components,
    )


# ---------------------------------------------------------------------------
# Severity fit
# ---------------------------------------------------------------------------


class _Design:
    """Index structure of a judging design, computed once and reused by every IRLS step."""

    def __init__(
        self, j: np.ndarray, c: np.ndarray, k: np.ndarray, nj: int, nc: int, nk: int, conn: Connectivity
    ) -> None:
        self.j, self.c, self.k = j, c, k
        self.nj, self.nc, self.nk = nj, nc, nk
        self.j_n = np.bincount(j, minlength=nj)
        self.c_n = np.bincount(c, minlength=nc)
        self.k_n = np.bincount(k, minlength=nk)
        self.has_j, self.has_c, self.has_k = self.j_n > 0, self.c_n > 0, self.k_n > 0
        self.use_k = int(np.count_nonzero(self.k_n)) > 1
        self.p = nj + nk
        self.cell, ukey = _cells(j, c, nj)
        self.cell_c, self.cell_j = ukey // nj, ukey % nj
        if self.use_k:
            self.ck_cell, ck = np.unique(c * nk + k, return_inverse=True)[::-1]
            self.ck_c, self.ck_k = ck // nk, ck % nk
            self.jk = j * nk + k
        # Directions the data cannot identify, one group each: a common shift
        # of one component's judges, a common shift of all criteria, and any
        # unknown without data. Penalising them makes the profiled system
        # positive definite and imposes sum-to-zero within each group.
        n_comp = max(conn.n_components, 1)
        grp = np.empty(self.p, dtype=np.int64)
        grp[:nj] = np.where(self.has_j, conn.judge_component, -1)
        if self.use_k:
            grp[nj:] = np.where(self.has_k, n_comp, -1)
        else:
            grp[nj:] = -1
        lone = grp < 0
        grp[lone] = n_comp + 1 + np.arange(int(lone.sum()))
        self.grp = grp
        self.grp_size = np.bincount(grp).astype(np.float64)
        self.n_comp = n_comp
        self.comp_size = np.bincount(conn.judge_component[self.has_j], minlength=n_comp).astype(np.float64)

    def zu(self, u: np.ndarray) -> np.ndarray:
        out = u[self.j]
        if self.use_k:
            out = out + u[self.nj + self.k]
        return out

    def zt(self, r: np.ndarray) -> np.ndarray:
        out = np.zeros(self.p)
        out[: self.nj] = np.bincount(self.j, weights=r, minlength=self.nj)
        if self.use_k:
            out[self.nj :] = np.bincount(self.k, weights=r, minlength=self.nk)
        return out

    def penalty(self, v: np.ndarray, alpha: float) -> np.ndarray:
        gs = np.bincount(self.grp, weights=v, minlength=self.grp_size.size)
        return alpha * gs[self.grp] / self.grp_size[self.grp]

    def cross(self, w: np.ndarray) -> np.ndarray:
        """Z'WC as a dense (unknowns x contestants) matrix; only used for small designs."""
        m = np.zeros((self.p, self.nc))
        m[self.cell_j, self.cell_c] = np.bincount(self.cell, weights=w)
        if self.use_k:
            m[self.nj + self.ck_k, self.ck_c] = np.bincount(self.ck_cell, weights=w)
        return m

    def zwz(self, w: np.ndarray) -> np.ndarray:
        s = np.diag(self.zt(w))
        if self.use_k:
            jk = np.bincount(self.jk, weights=w, minlength=self.nj * self.nk).reshape(self.nj, self.nk)
            s[: self.nj, self.nj :] = jk
            s[self.nj :, : self.nj] = jk.T
        return s

    def schur_diag(self, w: np.ndarray, inv_wc: np.ndarray) -> np.ndarray:
        """Diagonal of the profiled information Z'WZ - Z'WC D^-1 C'WZ (Jacobi preconditioner, SEs)."""
        out = self.zt(w)
        wcell = np.bincount(self.cell, weights=w)
        out[: self.nj] -= np.bincount(self.cell_j, weights=wcell**2 * inv_wc[self.cell_c], minlength=self.nj)
        if self.use_k:
            wk = np.bincount(self.ck_cell, weights=w)
            out[self.nj :] -= np.bincount(self.ck_k, weights=wk**2 * inv_wc[self.ck_c], minlength=self.nk)
        return out


# Small designs (one county contest) are solved densely, which also gives
# exact standard errors. The budget is in multiply-adds of the dense profiled
# system and kept small on purpose: beyond it the BLAS calls go
# multi-threaded, and on a shared 2-core server thread contention made them
# slower than the matrix-free conjugate-gradient path, whose cost grows only
# with the number of scores.
_DENSE_LIMIT = 250_000  # unknowns^2 x contestants


def fit_severity(
    judge: np.ndarray,
    contestant: np.ndarray,
    score: np.ndarray,
    criterion: np.ndarray | None = None,
    *,
    criterion_weights: np.ndarray | None = None,
    max_scores: np.ndarray | None = None,
    n_judges: int | None = None,
    n_contestants: int | None = None,
    n_criteria: int | None = None,
    huber_k: float | None = 1.345,
    max_iter: int = 50,
    tol: float = 1e-6,
    cg_rtol: float = 1e-10,
) -> SeverityFit:
    """Fit contestant effects and judge severities robustly so contestants are compared fairly."""
    judge = _int1d(judge, "judge")
    contestant = _int1d(contestant, "contestant")
    n_rows = judge.size
    if criterion is None:
        criterion = np.zeros(n_rows, dtype=np.int64)
    criterion = _int1d(criterion, "criterion")
    if not (contestant.size == n_rows == criterion.size == np.asarray(score).shape[0]):
        raise ValueError("long-format arrays differ in length")
    nj = max(_size(n_judges, judge), 1)
    nc = _size(n_contestants, contestant)
    nk = max(_size(n_criteria, criterion), 1)
    cw = np.ones(nk) if criterion_weights is None else np.asarray(criterion_weights, dtype=np.float64)
    if cw.size != nk or np.any(cw < 0) or cw.sum() <= 0:
        raise ValueError("criterion_weights must be non-negative, one per criterion")
    ms = None if max_scores is None else np.asarray(max_scores, dtype=np.float64)

    y_all = _scaled_scores(score, criterion, ms)
    ok = ~np.isnan(y_all)
    j, c, k, y = judge[ok], contestant[ok], criterion[ok], y_all[ok]
    n = y.size

    conn = check_connectivity(j, c, n_judges=nj, n_contestants=nc)
    d = _Design(j, c, k, nj, nc, nk, conn)
    dense = d.p * d.p * max(nc, 1) <= _DENSE_LIMIT

    y_scale = float(np.std(y)) if n else 1.0
    y_scale = y_scale if y_scale > 0 else 1.0
    abs_tol = tol * max(1.0, y_scale)
    w = np.ones(n)
    u = np.zeros(d.p)
    theta = np.zeros(nc)
    total_cg = 0
    converged = False
    it = 0
    s_inv = None
    alpha = 1.0
    for it in range(1, max_iter + 1):
        wc = np.bincount(c, weights=w, minlength=nc)
        inv_wc = np.where(wc > 0, 1.0 / np.where(wc > 0, wc, 1.0), 0.0)
        # The contestant effects are profiled out: theta = weighted mean per
        # contestant of (y - Z u), leaving a system in judges and criteria only.
        t = np.bincount(c, weights=w * y, minlength=nc) * inv_wc
        rhs = d.zt(w * (y - t[c]))
        diag = d.schur_diag(w, inv_wc)
        alpha = float(np.mean(diag[:nj][d.has_j])) if d.has_j.any() else 1.0
        alpha = alpha if alpha > 0 else 1.0
        if dense:
            m = d.cross(w)
            s_mat = d.zwz(w) - (m * inv_wc) @ m.T
            s_mat += alpha * (d.grp[:, None] == d.grp[None, :]) / d.grp_size[d.grp][None, :]
            u_new = np.linalg.solve(s_mat, rhs)
        else:

            def matvec(v: np.ndarray, w=w, inv_wc=inv_wc, alpha=alpha) -> np.ndarray:
                q = d.zu(v)
                tq = np.bincount(c, weights=w * q, minlength=nc) * inv_wc
                return d.zt(w * (q - tq[c])) + d.penalty(v, alpha)

            pdiag = diag + alpha / d.grp_size[d.grp]
            pre = 1.0 / np.where(pdiag > 0, pdiag, alpha)
            n_cg = [0]

            def count(_: np.ndarray, n_cg=n_cg) -> None:
                n_cg[0] += 1

            op = LinearOperator((d.p, d.p), matvec=matvec, dtype=np.float64)
            prec = LinearOperator((d.p, d.p), matvec=lambda v, pre=pre: pre * v, dtype=np.float64)
            u_new, _ = cg(
                op, rhs, x0=u, rtol=cg_rtol, atol=0.0, M=prec, maxiter=10 * d.p + 100, callback=count
            )
            total_cg += n_cg[0]
        theta_new = np.bincount(c, weights=w * (y - d.zu(u_new)), minlength=nc) * inv_wc
        change = max(
            float(np.max(np.abs(u_new - u))) if u.size else 0.0,
            float(np.max(np.abs(theta_new - theta))) if nc else 0.0,
        )
        u, theta = u_new, theta_new
        if dense:
            s_inv = (s_mat, m, inv_wc)
        r = y - theta[c] - d.zu(u)
        mad = 1.4826 * float(np.median(np.abs(r - np.median(r)))) if n else 0.0
        if huber_k is None or mad <= 1e-9 * y_scale:
            # Ordinary least squares, or data the model fits (almost) exactly:
            # there is nothing to down-weight.
            converged = True
            break
        if it > 1 and change < abs_tol:
            converged = True
            break
        if it == max_iter:
            # Keep the weights the reported solution was computed with.
            break
        w = np.minimum(1.0, huber_k / np.maximum(np.abs(r) / mad, 1e-12))

    r = y - theta[c] - d.zu(u)
    n_comp = d.n_comp
    # Residual variance with the effective number of free parameters.
    p_eff = int(
        d.has_c.sum() + d.has_j.sum() - conn.n_components + (int(d.has_k.sum()) - 1 if d.use_k else 0)
    )
    dof = max(n - p_eff, 1)
    s2 = float(np.sum(w * r * r) / dof) if n else np.nan
    wc = np.bincount(c, weights=w, minlength=nc)
    inv_wc = np.where(wc > 0, 1.0 / np.where(wc > 0, wc, 1.0), 0.0)
    if dense and s_inv is not None:
        # Exact covariance of the sum-to-zero solution: (S + Pen)^-1 minus the
        # penalty's own pseudo-inverse, which lives on the unidentified
        # directions only.
        s_mat, m, inv_wc_fit = s_inv
        cov_u = np.linalg.inv(s_mat) - (d.grp[:, None] == d.grp[None, :]) / (
            alpha * d.grp_size[d.grp][None, :]
        )
        var_u = np.clip(np.diag(cov_u), 0.0, None) * s2
        a = m * inv_wc_fit
        var_theta = s2 * (inv_wc_fit + np.einsum("pc,pc->c", a, cov_u @ a))
    else:
        # Facets-style model standard errors from the diagonal of the
        # profiled information: the full inverse is unaffordable for tens of
        # thousands of unknowns.
        info = d.schur_diag(w, inv_wc)
        with np.errstate(divide="ignore", invalid="ignore"):
            var_u = np.where(info > 1e-12, s2 / info, np.nan)
        lone_j = d.has_j & (d.comp_size[np.maximum(conn.judge_component, 0)] == 1)
        var_u[:nj] = np.where(lone_j, 0.0, var_u[:nj])
        frac = np.bincount(d.cell, weights=w) * inv_wc[d.cell_c]
        var_theta = s2 * inv_wc + np.bincount(
            d.cell_c, weights=frac**2 * np.nan_to_num(var_u[d.cell_j]), minlength=nc
        )

    sev = np.where(d.has_j, u[:nj], np.nan)
    judge_se = np.where(d.has_j, np.sqrt(var_u[:nj]), np.nan)
    crit = np.where(d.has_k, u[nj:], np.nan) if d.use_k else np.zeros(nk)
    theta = np.where(d.has_c, theta, np.nan)
    contestant_se = np.where(d.has_c, np.sqrt(np.clip(var_theta, 0.0, None)), np.nan)

    # What an average judge of the contestant's component would give, on the
    # criterion-weighted original scale.
    mean_sev = np.bincount(
        conn.judge_component[d.has_j], weights=u[:nj][d.has_j], minlength=n_comp
    ) / np.maximum(d.comp_size, 1)
    mean_crit = float(np.sum(cw * np.nan_to_num(crit)) / cw.sum())
    c_comp = conn.contestant_component
    fair = theta + np.where(d.has_c, mean_sev[np.maximum(c_comp, 0)], np.nan) + mean_crit

    residuals = np.full(n_rows, np.nan)
    residuals[ok] = r
    weights = np.zeros(n_rows)
    weights[ok] = w
    return SeverityFit(
        contestant_effect=theta,
        contestant_se=contestant_se,
        fair_average=fair,
        fair_rank=competition_rank(fair),
        contestant_n=d.c_n,
        judge_severity=sev,
        judge_se=judge_se,
        judge_n=d.j_n,
        criterion_effect=crit,
        residuals=residuals,
        weights=weights,
        sigma=float(np.sqrt(s2)) if n else float("nan"),
        iterations=it,
        converged=converged,
        cg_iterations=total_cg,
        connectivity=conn,
        huber_k=huber_k,
        tol=float(tol),
        max_iter=int(max_iter),
        cg_rtol=float(cg_rtol),
        criterion_weights=cw,
        max_scores=ms,
        n_scores=int(n),
    )


# ---------------------------------------------------------------------------
# Bias flags and simple rules
# ---------------------------------------------------------------------------


def flag_judge_bias(
    judge: np.ndarray,
    contestant: np.ndarray,
    residuals: np.ndarray,
    *,
    z_threshold: float = 4.0,
) -> JudgeBiasFlags:
    """Flag judge-contestant cells whose mean residual is far out, e.g. a judge inflating a friend."""
    judge = _int1d(judge, "judge")
    contestant = _int1d(contestant, "contestant")
    res = np.asarray(residuals, dtype=np.float64)
    ok = ~np.isnan(res)
    j, c, r = judge[ok], contestant[ok], res[ok]
    nj = int(judge.max()) + 1 if judge.size else 0
    cell, ukey = _cells(j, c, max(nj, 1))
    cnt = np.bincount(cell)
    mean = np.bincount(cell, weights=r) / np.maximum(cnt, 1)
    med = float(np.median(mean)) if mean.size else 0.0
    mad = 1.4826 * float(np.median(np.abs(mean - med))) if mean.size else 0.0
    scale = mad if mad > 0 else max(float(np.std(mean)) if mean.size else 0.0, 1e-12)
    z = (mean - med) / scale
    flagged = np.abs(z) >= z_threshold
    idx = np.flatnonzero(flagged)
    idx = idx[np.argsort(-np.abs(z[idx]), kind="stable")]
    return JudgeBiasFlags(
        cell_judge=ukey % max(nj, 1),
        cell_contestant=ukey // max(nj, 1),
        cell_n=cnt,
        cell_mean_residual=mean,
        cell_z=z,
        flagged=flagged,
        flagged_cells=idx,
        z_threshold=float(z_threshold),
    )


def _opt_array(a: np.ndarray | None) -> np.ndarray | None:
    return None if a is None else np.asarray(a, dtype=np.float64)


def _judge_totals(
    judge: np.ndarray,
    contestant: np.ndarray,
    criterion: np.ndarray | None,
    score: np.ndarray,
    criterion_weights: np.ndarray | None,
    max_scores: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray, int]:
    """Each judge's criterion-weighted score of each contestant (NaN criteria skipped)."""
    judge = _int1d(judge, "judge")
    contestant = _int1d(contestant, "contestant")
    if criterion is None:
        criterion = np.zeros(judge.size, dtype=np.int64)
    criterion = _int1d(criterion, "criterion")
    nk = int(criterion.max()) + 1 if criterion.size else 1
    cw = np.ones(nk) if criterion_weights is None else np.asarray(criterion_weights, dtype=np.float64)
    y = _scaled_scores(score, criterion, None if max_scores is None else np.asarray(max_scores))
    ok = ~np.isnan(y)
    nj = int(judge.max()) + 1 if judge.size else 1
    cell, ukey = _cells(judge[ok], contestant[ok], nj)
    wt = cw[criterion[ok]]
    num = np.bincount(cell, weights=wt * y[ok])
    den = np.bincount(cell, weights=wt)
    with np.errstate(invalid="ignore", divide="ignore"):
        tot = num / den
    nc = int(contestant.max()) + 1 if contestant.size else 0
    return ukey // nj, tot, nc


def raw_mean_scores(
    judge: np.ndarray,
    contestant: np.ndarray,
    score: np.ndarray,
    criterion: np.ndarray | None = None,
    *,
    criterion_weights: np.ndarray | None = None,
    max_scores: np.ndarray | None = None,
) -> JudgedScores:
    """Plain mean of judges' totals per contestant: the uncorrected baseline rule."""
    cc, tot, nc = _judge_totals(judge, contestant, criterion, score, criterion_weights, max_scores)
    ok = ~np.isnan(tot)
    n = np.bincount(cc[ok], minlength=nc)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(cc[ok], weights=tot[ok], minlength=nc) / n
    return JudgedScores(
        score=mean,
        rank=competition_rank(mean),
        n_judges=n,
        rule="raw_mean",
        k=0,
        criterion_weights=_opt_array(criterion_weights),
        max_scores=_opt_array(max_scores),
    )


def trimmed_mean_judged(
    judge: np.ndarray,
    contestant: np.ndarray,
    score: np.ndarray,
    criterion: np.ndarray | None = None,
    *,
    k: int = 1,
    criterion_weights: np.ndarray | None = None,
    max_scores: np.ndarray | None = None,
) -> JudgedScores:
    """Mean of judges' totals after dropping the k highest and lowest, the traditional contest rule."""
    cc, tot, nc = _judge_totals(judge, contestant, criterion, score, criterion_weights, max_scores)
    tm = trimmed_mean_scores(cc, tot, k, n_subjects=nc)
    return JudgedScores(
        score=tm.trimmed_mean,
        rank=tm.rank,
        n_judges=tm.n_scores,
        rule="trimmed_mean",
        k=int(k),
        criterion_weights=_opt_array(criterion_weights),
        max_scores=_opt_array(max_scores),
    )


def compare_rules(
    judge: np.ndarray,
    contestant: np.ndarray,
    score: np.ndarray,
    criterion: np.ndarray | None = None,
    *,
    k: int = 1,
    criterion_weights: np.ndarray | None = None,
    max_scores: np.ndarray | None = None,
    huber_k: float | None = 1.345,
    robust: bool = True,
    collusion: dict[str, float] | None = None,
) -> RuleComparison:
    """All scoring rules on the same data, so the committee can see what correction changes."""
    raw = raw_mean_scores(
        judge, contestant, score, criterion, criterion_weights=criterion_weights, max_scores=max_scores
    )
    trimmed = trimmed_mean_judged(
        judge, contestant, score, criterion, k=k, criterion_weights=criterion_weights, max_scores=max_scores
    )
    fit = fit_severity(
        judge,
        contestant,
        score,
        criterion,
        criterion_weights=criterion_weights,
        max_scores=max_scores,
        huber_k=huber_k,
        n_contestants=raw.score.size,
    )
    rob = None
    if robust:
        rob = robust_fair_scores(
            judge,
            contestant,
            score,
            criterion,
            criterion_weights=criterion_weights,
            max_scores=max_scores,
            n_contestants=raw.score.size,
            huber_k=huber_k,
            first_fit=fit,
            **(collusion or {}),
        )
    return RuleComparison(raw=raw, trimmed=trimmed, fit=fit, robust=rob)


# ---------------------------------------------------------------------------
# Collusion: leave-judges-out comparison, flags and the robust fair score
# ---------------------------------------------------------------------------


def panel_ranks(values: np.ndarray, panel: np.ndarray) -> np.ndarray:
    """Competition rank (1 = highest) of each value within its panel; 0 for NaN or panel -1."""
    values = np.asarray(values, dtype=np.float64)
    panel = np.asarray(panel, dtype=np.int64)
    out = np.zeros(values.size, dtype=np.int64)
    for p in np.unique(panel[panel >= 0]):
        idx = np.flatnonzero(panel == p)
        out[idx] = competition_rank(values[idx])
    out[panel < 0] = 0
    return out


def _loo_z(x: np.ndarray, sigma: float) -> np.ndarray:
    """Each cell's deviation from the mean of the other cells, in units of its own SD under the model."""
    m = x.size
    if m < 2:
        return np.full(m, np.nan)
    others = (x.sum() - x) / (m - 1)
    return (x - others) / (sigma * np.sqrt(1.0 + 1.0 / (m - 1)))


def flag_collusion(
    judge: np.ndarray,
    contestant: np.ndarray,
    residuals: np.ndarray,
    *,
    z_threshold: float = 4.0,
    pair_z: float = 2.5,
    pair_min_contestants: int = 2,
    pair_follow_z: float = 2.0,
    sigma: float | None = None,
) -> CollusionFlags:
    """Cells (and pairs of judges) far from the other judges of the same contestant: suspected collusion.

    ``residuals`` are the rows' residuals from a severity fit (NaN rows are skipped), so judges' severities are
    already taken out; only each judge's association with particular contestants remains.
    """
    judge = _int1d(judge, "judge")
    contestant = _int1d(contestant, "contestant")
    res = np.asarray(residuals, dtype=np.float64)
    ok = ~np.isnan(res)
    nj = max(int(judge.max()) + 1 if judge.size else 1, 1)
    cell, ukey = _cells(judge[ok], contestant[ok], nj)
    cnt = np.bincount(cell)
    mean = np.bincount(cell, weights=res[ok]) / np.maximum(cnt, 1)
    cj, cc = ukey % nj, ukey // nj
    n_cells = ukey.size
    order = np.argsort(cc, kind="stable")  # ukey is sorted by contestant already; keep it explicit
    bounds = np.flatnonzero(np.diff(np.r_[-1, cc[order], -2]))
    groups = [order[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
    groups = [g for g in groups if g.size >= 2]

    if sigma is None:
        # Noise of one cell, from every cell's leave-one-out deviation (median absolute, so a few colluding
        # cells do not inflate it).
        dev = np.concatenate([_loo_z(mean[g], 1.0) for g in groups]) if groups else np.zeros(0)
        sigma = 1.4826 * float(np.median(np.abs(dev))) if dev.size else 0.0
    sigma = float(sigma) if sigma and sigma > 0 else 1e-12

    z = np.full(n_cells, np.nan)
    for g in groups:
        z[g] = _loo_z(mean[g], sigma)

    # Pairs: both members far from the rest of the panel, same direction.
    hits: dict[tuple[int, int, int], list[tuple[int, float]]] = {}
    pair_dev: dict[tuple[int, int, int], dict[int, float]] = {}
    for g in groups:
        m = g.size
        if m < 3:
            continue
        x = mean[g]
        tot = x.sum()
        for a in range(m):
            for b in range(a + 1, m):
                rest = (tot - x[a] - x[b]) / (m - 2)
                sd = sigma * np.sqrt(1.0 + 1.0 / (m - 2))
                za, zb = (x[a] - rest) / sd, (x[b] - rest) / sd
                if za * zb <= 0:
                    continue
                direction = 1 if za > 0 else -1
                weaker = float(min(abs(za), abs(zb)))
                key = (int(cj[g[a]]), int(cj[g[b]]), direction)
                pair_dev.setdefault(key, {})[int(cc[g[a]])] = weaker
                if weaker >= pair_z:
                    hits.setdefault(key, []).append((int(cc[g[a]]), weaker))

    flagged = np.zeros(n_cells, dtype=bool)
    reason = np.zeros(n_cells, dtype=np.int8)
    partner = np.full(n_cells, -1, dtype=np.int64)
    cell_of = {(int(cj[i]), int(cc[i])): i for i in range(n_cells)}
    pairs = []
    named = sorted(
        (key for key, h in hits.items() if len(h) >= pair_min_contestants),
        key=lambda key: -sum(w for _c, w in hits[key]),
    )
    for key in named:
        a, b, direction = key
        cs = sorted(c for c, w in pair_dev[key].items() if w >= pair_follow_z)
        taken = [c for c in cs if not (flagged[cell_of[(a, c)]] or flagged[cell_of[(b, c)]])]
        if len(taken) < pair_min_contestants:
            continue
        for c in taken:
            for j, other in ((a, b), (b, a)):
                i = cell_of[(j, c)]
                flagged[i], reason[i], partner[i] = True, 2, other
        pairs.append(
            CollusivePair(
                judges=(a, b),
                contestants=np.array(taken, dtype=np.int64),
                direction=direction,
                min_z=float(min(pair_dev[key][c] for c in taken)),
            )
        )

    # Single cells, farthest first, among what is left of each contestant's panel.
    for g in groups:
        while True:
            keep = g[~flagged[g]]
            if keep.size < 3:
                break
            zz = _loo_z(mean[keep], sigma)
            worst = int(np.argmax(np.abs(zz)))
            if abs(zz[worst]) < z_threshold:
                break
            flagged[keep[worst]], reason[keep[worst]] = True, 1

    return CollusionFlags(
        cell_judge=cj,
        cell_contestant=cc,
        cell_n=cnt,
        cell_mean_residual=mean,
        cell_z=z,
        flagged=flagged,
        reason=reason,
        partner=partner,
        pairs=tuple(pairs),
        named_judges=np.unique(cj[flagged]),
        sigma=float(sigma),
        z_threshold=float(z_threshold),
        pair_z=float(pair_z),
        pair_min_contestants=int(pair_min_contestants),
        pair_follow_z=float(pair_follow_z),
    )


def _full_residuals(
    fit: SeverityFit, judge: np.ndarray, contestant: np.ndarray, criterion: np.ndarray, y: np.ndarray
) -> np.ndarray:
    """Residual of every scored row from a fit, including rows the fit did not use."""
    crit = np.nan_to_num(fit.criterion_effect) if fit.criterion_effect.size else np.zeros(1)
    k = criterion if crit.size > 1 else np.zeros_like(criterion)
    r = y - fit.contestant_effect[contestant] - fit.judge_severity[judge] - crit[k]
    return r


def _keep_linked(
    flags: CollusionFlags,
    aside: np.ndarray,
    judge: np.ndarray,
    contestant: np.ndarray,
    scored: np.ndarray,
    nj: int,
    nc: int,
    n_components: int,
) -> tuple[CollusionFlags, np.ndarray]:
    """Put set-aside cells back, least deviant first, while setting them aside would split a panel.

    A cell that is a panel's only link to the rest carries the only comparison between two groups of judges;
    without it their scores would fall on two scales that the ranking could not tell apart.
    """

    def parts(mask: np.ndarray) -> int:
        kept = scored & ~mask
        return check_connectivity(judge[kept], contestant[kept], n_judges=nj, n_contestants=nc).n_components

    if not aside.any() or parts(aside) <= n_components:
        return flags, aside
    flagged = flags.flagged.copy()
    reason = flags.reason.copy()
    partner = flags.partner.copy()
    aside = aside.copy()
    for cell in sorted(np.flatnonzero(flagged), key=lambda i: abs(np.nan_to_num(flags.cell_z[i]))):
        rows = (judge == flags.cell_judge[cell]) & (contestant == flags.cell_contestant[cell])
        aside[rows] = False
        if reason[cell] == 2:
            # The partner's cell on this contestant stays set aside, now on its own account.
            mate = np.flatnonzero(
                (flags.cell_judge == partner[cell]) & (flags.cell_contestant == flags.cell_contestant[cell])
            )
            reason[mate], partner[mate] = np.where(flagged[mate], 1, reason[mate]), -1
        flagged[cell], reason[cell], partner[cell] = False, 0, -1
        if parts(aside) <= n_components:
            break
    still = {
        (int(j), int(c))
        for j, c in zip(flags.cell_judge[flagged], flags.cell_contestant[flagged], strict=True)
    }
    pairs = []
    for p in flags.pairs:
        cs = np.array([c for c in p.contestants if {(p.judges[0], int(c)), (p.judges[1], int(c))} <= still])
        if cs.size:
            pairs.append(replace(p, contestants=cs.astype(np.int64)))
    flags = replace(
        flags,
        flagged=flagged,
        reason=reason,
        partner=partner,
        pairs=tuple(pairs),
        named_judges=np.unique(flags.cell_judge[flagged]),
    )
    return flags, aside


def robust_fair_scores(
    judge: np.ndarray,
    contestant: np.ndarray,
    score: np.ndarray,
    criterion: np.ndarray | None = None,
    *,
    criterion_weights: np.ndarray | None = None,
    max_scores: np.ndarray | None = None,
    n_judges: int | None = None,
    n_contestants: int | None = None,
    huber_k: float | None = 1.345,
    z_threshold: float = 4.0,
    pair_z: float = 2.5,
    pair_min_contestants: int = 2,
    pair_follow_z: float = 2.0,
    max_rounds: int = 4,
    first_fit: SeverityFit | None = None,
) -> RobustFairScores:
    """Fair score with colluding or outlying cells set aside, then refitted; ranks within each connected panel.

    Rounds: fit severities on the cells kept so far, flag cells against the other judges of the same contestant
    (``flag_collusion``, on every cell, so a cell set aside may come back), refit without the flagged cells;
    until the set aside no longer changes.
    """
    judge = _int1d(judge, "judge")
    contestant = _int1d(contestant, "contestant")
    if criterion is None:
        criterion = np.zeros(judge.size, dtype=np.int64)
    criterion = _int1d(criterion, "criterion")
    nj = _size(n_judges, judge)
    nc = _size(n_contestants, contestant)
    y = _scaled_scores(
        score, criterion, None if max_scores is None else np.asarray(max_scores, dtype=np.float64)
    )
    scored = ~np.isnan(y)

    def fit_on(mask: np.ndarray) -> SeverityFit:
        return fit_severity(
            judge,
            contestant,
            np.where(mask, np.asarray(score, dtype=np.float64), np.nan),
            criterion,
            criterion_weights=criterion_weights,
            max_scores=max_scores,
            n_judges=nj,
            n_contestants=nc,
            n_criteria=int(criterion.max()) + 1 if criterion.size else 1,
            huber_k=huber_k,
        )

    fit = first_fit if first_fit is not None else fit_on(scored)
    # Panels come from the design as scored; setting cells aside must never split one (see _keep_linked).
    conn = check_connectivity(judge[scored], contestant[scored], n_judges=nj, n_contestants=nc)
    set_aside = np.zeros(judge.size, dtype=bool)
    flags = None
    sigma = None
    rounds = 0
    for rounds in range(1, max_rounds + 1):
        r = np.where(scored, _full_residuals(fit, judge, contestant, criterion, y), np.nan)
        flags = flag_collusion(
            judge,
            contestant,
            r,
            z_threshold=z_threshold,
            pair_z=pair_z,
            pair_min_contestants=pair_min_contestants,
            pair_follow_z=pair_follow_z,
            sigma=sigma,
        )
        # The noise scale is measured once, on the first fit (before any cell is set aside), so that
        # setting cells aside cannot shrink it and flag more on the next round.
        sigma = flags.sigma
        bad = flags.cell_contestant[flags.flagged] * max(nj, 1) + flags.cell_judge[flags.flagged]
        new = scored & np.isin(contestant * max(nj, 1) + judge, bad)
        flags, new = _keep_linked(flags, new, judge, contestant, scored, nj, nc, conn.n_components)
        if rounds > 1 and np.array_equal(new, set_aside):
            break
        set_aside = new
        fit = fit_on(scored & ~set_aside) if set_aside.any() else fit
    panel = conn.contestant_component
    return RobustFairScores(
        fit=fit,
        flags=flags,
        set_aside=set_aside,
        panel=panel,
        panel_rank=panel_ranks(fit.fair_average, panel),
        rounds=rounds,
    )
