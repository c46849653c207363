"""Seeding the whole demo county: each app contributes its part, in dependency order."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction


@transaction.atomic
def seed_all(*, scale: int = 1, seed: int = 2024, password: str = "bole-demo-2024") -> dict[str, int]:
    """Registers first, then demo accounts; later mechanisms add their records after these."""
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
    return counts
