"""Reads of the registers, always scoped to the acting user through the org policy."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf, Substr

from bole.core.audit import audit_record
from bole.core.choices import AuditAction
from bole.core.sms import mask_phone

from .models import Enterprise, Person, Region, Unit, id_number_digest, phone_digest
from .permissions import policy
from .validators import InvalidValue, clean_phone, mask_id_number

ID_TAIL = re.compile(r"\d{3}[\dX]")
ID_NUMBER = re.compile(r"\d{17}[\dX]")


def region_list(*, user, action: str = "view") -> QuerySet[Region]:
    return policy.restrict(Region.objects.select_related("parent"), user, action)


def unit_list(*, user, action: str = "view") -> QuerySet[Unit]:
    return policy.restrict(Unit.objects.select_related("region", "parent"), user, action)


def person_list(*, user, action: str = "view") -> QuerySet[Person]:
    return policy.restrict(Person.objects.select_related("unit"), user, action)


def enterprise_list(*, user, action: str = "view") -> QuerySet[Enterprise]:
    return policy.restrict(Enterprise.objects.select_related("region"), user, action)


def _name_search(qs: QuerySet, q: str) -> QuerySet:
    """Chinese name, full pinyin or initials: 张三, zhangsan, zs all find 张三."""
    q = q.strip()
    if not q:
        return qs
    cond = Q(name__icontains=q)
    if re.fullmatch(r"[A-Za-z]+", q):
        low = q.lower()
        cond |= Q(name_pinyin__startswith=low) | Q(name_initials__startswith=low)
    return qs.filter(cond)


def person_search(qs: QuerySet, q: str) -> QuerySet:
    """Name, pinyin or initials. Identifiers (ID tail, ID number, phone) are `person_identifier_search`."""
    return _name_search(qs, q)


def person_identifier_search(qs: QuerySet, q: str, *, user) -> QuerySet | None:
    """People of qs found by the last 4 characters of their ID number, the whole ID number or the whole phone
    number, among those whose personal data the user may see (`view_sensitive`); each search is audited.

    None when q is no identifier (search names instead). Fragments of numbers find nothing: a masked number
    cannot be completed one digit at a time.
    """
    q = re.sub(r"\s", "", q or "").upper()
    if ID_TAIL.fullmatch(q):
        cond, shown = Q(id_tail=q), q
    elif ID_NUMBER.fullmatch(q):
        cond, shown = Q(id_digest=id_number_digest(q)), mask_id_number(q)
    elif re.fullmatch(r"[\d+()（）-]{7,}", q):
        try:
            phone = clean_phone(q)
        except InvalidValue:
            return qs.none()
        cond, shown = Q(phone_digest=phone_digest(phone)), mask_phone(phone)
    else:
        return None
    if not policy.allows(user, "view_sensitive", Person):
        return qs.none()
    found = policy.restrict(qs, user, "view_sensitive").filter(cond)
    ids = list(found.order_by("pk").values_list("pk", flat=True)[:21])
    audit_record(actor=user, action=AuditAction.VIEW_SENSITIVE, obj=Person(),
                 changes={"search": shown, "matches": ids[:20], "more": len(ids) > 20})
    return found


def person_find(qs: QuerySet, q: str, *, user) -> QuerySet:
    """What a search box of people finds for this user: by identifier (within view_sensitive, audited) or name."""
    found = person_identifier_search(qs, q, user=user)
    return person_search(qs, q) if found is None else found


def enterprise_search(qs: QuerySet, q: str) -> QuerySet:
    q = q.strip()
    if re.fullmatch(r"[0-9A-Za-z]{6,18}", q) and any(ch.isdigit() for ch in q):
        return qs.filter(credit_code__icontains=q.upper())
    return _name_search(qs, q)


def region_search(qs: QuerySet, q: str) -> QuerySet:
    q = q.strip()
    if q.isdigit():
        return qs.filter(code__startswith=q)
    return _name_search(qs, q)


def unit_search(qs: QuerySet, q: str) -> QuerySet:
    return _name_search(qs, q)


def region_tree(*, user) -> list[dict]:
    """Regions in scope with counts of units and people, for the org-tree page (two queries)."""
    regions = list(region_list(user=user).order_by("code"))
    unit_counts = dict(
        unit_list(user=user).values_list("region__code").annotate(n=Count("id")).values_list("region__code", "n")
    )
    people_counts = dict(
        person_list(user=user)
        .filter(is_active=True)
        .values_list("unit__region__code")
        .annotate(n=Count("id"))
        .values_list("unit__region__code", "n")
    )
    nodes = {
        r.code: {"region": r, "units": unit_counts.get(r.code, 0), "people": people_counts.get(r.code, 0), "children": []}
        for r in regions
    }
    roots = []
    for r in regions:
        parent = nodes.get(r.parent.code) if r.parent_id else None
        (parent["children"] if parent else roots).append(nodes[r.code])
    return roots


COUNTY_COLUMNS = ("towns", "villages", "units", "people", "section_leaders", "enterprises")


def county_figures(*, user) -> list[dict]:
    """区县对比: each county-level region in the user's scope with its towns, villages, units, people, section-level
    leaders and enterprises in scope (active ones), side by side; one grouped query per register.

    A county's records are those whose region code starts with the county's six digits.
    """
    counties = list(region_list(user=user).filter(level="county").order_by("code").values_list("pk", "code", "name"))
    if not counties:
        return []

    def grouped(qs, field: str, **counts) -> dict[str, dict]:
        rows = qs.order_by().annotate(county=Substr(field, 1, 6)).values("county").annotate(**counts)
        return {r.pop("county"): r for r in rows}

    regions = grouped(region_list(user=user).filter(is_active=True), "code",
                      towns=Count("id", filter=Q(level="town")), villages=Count("id", filter=Q(level="village")))
    units = grouped(unit_list(user=user).filter(is_active=True), "region__code", units=Count("id"))
    people = grouped(person_list(user=user).filter(is_active=True), "unit__region__code", people=Count("id"),
                     section_leaders=Count("id", filter=Q(is_section_leader=True)))
    enterprises = grouped(enterprise_list(user=user).filter(is_active=True), "region__code",
                          enterprises=Count("id"))
    out = []
    for pk, code, name in counties:
        row = {"pk": pk, "code": code, "name": name, **dict.fromkeys(COUNTY_COLUMNS, 0)}
        for figures in (regions, units, people, enterprises):
            row.update(figures.get(code, {}))
        out.append(row)
    return out


def login_choices(condition: Q) -> QuerySet:
    """Active logins matching `condition`, with `name` (the full name, else the username) and `name_pinyin`
    (the username) annotated, so a picker searches and orders them as it does people."""
    return (get_user_model().objects.filter(condition, is_active=True)
            .annotate(name=Coalesce(NullIf(F("first_name"), Value("")), F("username")), name_pinyin=F("username"))
            .distinct())


def login_search(qs: QuerySet, q: str) -> QuerySet:
    """Full name or username."""
    q = q.strip()
    return qs.filter(Q(name__icontains=q) | Q(username__icontains=q)) if q else qs
