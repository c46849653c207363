"""Reading what a client sends in a query string or form: a value that cannot be read is the client's error, a 400
with a message in the user's language, never a 500 from deep inside a query.

Pages read their parameters with these helpers (`int_param(request.GET, "year", ...)`); the API declares the same
bounds as types (`Year`, `DbInt`) so they also appear in the OpenAPI schema. `BadParameter` is turned into the 400
page (or a JSON 400 under /api/) by `bole.core.errors`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Annotated

from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _
from pydantic import AfterValidator, Field

# The largest value a bigint column holds: ids and counts beyond it are refused before they reach SQL.
MAX_DB_INT = 2**63 - 1
MIN_YEAR, MAX_YEAR = 1900, 2100
# Pages beyond this are refused: no list has that many pages, and OFFSET must stay inside a bigint.
MAX_PAGE = 1_000_000

# The same bounds for the API (schema-checked by django-ninja; a violation answers 400).
DbInt = Annotated[int, Field(ge=-MAX_DB_INT, le=MAX_DB_INT)]
DbId = Annotated[int, Field(ge=1, le=MAX_DB_INT)]
Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR)]
PageNumber = Annotated[int, Field(ge=1, le=MAX_PAGE)]
# A period code: a year ("2026") or a quarter ("2026Q4") between MIN_YEAR and MAX_YEAR; "" for everything on record.
PeriodCode = Annotated[str, Field(pattern=r"^((19\d\d|20\d\d|2100)(Q[1-4])?)?$", max_length=6)]


def year_problem(year: int) -> str | None:
    """Why `year` is not a calendar year Bole keeps records for (None when it is): the one wording of the bound."""
    if MIN_YEAR <= year <= MAX_YEAR:
        return None
    return _("年份须在 %(lo)s 到 %(hi)s 之间") % {"lo": MIN_YEAR, "hi": MAX_YEAR}


def _sane_date(value: dt.date) -> dt.date:
    if why := year_problem(value.year):
        raise ValueError(why)
    return value


def _sane_datetime(value: dt.datetime) -> dt.datetime:
    _sane_date(value)
    offset = value.utcoffset()
    if offset is not None and abs(offset) > dt.timedelta(hours=14):
        raise ValueError(_("时区偏移须在 ±14 小时以内"))
    return value


# Dates and times a client sends: years a record can have, and real time zones (PostgreSQL refuses others).
Date = Annotated[dt.date, AfterValidator(_sane_date)]
DateTime = Annotated[dt.datetime, AfterValidator(_sane_datetime)]


class BadParameter(BadRequest):
    """A parameter the client sent that cannot be read; its message is shown to the user."""


def _raw(params: Mapping, name: str) -> str:
    value = params.get(name)
    return "" if value is None else str(value).strip()


def parse_int(raw: str, name: str, *, min_value: int = -MAX_DB_INT, max_value: int = MAX_DB_INT) -> int:
    """One integer between min_value and max_value read from text, or BadParameter naming `name`."""
    raw = raw.strip()
    digits = raw[1:] if raw.startswith("-") else raw
    if not digits or len(digits) > 19 or not (digits.isascii() and digits.isdigit()):
        raise BadParameter(_("参数“%(name)s”须为整数") % {"name": name})
    value = int(raw)
    if not min_value <= value <= max_value:
        raise BadParameter(
            _("参数“%(name)s”须在 %(lo)s 到 %(hi)s 之间") % {"name": name, "lo": min_value, "hi": max_value}
        )
    return value


def parse_id(raw: str, name: str) -> int:
    """A record id read from text (a filter's value)."""
    return parse_int(raw, name, min_value=1)


def int_param(
    params: Mapping,
    name: str,
    default: int | None = None,
    *,
    min_value: int = -MAX_DB_INT,
    max_value: int = MAX_DB_INT,
) -> int | None:
    """An integer between min_value and max_value; empty or missing gives `default`."""
    raw = _raw(params, name)
    if not raw:
        return default
    return parse_int(raw, name, min_value=min_value, max_value=max_value)


def id_param(params: Mapping, name: str, default: int | None = None) -> int | None:
    """A record id (a positive integer that fits a bigint)."""
    return int_param(params, name, default, min_value=1)


def year_param(params: Mapping, name: str = "year", default: int | None = None) -> int | None:
    """A calendar year between MIN_YEAR and MAX_YEAR."""
    return int_param(params, name, default, min_value=MIN_YEAR, max_value=MAX_YEAR)


def id_list_param(params: Mapping, name: str) -> list[int]:
    """Record ids written one after another with commas ("3,5,8"); empty or missing gives []."""
    return [parse_id(part, name) for part in _raw(params, name).split(",") if part.strip()]


def page_param(params: Mapping, name: str = "page") -> int:
    """A page number (1 when missing)."""
    return int_param(params, name, 1, min_value=1, max_value=MAX_PAGE)


def date_param(params: Mapping, name: str, default: dt.date | None = None) -> dt.date | None:
    """A date written YYYY-MM-DD."""
    raw = _raw(params, name)
    if not raw:
        return default
    try:
        value = dt.date.fromisoformat(raw)
    except ValueError:
        raise BadParameter(_("参数“%(name)s”须为日期（年-月-日）") % {"name": name}) from None
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise BadParameter(
            _("参数“%(name)s”的年份须在 %(lo)s 到 %(hi)s 之间")
            % {"name": name, "lo": MIN_YEAR, "hi": MAX_YEAR}
        )
    return value


def choice_param(params: Mapping, name: str, choices: Iterable[str], default: str = "") -> str:
    """One of `choices`; empty or missing gives `default`."""
    raw = _raw(params, name)
    if not raw:
        return default
    if raw not in set(choices):
        raise BadParameter(_("参数“%(name)s”的取值无效") % {"name": name})
    return raw
