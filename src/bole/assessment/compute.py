"""Loading a round's inputs with a few aggregate queries and scoring them with the scoring engine."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from django.db.models import F, FloatField
from django.db.models.functions import Cast
from django.utils.translation import gettext, gettext_noop

from bole.core import periods, plugins
from bole.core.scoping import region_prefix
from bole.engines import scoring
from bole.evaluation.selectors import subject_scores
from bole.ledger.selectors import capped_points
from bole.org.choices import Rank, UnitKind
from bole.org.models import Person

from .choices import Grouping, IndicatorKind, Target
from .models import GradeDecision, Indicator, ManualValue, Round, RoundSource, UnitScore
from .providers import task_counts

# Stored as these Chinese words (official records); pages show them translated with {% translate r.grade %}.
GRADE_EXCELLENT, GRADE_COMPETENT, GRADE_BASIC, GRADE_FAIL = (
    gettext_noop("优秀"), gettext_noop("称职"), gettext_noop("基本称职"), gettext_noop("不称职"))
GRADES = (GRADE_EXCELLENT, GRADE_COMPETENT, GRADE_BASIC, GRADE_FAIL)
# Without a configured threshold the lower grades are reached only by decision: totals are never negative.
_NO_THRESHOLD = (-1.0, -2.0)


@dataclass
class Inputs:
    """Everything a round's scores depend on, as arrays aligned with the sorted person ids."""

    person: np.ndarray
    unit: np.ndarray
    group: np.ndarray
    raw: np.ndarray  # (n, k), NaN = missing
    indicators: list[Indicator]
    specs: tuple[scoring.IndicatorSpec, ...]
    grade_scheme: scoring.GradeScheme
    override: np.ndarray
    tie_breakers: list[np.ndarray]
    tie_directions: list[int]
    decimals: int
    details: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)  # per indicator code
    parameters: dict = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        """SHA-256 of every input: who, in which group, every raw value, decisions and the parameters."""
        h = hashlib.sha256()
        h.update(json.dumps(self.parameters, sort_keys=True, ensure_ascii=False).encode())
        for arr in (self.person, self.unit, self.override):
            h.update(np.ascontiguousarray(arr, dtype=np.int64).tobytes())
        h.update("\x1f".join(self.group.tolist()).encode())
        raw = np.where(np.isnan(self.raw), -1e300, self.raw)
        h.update(np.ascontiguousarray(raw, dtype=np.float64).tobytes())
        return h.hexdigest()


# Who each target group is, as Person filters (the scheme's subjects; also the decision form's person pickers).
TARGET_FILTERS = {
    Target.SECTION_LEADER: {"is_section_leader": True},
    Target.CADRE: {"is_cadre": True, "is_section_leader": False, "is_young_cadre": False},
    Target.YOUNG_CADRE: {"is_young_cadre": True},
}


# Ranking groups are stored as these Chinese words (and "镇街·正职" for both); group_display translates them.
GROUP_WORDS = frozenset((gettext_noop("正职"), gettext_noop("副职"), gettext_noop("镇街"), gettext_noop("部门"),
                         gettext_noop("全体")))


def group_display(group: str) -> str:
    """A ranking group's name in the page's language, part by part ("镇街·正职" → "Towns · Chiefs"); anything
    else (a name no grouping here produces) shows as stored."""
    parts = str(group).split("·")
    if not all(p in GROUP_WORDS for p in parts):
        return str(group)
    shown = [gettext(p) for p in parts]
    return (" · " if shown != parts else "·").join(shown)


def group_labels(grouping: str, rank: np.ndarray, unit_kind: np.ndarray) -> np.ndarray:
    """Ranking group of each person: by rank level (正职/副职), unit kind (部门/镇街) or both."""
    chief = np.where(rank == Rank.SECTION_CHIEF, "正职", "副职")
    kind = np.where(np.isin(unit_kind, [UnitKind.TOWN, UnitKind.VILLAGE]), "镇街", "部门")
    if grouping == Grouping.RANK:
        return chief.astype(object)
    if grouping == Grouping.UNIT_KIND:
        return kind.astype(object)
    if grouping == Grouping.RANK_UNIT_KIND:
        return np.char.add(np.char.add(kind, "·"), chief).astype(object)
    return np.full(rank.size, "全体", dtype=object)


