"""A round's stored parameters and a scheme's settings in the words of the scheme form (labels, not keys)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from .models import Indicator, Round, Scheme

INDICATOR_KEYS = ["code", "kind", "weight", "direction", "normalisation", "missing", "metric", "categories"]


def _field_value(model, key: str, value) -> str:
    """One stored value as the form shows it: a choice's label, a share as a percentage, "—" for none."""
    if value in (None, "", "None", []):
        return "—"
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:
        field = None
    if field is not None and field.choices:
        return str(dict(field.choices).get(value, value))
    if key == "excellent_share":
        try:
            return f"{Decimal(str(value)) * 100:.0f}%"
        except InvalidOperation:
            return str(value)
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def _has_field(model, key: str) -> bool:
    try:
        model._meta.get_field(key)
    except FieldDoesNotExist:
        return False
    return True


def _label(model, key: str) -> str:
    try:
        return str(model._meta.get_field(key).verbose_name)
    except FieldDoesNotExist:
        return key


def tie_breaker_names(codes: list[str], names: dict[str, str]) -> str:
    """The 同分比较指标 by indicator name ("单位综合考评得分、多维评议"), a code only where no indicator has it."""
    return "、".join(names.get(c, c) for c in codes or []) or "—"


def round_parameters(parameters: dict, names: dict[str, str], categories: dict[str, str] | None = None) -> dict:
    """{"settings": [(label, value)], "header", "rows" (one per indicator), "people": n} from `Round.parameters`;
    `names` are the indicators' names by code, `categories` the point categories' names by code."""
    settings, people = [], parameters.get("people")
    for key, value in parameters.items():
        if key in {"indicators", "people", "engine"}:
            continue
        model = next((m for m in (Scheme, Round) if _has_field(m, key)), None)
        if model is None:
            continue  # a technical key with no name on any form: it stays in the fingerprint only
        if key == "tie_breakers":
            settings.append((_label(model, key), tie_breaker_names(value, names)))
        else:
            settings.append((_label(model, key), _field_value(model, key, value)))
    header = [_label(Indicator, k) for k in INDICATOR_KEYS]
    header[0] = _("指标")
    rows = []
    for ind in parameters.get("indicators", []):
        code = ind.get("code", "")
        cells = [names.get(code, code)]
        for k in INDICATOR_KEYS[1:]:
            value = ind.get(k)
            if k == "categories" and value:
                value = [(categories or {}).get(c, c) for c in value]
            cells.append(_field_value(Indicator, k, value))
        rows.append(cells)
    return {"settings": settings, "header": header, "rows": rows, "people": people}
