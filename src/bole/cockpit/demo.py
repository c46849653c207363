"""Seeding the whole demo city: registers first, then each app's demo seed (`demo` in its AppConfig), in app order;
an app that runs one county's article is handed that county (`seed(..., county=code)`, see
`bole.org.demo.county_of`)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from bole.core import plugins
from bole.org.demo import county_of, seed_admins, seed_registers
from bole.org.services import account_create


@transaction.atomic
def seed_all(*, scale: int = 1, seed: int = 2024, password: str = "bole-demo-2024", progress=None) -> dict[str, int]:
    """Deterministic for (scale, seed): the same city every time, built through the services. `progress` (a
    command's bar) is told each app as it seeds."""
    User = get_user_model()
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        admin = account_create(username="admin", role="admin", password=password, full_name="组织部管理员",
                               actor=None)
    seeders = plugins.demo_seeders()
    if progress is not None:
        progress.phase("演示数据", len(seeders) + 1)
    counts = seed_registers(scale=scale, seed=seed, actor=admin)
    seed_admins(actor=admin, password=password)
    if progress is not None:
        progress.advance()
    for label, seed_app in seeders:
        county = {"county": code} if (code := county_of(label)) else {}
        counts.update(seed_app(scale=scale, seed=seed, actor=admin, password=password, **county))
        if progress is not None:
            progress.advance()
    return counts