def subjects(scheme, person_ids=None):
    """Active people the scheme assesses (in its region when it has one), sorted by id: one query."""
    qs = Person.objects.filter(is_active=True, **TARGET_FILTERS[scheme.target])
    if scheme.region_id:
        qs = qs.filter(unit__region__code__startswith=region_prefix(scheme.region.code))
    if person_ids is not None:
        qs = qs.filter(pk__in=list(person_ids))
    rows = list(qs.order_by("id").values_list("id", "unit_id", "rank", "unit__kind"))
    if not rows:
        return (np.zeros(0, dtype=np.int64),) * 2 + (np.zeros(0, dtype=object),)
    ids, units, ranks, kinds = zip(*rows, strict=True)
    group = group_labels(scheme.grouping, np.array(ranks), np.array(kinds))
    return np.array(ids, dtype=np.int64), np.array(units, dtype=np.int64), group


def _lookup(keys: np.ndarray, ids, values) -> np.ndarray:
    """Float values keyed by id → array aligned with keys (NaN where absent)."""
    out = np.full(keys.size, np.nan)
    ids = np.asarray(ids, dtype=np.int64)
    if ids.size == 0 or keys.size == 0:
        return out
    order = np.argsort(ids, kind="stable")
    sid, sval = ids[order], np.asarray(values, dtype=np.float64)[order]
    pos = np.clip(np.searchsorted(sid, keys), 0, sid.size - 1)
    hit = sid[pos] == keys
    out[hit] = sval[pos[hit]]
    return out


# Each loader: (round, indicator, person ids, unit ids, shared cache) -> (raw values, detail arrays).
Loader = Callable[[Round, Indicator, np.ndarray, np.ndarray, dict], tuple[np.ndarray, dict[str, np.ndarray]]]


def _unit_score(rnd, ind, person, unit, cache):
    rows = list(UnitScore.objects.filter(period=rnd.period)
                .values_list("unit_id", Cast(F("score"), FloatField())))
    ids, vals = (zip(*rows, strict=True) if rows else ((), ()))
    return _lookup(unit, ids, vals), {}


def _task_rate(rnd, ind, person, unit, cache):
    """Completed ÷ assigned over every task provider; each source that assigned anything is kept in the detail
    (``completed:<source>``, ``assigned:<source>``) so the explanation can show where the tasks came from."""
    completed, assigned, by_source = task_counts(person, rnd.period)
    detail = {}
    for name, (c, a) in by_source.items():
        if a.any():
            detail[f"completed:{name}"], detail[f"assigned:{name}"] = c, a
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(assigned > 0, 100.0 * np.minimum(completed, assigned) / np.maximum(assigned, 1), np.nan)
    return rate, {"completed": completed, "assigned": assigned, **detail}


def _manual(rnd, ind, person, unit, cache, metric=None):
    metric = metric or ind.metric or ind.code
    rows = list(ManualValue.objects.filter(metric=metric, period=rnd.period)
                .values_list("person_id", Cast(F("value"), FloatField())))
    ids, vals = (zip(*rows, strict=True) if rows else ((), ()))
    return _lookup(person, ids, vals), {}


def _evaluation(rnd, ind, person, unit, cache):
    """Final scores of the linked evaluation; without a link, the imported values of the indicator's metric."""
    source = RoundSource.objects.filter(round=rnd, indicator=ind).first()
    if source is None:
        return _manual(rnd, ind, person, unit, cache)

    scores = subject_scores(evaluation=source.evaluation)
    return _lookup(person, list(scores.keys()), list(scores.values())), {"evaluation": np.full(1, source.evaluation_id)}


def _ledger(rnd, ind, person, unit, cache):
    cats = cache.get("ledger_categories")
    if cats is None:  # one aggregate query for every ledger indicator of the scheme
        cats = {c.pk: c for i in cache["indicators"] if i.kind == IndicatorKind.LEDGER for c in i.categories.all()}
        cache["ledger_categories"] = cats
        cache["ledger"] = capped_points(period=rnd.period, categories=list(cats.values()))
    ids = [c.pk for c in ind.categories.all()]
    total, cut = cache["ledger"].column_sum(ids, person)
    return total, {"cut": cut}


def _mechanism(rnd, ind, person, unit, cache):
    """The values a mechanism declares (`metrics` hook) under the indicator's code, e.g. 学习学时 from training."""
    metric = plugins.metrics().get(ind.metric)
    if metric is None:  # scheme_check refuses such a scheme; a round computed anyway counts it as missing
        return np.full(person.size, np.nan), {}
    values = np.asarray(metric.resolve()(person, rnd.period), dtype=np.float64)
    return values, {}


LOADERS: dict[str, Loader] = {
    IndicatorKind.UNIT_SCORE: _unit_score,
    IndicatorKind.TASK_RATE: _task_rate,
    IndicatorKind.EVALUATION: _evaluation,
    IndicatorKind.LEDGER: _ledger,
    IndicatorKind.MANUAL: _manual,
    IndicatorKind.MECHANISM: _mechanism,
}


