"""Session engine: Django's database sessions, stored with the user's id and read together with the user.

Every page needs the session and the logged-in user with the account that gives their role and scope. The
stock engine reads the session, then the authentication backend reads the user: two statements the ORM
compiles anew on each request. This engine reads the session row joined to the user, the account and the
account's region and unit in one prepared statement (core.db.ToOneLoader) and hands the user to the
authentication backend (core.auth), which still checks it the way Django does (the session's password hash,
the active flag).
"""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.db import connections, router
from django.utils import timezone

from .auth import ACCOUNT_PATHS
from .db import ToOneLoader
from .models import Session

USER_PATHS = tuple(f"user__{path}" for path in ACCOUNT_PATHS)
_loader: ToOneLoader | None = None


def _session_loader() -> ToOneLoader:
    global _loader  # noqa: PLW0603 - built once per process, after the apps are loaded
    if _loader is None:
        _loader = ToOneLoader(Session, USER_PATHS)
    return _loader


class SessionStore(DBStore):
    """Database sessions with a user column; `loaded_user` is the user read with the session (or None)."""

    loaded_user = None

    @classmethod
    def get_model_class(cls):
        return Session

    def _get_session_from_db(self):
        self.loaded_user = None
        if not self.session_key:  # the stock engine looks an empty key up too, and finds nothing
            self._session_key = None
            return None
        using = router.db_for_read(self.model)
        now = connections[using].ops.adapt_datetimefield_value(timezone.now())
        session = _session_loader().first("t0.session_key = %s AND t0.expire_date > %s", [self.session_key, now],
                                          using=using)
        if session is None:  # unknown or expired: a new session, as in Django's engine
            self._session_key = None
            return None
        self.loaded_user = session.user if session.user_id else None
        return session

    def create_model_instance(self, data):
        obj = super().create_model_instance(data)
        uid = data.get(SESSION_KEY)
        obj.user_id = int(uid) if uid is not None and str(uid).isdigit() else None
        return obj
