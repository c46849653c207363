"""The permission matrix: every URL of the resolver and every operation of the OpenAPI schema, requested as each
role on records inside and outside the role's scope, holds to the class `table.py` gives it. A URL nobody
classified fails `test_every_url_is_classified`."""

from __future__ import annotations

import json
import os
import re

import pytest

from tests.routes import routes

from . import engine
from .table import TABLE

RECORD = os.environ.get("BOLE_MATRIX_RECORD")  # a file: write what each cell does instead of asserting


def resolver_urls() -> dict[str, str]:
    """Every page URL name (namespaced) → its route; the API's own routes are left to the OpenAPI schema."""
    return {name: route for name, route, _pattern in routes()}


def api_operations() -> list[str]:
    """'METHOD /api/v1/path' of every operation of the OpenAPI schema."""
    from bole.api import api

    schema = api.get_openapi_schema()
    return [f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops]


def api_route_paths() -> set[str]:
    """The schema's paths as resolver routes (`{pk}` → `<pk>`), to tell the API's routes from the pages."""
    from bole.api import api

    return {
        path.lstrip("/").replace("{", "<").replace("}", ">") for path in api.get_openapi_schema()["paths"]
    }


def unclassified(table=TABLE) -> list[str]:
    classified_names = {engine.split_key(k)[1] for k in table}
    api_routes = api_route_paths()
    missing = []
    for name, route in resolver_urls().items():
        if re.sub(r"<\w+:", "<", route) in api_routes:  # `<int:case_id>` is the schema's `{case_id}`
            continue
        if name not in classified_names:
            missing.append(f"{name} ({route})")
    missing += [op for op in api_operations() if op not in table]
    return missing


def test_every_url_is_classified():
    missing = unclassified()
    assert not missing, (
        "URLs with no row in tests/matrix/table.py (add one per method with a class for every "
        "role, and their parameters in tests/matrix/requests.py):\n  " + "\n  ".join(missing)
    )


def test_a_url_without_a_row_is_named():
    table = {k: v for k, v in TABLE.items() if k not in ("GET audit", "GET /api/v1/desks/")}
    assert unclassified(table) == ["audit (audit/)", "GET /api/v1/desks/"]


def test_table_names_only_real_urls():
    names = set(resolver_urls())
    ops = set(api_operations())
    stale = [k for k in TABLE if (k not in ops if engine.is_api(k) else engine.split_key(k)[1] not in names)]
    assert not stale, f"rows for URLs that no longer exist: {stale}"


def _cells():
    for key, roles in TABLE.items():
        for role in engine.ROLES:
            expect = roles[role]
            marks = (
                [pytest.mark.xfail(strict=True, reason=expect.xfail)] if expect.xfail and not RECORD else []
            )
            yield pytest.param(key, role, expect.cls, id=f"{key}|{role}", marks=marks)


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "role", "expect"), list(_cells()))
def test_cell(world, client, key, role, expect):
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    seen = engine.observe(client, key, role, world)
    assert seen, f"{key}: no record to request it with (add the world key to tests/matrix/requests.py)"
    if RECORD:
        with open(RECORD, "a") as f:
            f.write(
                json.dumps(
                    {
                        "key": key,
                        "role": role,
                        "expect": expect,
                        "class": engine.classify(seen),
                        "seen": [s.__dict__ for s in seen],
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
        return
    found = engine.problems(expect, seen, role)
    assert not found, f"{key} as {role} ({expect}):\n  " + "\n  ".join(found)