def grade_scheme_of(scheme) -> scoring.GradeScheme:
    """优秀 by quota (≤ 20%), 称职 the rest, 基本称职/不称职 below thresholds or by decision."""
    basic = float(scheme.basic_threshold) if scheme.basic_threshold is not None else _NO_THRESHOLD[0]
    fail = float(scheme.fail_threshold) if scheme.fail_threshold is not None else min(_NO_THRESHOLD[1], basic - 1)
    min_total = float(scheme.excellent_min_total) if scheme.excellent_min_total is not None else None
    return scoring.GradeScheme(
        rules=(
            scoring.GradeRule.quota(GRADE_EXCELLENT, float(scheme.excellent_share), min_total=min_total),
            scoring.GradeRule.rest(GRADE_COMPETENT),
            scoring.GradeRule.below(GRADE_BASIC, basic),
            scoring.GradeRule.below(GRADE_FAIL, min(fail, basic - 1e-6)),
        ),
        quota_rounding=scheme.quota_rounding,
    )


def scheme_parameters(scheme, indicators: list[Indicator]) -> dict:
    """The scheme's settings that change scores, stored with results and hashed into the fingerprint."""
    return {
        "engine": scoring.ENGINE_VERSION,
        "target": scheme.target,
        "grouping": scheme.grouping,
        "decimals": scheme.decimals,
        "excellent_share": str(scheme.excellent_share),
        "excellent_min_total": str(scheme.excellent_min_total),
        "basic_threshold": str(scheme.basic_threshold),
        "fail_threshold": str(scheme.fail_threshold),
        "quota_rounding": scheme.quota_rounding,
        "tie_breakers": list(scheme.tie_breakers or []),
        "indicators": [
            {"code": i.code, "kind": i.kind, "weight": str(i.weight), "direction": i.direction,
             "normalisation": i.normalisation, "missing": i.missing, "metric": i.metric,
             "categories": sorted(c.code for c in i.categories.all())}
            for i in indicators
        ],
    }


def load_inputs(rnd: Round, *, loaders: dict[str, Loader] | None = None, person_ids=None) -> Inputs:
    """Everything the round depends on, with one or two queries per indicator (none per person)."""
    scheme = rnd.scheme
    indicators = list(scheme.indicators.prefetch_related("categories").order_by("sort", "id"))
    person, unit, group = subjects(scheme, person_ids)
    cache: dict = {"indicators": indicators}
    loaders = {**LOADERS, **(loaders or {})}
    raw = np.full((person.size, len(indicators)), np.nan)
    details: dict[str, dict[str, np.ndarray]] = {}
    for j, ind in enumerate(indicators):
        values, detail = loaders[ind.kind](rnd, ind, person, unit, cache)
        raw[:, j] = values
        details[ind.code] = detail
    raw = np.round(raw, 6)  # equal inputs give equal fingerprints whatever order the database summed in
    specs = tuple(scoring.IndicatorSpec(name=i.code, weight=float(i.weight), direction=int(i.direction),
                                        normalisation=i.normalisation, missing=i.missing) for i in indicators)
    gscheme = grade_scheme_of(scheme)
    override = np.full(person.size, -1, dtype=np.int64)
    decisions = list(GradeDecision.objects.filter(round=rnd).values_list("person_id", "grade"))
    if decisions:
        ids, grades = zip(*decisions, strict=True)
        idx = _lookup(person, ids, [gscheme.labels.index(g) for g in grades])
        override = np.where(np.isnan(idx), -1, idx).astype(np.int64)
    codes = [i.code for i in indicators]
    tie_breakers, tie_dirs = [], []
    for code in scheme.tie_breakers or []:
        if code in codes:
            j = codes.index(code)
            tie_breakers.append(raw[:, j])
            tie_dirs.append(int(indicators[j].direction))
    params = scheme_parameters(scheme, indicators)
    params["period"] = rnd.period
    return Inputs(person=person, unit=unit, group=group.astype(str).astype(object), raw=raw,
                  indicators=indicators, specs=specs, grade_scheme=gscheme, override=override,
                  tie_breakers=tie_breakers, tie_directions=tie_dirs, decimals=scheme.decimals,
                  details=details, parameters=params)


def score_inputs(inputs: Inputs) -> scoring.ScoreResult:
    """The engine pass: normalise, weight, round, rank, grade."""
    return scoring.score(
        inputs.raw, inputs.group.astype(str), inputs.specs, inputs.tie_breakers, inputs.tie_directions or None,
        decimals=inputs.decimals, grade_scheme=inputs.grade_scheme, grade_override=inputs.override,
    )


def previous_period(period: str) -> str:
    return periods.previous(period)
