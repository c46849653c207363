"""The data dir is private to the server's user: the SQLite database (with its -wal/-shm files), uploads and the
secret key are readable by that user alone.

New files: `bole` and the WSGI entry point run with umask 077, so whatever they create (database, uploads,
exports) is 600 and every folder 700 (settings also give uploads FILE_UPLOAD_PERMISSIONS = 0o600). Existing
files: `bole serve` (and so `bole demo`) tightens what an older version left readable before it starts.
"""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_UMASK = 0o077


def private_umask() -> None:
    """Files this process creates from now on are its user's alone."""
    os.umask(PRIVATE_UMASK)


def secure_data_dir() -> int:
    """chmod the data dir 700, the SQLite files and uploads 600 (their folders 700); returns files changed."""
    from django.conf import settings

    changed = 0

    def tighten(path: Path, mode: int) -> None:
        nonlocal changed
        if path.exists() and not path.is_symlink() and path.stat().st_mode & 0o777 != mode:
            path.chmod(mode)
            changed += 1

    tighten(Path(settings.DATA_DIR), 0o700)
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3" and str(db["NAME"]) != ":memory:":
        for suffix in ("", "-wal", "-shm", "-journal"):
            tighten(Path(f"{db['NAME']}{suffix}"), 0o600)
    tighten(Path(settings.DATA_DIR) / "secret_key", 0o600)
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir():
        tighten(media, 0o700)
        for root, dirs, files in os.walk(media):
            for name in dirs:
                tighten(Path(root) / name, 0o700)
            for name in files:
                tighten(Path(root) / name, 0o600)
    return changed
