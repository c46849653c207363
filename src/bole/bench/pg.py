"""A throwaway PostgreSQL database for a benchmark: created fresh, used by subprocesses, dropped at the end."""

from __future__ import annotations

import os

ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def url(name: str) -> str:
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def env(name: str) -> dict[str, str]:
    """The environment of a `bole` subprocess working on the database `name`."""
    out = dict(os.environ)
    out["DATABASE_URL"] = url(name)
    out.setdefault("DJANGO_SETTINGS_MODULE", "bole.settings")
    out["PYTHONWARNINGS"] = "ignore"
    return out


def recreate(name: str, *, drop_only: bool = False) -> None:
    """Drop the database `name` (closing its connections) and, unless `drop_only`, create it empty."""
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        if not drop_only:
            conn.execute(f"CREATE DATABASE {name}")
