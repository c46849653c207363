"""The matrix county is built once per module inside a transaction that is rolled back at the end; each test
runs in a savepoint of it (pytest-django's `db`), so writes tried by one cell never reach the next."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.db import transaction
    from django.test import override_settings

    from .world import build

    media = tmp_path_factory.mktemp("matrix-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)):
        with transaction.atomic():
            w = build()
            yield w
            transaction.set_rollback(True)
