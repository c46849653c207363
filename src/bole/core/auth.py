"""Authentication: the request's user comes with its account, read together with the session.

`AuthenticationMiddleware` is Django's, except that the user the session engine (core.sessions) read with
the session is offered to the backend; `AccountBackend.get_user` takes it when the ids match and otherwise
reads the user with its account in one query. Django's own checks are unchanged: `auth.get_user` still
verifies the backend, the session's password hash and the active flag.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.contrib import auth
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthenticationMiddleware
from django.utils.functional import SimpleLazyObject

# What is read with a user on every request: the account and its region and unit (core.sessions reads the same
# through the session row).
ACCOUNT_PATHS = ("account__region", "account__unit__region")
# The user read with this request's session, offered to the backend for the length of one get_user call.
_session_user: ContextVar = ContextVar("bole_session_user", default=None)


def get_user(request):
    """The request's user (cached on the request), taking the one the session engine read when it is there."""
    if not hasattr(request, "_cached_user"):
        session = request.session
        session.get(auth.SESSION_KEY)  # loads the session, and with it the user
        token = _session_user.set(getattr(session, "loaded_user", None))
        try:
            request._cached_user = auth.get_user(request)
        finally:
            _session_user.reset(token)
    return request._cached_user


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    """Django's middleware with `get_user` above."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: get_user(request))


class AccountBackend(ModelBackend):
    """Every page reads the user's scope (role, region, unit) from the Account: fetch them with the user."""

    def get_user(self, user_id):
        user = _session_user.get()
        if user is None or str(user.pk) != str(user_id):
            model = get_user_model()
            try:
                user = model._default_manager.select_related(*ACCOUNT_PATHS).get(pk=user_id)
            except model.DoesNotExist:
                return None
        return user if self.user_can_authenticate(user) else None
