"""A round's stored parameters and a scheme's settings in the words of the scheme form (labels, not keys)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from .models import Indicator, Scheme

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


def _label(model, key: str) -> str:
    try:
        return str(model._meta.get_field(key).verbose_name)
    except FieldDoesNotExist:
        return key


def tie_breaker_names(codes: list[str], names: dict[str, str]) -> str:
    """The 同分比较指标 by indicator name ("单位综合考评得分、多维评议"), a code only where no indicator has it."""
    return "、".join(names.get(c, c) for c in codes or []) or "—"


def round_parameters(parameters: dict, names: dict[str, str]) -> dict:
    """{"settings": [(label, value)], "indicators": [header, rows], "people": n} from `Round.parameters`."""
    settings, people = [], parameters.get("people")
    for key, value in parameters.items():
        if key in {"indicators", "people", "engine"}:
            continue
        if key == "tie_breakers":
            settings.append((_label(Scheme, key), tie_breaker_names(value, names)))
        else:
            settings.append((_label(Scheme, key), _field_value(Scheme, key, value)))
    header = [_label(Indicator, k) for k in INDICATOR_KEYS]
    header[0] = _("指标")
    rows = []
    for ind in parameters.get("indicators", []):
        code = ind.get("code", "")
        rows.append([names.get(code, code)] + [_field_value(Indicator, k, ind.get(k)) for k in INDICATOR_KEYS[1:]])
    return {"settings": settings, "header": header, "rows": rows, "people": people}
