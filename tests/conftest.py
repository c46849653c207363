"""Shared fixtures: a small real county built through the services, and logins with each role."""

from __future__ import annotations

import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """With several workers (pytest-xdist, --dist loadgroup: ./run test), the tests that start servers and a browser
    run in two groups, each on one worker and one test after another: the walks over the whole demo city, and the
    other browser tests with the deployment test. The race tests (50 threads, each with its own connection) run in a
    group of their own too: two at once on two workers went over PostgreSQL's 100 connections. The rest share out
    what is left. A race test's module imports `race` at its top (a test checks), so the whole module is grouped."""
    from tests.race import race

    for item in items:
        path = str(item.fspath).replace("\\", "/")
        if "demo_city" in item.fixturenames:
            item.add_marker(pytest.mark.xdist_group("walks"))
        elif "tests/e2e/" in path or "tests/deploy/" in path:
            item.add_marker(pytest.mark.xdist_group("servers"))
        elif getattr(item.module, "race", None) is race:
            item.add_marker(pytest.mark.xdist_group("races"))


@pytest.fixture(autouse=True)
def _site_language():
    """Every test starts in the site language: a page rendered in English must not leak into the next test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hasher():
    """Tests create many logins; a deliberately slow production hasher would dominate the suite's time."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _tasks_in_process(tmp_path_factory):
    """Background jobs run inside the request that submits them (the worker's own code path after the queue);
    tests of the real queue start `bole worker` processes themselves. Progress goes to a private file cache."""
    from django.conf import settings
    from django.core.cache import caches

    settings.BOLE_TASKS_SYNC = True
    settings.CACHES["jobs"] = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                               "LOCATION": str(tmp_path_factory.mktemp("jobs-cache"))}
    caches.__dict__.pop("settings", None)  # rebuilt from the setting on next use
    caches._settings = None


@pytest.fixture
def county(db):
    """Two towns with a village each, a county department, units and a few people, via the services."""
    import datetime as dt
    import random

    from bole.org import services
    from bole.org.choices import RegionKind, UnitKind
    from bole.org.demo import make_credit_code, make_id_number

    rng = random.Random(7)
    c = services.region_create(actor=None, code="330521", name="德清县", kind=RegionKind.COUNTY)
    t1 = services.region_create(actor=None, code="330521001", name="武康街道", kind=RegionKind.STREET, parent=c)
    t2 = services.region_create(actor=None, code="330521002", name="舞阳街道", kind=RegionKind.STREET, parent=c)
    v1 = services.region_create(actor=None, code="330521001001", name="五四村", kind=RegionKind.VILLAGE, parent=t1)
    v2 = services.region_create(actor=None, code="330521002001", name="塔山社区", kind=RegionKind.COMMUNITY, parent=t2)
    dept = services.unit_create(actor=None, name="县委组织部", kind=UnitKind.PARTY_COMMITTEE, region=c)
    u1 = services.unit_create(actor=None, name="武康街道党工委", kind=UnitKind.TOWN, region=t1)
    u2 = services.unit_create(actor=None, name="舞阳街道党工委", kind=UnitKind.TOWN, region=t2)
    u1v = services.unit_create(actor=None, name="五四村村委会", kind=UnitKind.VILLAGE, region=v1, parent=u1)
    u2v = services.unit_create(actor=None, name="塔山社区居委会", kind=UnitKind.VILLAGE, region=v2, parent=u2)

    def person(name, unit, **kw):
        idn = make_id_number(rng, "330521", dt.date(1985, 3, rng.randint(1, 28)), rng.random() < 0.5)
        return services.person_create(actor=None, name=name, id_number=idn, unit=unit, **kw)

    people = {
        "zhangsan": person("张三", u1, is_section_leader=True),
        "lisi": person("李四", u1v),
        "wangwu": person("王五", u2),
        "zhaoliu": person("赵六", u2v),
        "qianqi": person("钱七", dept),
    }
    ents = {
        "e1": services.enterprise_create(actor=None, name="德清华盛机械有限公司", credit_code=make_credit_code(rng, "330521"),
                                         industry="C", region=v1),
        "e2": services.enterprise_create(actor=None, name="德清恒源新材料有限公司", credit_code=make_credit_code(rng, "330521"),
                                         industry="C", region=t2),
    }
    return {"county": c, "t1": t1, "t2": t2, "v1": v1, "v2": v2, "dept": dept, "u1": u1, "u2": u2, "u1v": u1v,
            "u2v": u2v, **people, **ents}


@pytest.fixture
def users(county):
    """admin (county), town1/town2 (region-scoped), unit1 (unit subtree), cadre (self), enterprise."""
    from bole.org.services import account_create

    pw = "pass-1234-word"
    return {
        "admin": account_create(username="admin", role="admin", password=pw, actor=None),
        "town1": account_create(username="town1", role="unit_admin", scope="330521001", password=pw, actor=None),
        "town2": account_create(username="town2", role="unit_admin", scope="330521002", password=pw, actor=None),
        "unit1v": account_create(username="unit1v", role="unit_admin", scope="五四村村委会", password=pw, actor=None),
        "cadre": account_create(username="cadre", role="cadre", scope=county["zhangsan"].id_number, password=pw,
                                actor=None),
        "ent": account_create(username="ent", role="enterprise", scope=county["e1"].credit_code, password=pw,
                              actor=None),
    }


@pytest.fixture
def login(client, users):
    def _login(name):
        client.force_login(users[name])
        return client

    return _login
