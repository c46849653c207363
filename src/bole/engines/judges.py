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

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import LinearOperator, cg

from bole.engines.raters import competition_rank, trimmed_mean_scores

ENGINE_VERSION = "judges-1.0.0"

__all__ = [
    "ENGINE_VERSION",
    "Component",
    "Connectivity",
    "SeverityFit",
    "JudgeBiasFlags",
    "JudgedScores",
    "RuleComparison",
    "check_connectivity",
    "fit_severity",
    "flag_judge_bias",
    "raw_mean_scores",
    "trimmed_mean_judged",
    "compare_rules",
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
class RuleComparison:
    """Raw mean, trimmed mean and severity-corrected fair average side by side."""

    raw: JudgedScores
    trimmed: JudgedScores
    fit: SeverityFit
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
) -> RuleComparison:
    """All three scoring rules on the same data, so the committee can see what correction changes."""
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
    return RuleComparison(raw=raw, trimmed=trimmed, fit=fit)
