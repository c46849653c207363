"""The assessment's picker sources: the people each target group of a scheme assesses, within scope."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from bole.org import pickers
from bole.org.pickers import PickSource
from bole.org.selectors import person_identifier_search, person_list, person_search

from .compute import TARGET_FILTERS


def _subjects(target: str):
    def choices(*, user) -> QuerySet:
        return person_list(user=user).filter(is_active=True, **TARGET_FILTERS[target])

    return choices


SUBJECTS: dict[str, PickSource] = {
    target: PickSource(
        name=f"assessment-{target}",
        choices=_subjects(target),
        search=person_search,
        sensitive_search=person_identifier_search,
        describe=lambda p: p.unit.name,
        placeholder=pickers.PEOPLE.placeholder,
        outside=_("该人员不是本方案的考核对象"),
        several=pickers.PEOPLE.several,
    )
    for target in TARGET_FILTERS
}


def subjects_source(target: str) -> PickSource:
    """The picker source of the people a scheme with this target assesses."""
    return SUBJECTS[target]
