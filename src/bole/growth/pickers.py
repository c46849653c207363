"""The growth app's picker source: young cadres in scope who have no record yet."""

from __future__ import annotations

from bole.org import pickers
from bole.org.pickers import PickSource
from bole.org.selectors import person_identifier_search, person_search

from . import selectors

YOUNG_CADRES = PickSource(
    name="young-cadres",
    choices=selectors.young_cadres_without_record,
    search=person_search,
    sensitive_search=person_identifier_search,
    describe=lambda p: p.unit.name,
    placeholder=pickers.PEOPLE.placeholder,
    outside=pickers.PEOPLE.outside,
    several=pickers.PEOPLE.several,
)
