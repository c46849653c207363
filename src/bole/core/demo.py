"""Seeding the whole demo county: registers first, then each app's `demo.seed` in BOLE_APPS order."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction


@transaction.atomic
def seed_all(*, scale: int = 1, seed: int = 2024, password: str = "bole-demo-2024") -> dict[str, int]:
    """Deterministic for (scale, seed): the same county every time, built through the services."""
    from bole.org.demo import seed_registers
    from bole.org.services import account_create

    User = get_user_model()
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        admin = account_create(username="admin", role="admin", password=password, full_name="组织部管理员",
                               actor=None)
    counts = seed_registers(scale=scale, seed=seed, actor=admin)
    if not User.objects.filter(username="wukang").exists():
        account_create(username="wukang", role="unit_admin", scope="330521001", password=password,
                       full_name="武康街道管理员", actor=admin)
    for app in settings.BOLE_APPS:
        if app != "org" and find_spec(f"bole.{app}.demo"):
            counts.update(import_module(f"bole.{app}.demo").seed(scale=scale, seed=seed, actor=admin,
                                                                 password=password))
    return counts
