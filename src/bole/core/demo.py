"""Seeding the whole demo city: registers first, then each app's `demo.seed` in BOLE_APPS order (an app that runs one
county's article is handed that county: `seed(..., county=code)`, see `bole.org.demo.county_of`)."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction


@transaction.atomic
def seed_all(*, scale: int = 1, seed: int = 2024, password: str = "bole-demo-2024") -> dict[str, int]:
    """Deterministic for (scale, seed): the same city every time, built through the services."""
    from bole.org.demo import county_of, seed_admins, seed_registers
    from bole.org.services import account_create

    User = get_user_model()
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        admin = account_create(username="admin", role="admin", password=password, full_name="组织部管理员",
                               actor=None)
    counts = seed_registers(scale=scale, seed=seed, actor=admin)
    seed_admins(actor=admin, password=password)
    for app in settings.BOLE_APPS:
        if app != "org" and find_spec(f"bole.{app}.demo"):
            county = {"county": code} if (code := county_of(app)) else {}
            counts.update(import_module(f"bole.{app}.demo").seed(scale=scale, seed=seed, actor=admin,
                                                                 password=password, **county))
    return counts
