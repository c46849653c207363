"""API tokens: issued and revoked by audited services, stored as a SHA-256, refused once expired or revoked.

A token acts as its user: the API applies that user's scope. Users manage their own tokens on 我的账号;
`bole token NAME [--days N] [--label L]` issues one from the shell.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .audit import audit_record
from .auth import ACCOUNT_PATHS
from .choices import AuditAction
from .models import ApiToken

PREFIX = "bole_"


def default_expiry() -> dt.datetime:
    """When a token issued now expires unless told otherwise (BOLE_API_TOKEN_DAYS, 90 by default)."""
    return timezone.now() + dt.timedelta(days=settings.BOLE_API_TOKEN_DAYS)


@transaction.atomic
def api_token_issue(*, user, label: str = "", expires: dt.datetime | None = None, actor) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the raw value, which is shown once and never stored."""
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, label=label.strip(), digest=ApiToken.digest_of(raw), prefix=raw[5:13],
                     expires_at=expires or default_expiry())
    token.full_clean(exclude=["created_at"])
    token.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=token,
                 changes={"user": [None, user.pk], "label": [None, token.label],
                          "expires_at": [None, token.expires_at.isoformat()]})
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor) -> ApiToken:
    """Revoke a token at once; revoking one already revoked changes nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action=AuditAction.DEACTIVATE, obj=token,
                     changes={"revoked_at": [None, token.revoked_at.isoformat()]})
    return token


def api_tokens_of(*, user):
    """A user's own tokens, newest first (revoked and expired ones included, for the record)."""
    return ApiToken.objects.filter(user=user)


def api_token_get(*, user, pk) -> ApiToken:
    """One of the user's own tokens by id; 404 for anyone else's."""
    return get_object_or_404(api_tokens_of(user=user), pk=pk)


def api_token_user(raw: str):
    """The user a presented token acts for, or None (unknown, expired, revoked, or the user inactive).

    Notes when it was last used, at most once every five minutes.
    """
    now = timezone.now()
    token = (ApiToken.objects.select_related("user", *(f"user__{path}" for path in ACCOUNT_PATHS))
             .filter(digest=ApiToken.digest_of(raw), revoked_at__isnull=True, expires_at__gt=now,
                     user__is_active=True).first())
    if token is None:
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
