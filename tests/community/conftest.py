"""Home-branch fixtures built through the community services."""

from __future__ import annotations

import pytest

from tests.cases.conftest import TZ, Clock, _fast_passwords  # noqa: F401  (shared helpers)


@pytest.fixture
def clock(monkeypatch):
    import datetime as dt

    c = Clock(dt.datetime(2024, 3, 4, 9, 0, tzinfo=TZ))
    monkeypatch.setattr("bole.cases.calendar.now", c)
    return c


@pytest.fixture
def home(county, users, clock):
    """A branch in 塔山社区 with two stairwells; 李四 (a party member) adopts the first; a committee."""
    from bole.cases.desks import desks_ensure
    from bole.community import services
    from bole.org.services import account_create, person_update

    admin = users["admin"]
    desks_ensure(actor=admin)
    member = person_update(person=county["zhangsan"], is_party_member=True, actor=admin)
    branch = services.branch_create(name="塔山社区阳光花园家园支部", community=county["v2"], unit=county["u2v"],
                                    secretary=county["zhaoliu"], actor=admin)
    s1 = services.stairwell_create(branch=branch, compound="阳光花园", building="3", entrance="2", households=24,
                                   actor=admin)
    s2 = services.stairwell_create(branch=branch, compound="阳光花园", building="4", entrance="1", households=18,
                                   actor=admin)
    services.adoption_create(stairwell=s1, person=member, actor=admin)
    committee = services.committee_create(branch=branch, name="阳光花园家园共治委员会", chair=county["zhaoliu"],
                                          actor=admin, members=[{"kind": "owners", "name": "业委会主任"},
                                                                {"kind": "property", "name": "物业经理"}])
    account_create(username="u2vadmin", role="unit_admin", scope="塔山社区居委会", password="pass-1234-word",
                   actor=None)
    return {"branch": branch, "s1": s1, "s2": s2, "member": member, "committee": committee}
