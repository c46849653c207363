"""Signing in: audit rows for sign-ins and failed attempts, the lockout page, password rules and changes.

Login throttling is django-axes (settings: `AXES_*`): its backend refuses a locked-out username and address
before the password is checked, and its middleware answers such a request with `lockout_response`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import password_validation as django_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import render
from django.utils.translation import gettext as _

from .audit import actor_label, audit_record
from .choices import AuditAction
from .context import current_request_id
from .models import AuditEvent

USER_TYPE = "auth.user"


def client_address(request) -> str:
    """The address a request came from, as the login throttle counts it."""
    from axes.helpers import get_client_ip_address  # axes reads its settings at import: import when used

    return get_client_ip_address(request) or ""


def login_succeeded(*, user, request) -> AuditEvent:
    """One audit row for a sign-in."""
    return AuditEvent.objects.create(
        actor=user, actor_label=actor_label(user), action=AuditAction.LOGIN, object_type=USER_TYPE,
        object_id=str(user.pk), object_repr=user.get_username(), changes={"ip": client_address(request)},
        request_id=current_request_id(),
    )


def login_failed(*, username: str, request, locked: bool) -> AuditEvent:
    """One audit row for a refused sign-in: the login name tried and the address, never the password.

    Nobody is known to have acted, so the row's actor is the address; `locked` says the throttle refused it.
    """
    username = (username or "")[:150]
    ip = client_address(request)
    user_id = get_user_model()._default_manager.filter(username=username).values_list("pk", flat=True).first()
    return AuditEvent.objects.create(
        actor=None, actor_label=ip or "?", action=AuditAction.LOGIN_FAILED, object_type=USER_TYPE,
        object_id=str(user_id or ""), object_repr=username, changes={"ip": ip, "locked": locked},
        request_id=current_request_id(),
    )


def lockout_response(request, response=None, credentials=None):
    """The page a locked-out sign-in gets (HTTP 429), in the site layout."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "core/lockout.html", {"minutes": minutes, "limit": settings.AXES_FAILURE_LIMIT},
                  status=429)


@transaction.atomic
def password_change(*, user, password: str, actor) -> None:
    """Set a new password that passes the password rules (AUTH_PASSWORD_VALIDATORS); audited, never logged."""
    django_validation.validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=actor, action=AuditAction.PASSWORD_CHANGE, obj=user)


class MinimumLengthValidator(django_validation.MinimumLengthValidator):
    """Django's length rule with its message in our catalogue (Django's Chinese one lags its English text)."""

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(self.get_error_message(), code="password_too_short",
                                  params={"min_length": self.min_length})

    def get_error_message(self):
        return _("密码太短，至少需要 %(n)d 个字符。") % {"n": self.min_length}

    def get_help_text(self):
        return _("密码至少 %(n)d 个字符。") % {"n": self.min_length}


def password_rules_text() -> str:
    """The password rules in one sentence, for forms and the command line."""
    return _("至少 %(n)d 个字符，不能与用户名或姓名相近，不能是常见密码，也不能全是数字。") % {
        "n": next((v.min_length for v in django_validation.get_default_password_validators()
                   if hasattr(v, "min_length")), 8)}
