"""Seeding the whole demo county: registers first, then each app's demo seed (`demo` in its AppConfig), in app
order."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from bole.core import plugins
from bole.org.demo import seed_registers
from bole.org.services import account_create


@transaction.atomic
def seed_all(*, scale: int = 1, seed: int = 2024, password: str = "bole-demo-2024") -> dict[str, int]:
    """Deterministic for (scale, seed): the same county every time, built through the services."""
    User = get_user_model()
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        admin = account_create(username="admin", role="admin", password=password, full_name="组织部管理员",
                               actor=None)
    counts = seed_registers(scale=scale, seed=seed, actor=admin)
    if not User.objects.filter(username="wukang").exists():
        account_create(username="wukang", role="unit_admin", scope="330521001", password=password,
                       full_name="武康街道管理员", actor=admin)
    for _label, seed_app in plugins.demo_seeders():
        counts.update(seed_app(scale=scale, seed=seed, actor=admin, password=password))
    return counts
