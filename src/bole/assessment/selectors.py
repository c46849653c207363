"""Reads of the assessment, scoped to the acting user through the assessment policy."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet

from bole.engines.scoring import flag_names

from .choices import RoundStatus
from .compute import load_inputs
from .models import Indicator, Objection, Result, Round, Scheme
from .permissions import policy
from .providers import task_providers

# Rounds others than the county see: only once results are out for publicity.
VISIBLE_TO_ALL = {RoundStatus.PUBLICITY, RoundStatus.PUBLISHED, RoundStatus.FROZEN}


def scheme_list(*, user) -> QuerySet[Scheme]:
    return policy.restrict(Scheme.objects.all(), user, "view")


def scheme_locked(scheme: Scheme) -> bool:
    """Whether a scheme is fixed: once a round's results are out for publicity, published or frozen, what that
    round shows (weights, indicators, the bulletin's wording) must stay what it was computed with."""
    return scheme.rounds.filter(status__in=VISIBLE_TO_ALL).exists()


def round_list(*, user) -> QuerySet[Round]:
    """Rounds the user may open; people outside the county see rounds from publicity on."""
    qs = policy.restrict(Round.objects.select_related("scheme"), user, "view")
    if not policy.may(user, "manage"):
        qs = qs.filter(status__in=VISIBLE_TO_ALL)
    return qs


def result_list(*, user, round: Round, action: str = "view") -> QuerySet[Result]:
    """A round's results within the user's scope."""
    qs = Result.objects.filter(round=round).select_related("person", "unit")
    if not policy.may(user, "manage") and round.status not in VISIBLE_TO_ALL:
        return qs.none()
    return policy.restrict(qs, user, action)


def objection_list(*, user, round: Round) -> QuerySet[Objection]:
    return policy.restrict(Objection.objects.filter(round=round).select_related("person", "unit"), user, "view")


def grade_counts(*, user, round: Round) -> dict[str, int]:
    return dict(result_list(user=user, round=round).values_list("grade").annotate(n=Count("id"))
                .values_list("grade", "n"))


@dataclass
class Line:
    """One indicator's row on the explanation page."""

    indicator: Indicator
    raw: float | None
    normalised: float
    weight: float
    contribution: Decimal
    missing: bool
    detail: dict

    @property
    def task_sources(self) -> list[tuple[str, int, int]]:
        """(source label, completed, assigned) of each task source that assigned this person anything."""
        labels = {name: str(label) for name, (label, _p) in task_providers().items()}
        return [(labels.get(key[9:], key[9:]), self.detail.get(f"completed:{key[9:]}", 0), n)
                for key, n in self.detail.items() if key.startswith("assigned:") and n]


def explanation(result: Result) -> tuple[list[Line], Decimal]:
    """The breakdown of a result: contributions are exact decimals that add up to the total."""
    b = result.breakdown
    decimals = result.round.parameters.get("decimals", 2)
    by_code = {i.code: i for i in result.round.scheme.indicators.all()}
    lines = []
    for j, code in enumerate(b["codes"]):
        lines.append(Line(
            indicator=by_code.get(code), raw=b["raw"][j], normalised=b["norm"][j], weight=b["weight"][j],
            contribution=Decimal(b["units"][j]).scaleb(-decimals), missing=b["missing"][j],
            detail=b.get("detail", {}).get(code, {}),
        ))
    return lines, sum((line.contribution for line in lines), Decimal(0)).quantize(Decimal(1).scaleb(-decimals))


def result_flags(result: Result) -> list[str]:
    return flag_names(result.flags) + flag_names(result.grade_flags, grade=True)


def history(*, user, person_id: int, scheme: Scheme) -> list[Result]:
    """A person's results in every visible round of a scheme, oldest first (the trend chart)."""
    rounds = round_list(user=user).filter(scheme=scheme)
    qs = Result.objects.filter(person_id=person_id, round__in=rounds).select_related("round")
    return list(policy.restrict(qs, user, "view").order_by("round__period"))


def inputs_changed(round: Round) -> bool:
    """Whether the inputs differ from those the stored results were computed (or frozen) with."""
    reference = round.frozen_fingerprint or round.input_fingerprint
    if not reference:
        return False
    return load_inputs(round).fingerprint != reference
