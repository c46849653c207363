"""API plumbing shared by every app: bearer tokens, errors, pagination."""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import NinjaAPI, Schema
from ninja.security import HttpBearer, django_auth

from .models import ApiToken


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`; tokens are issued by `bole token NAME`."""

    def authenticate(self, request, token):
        row = ApiToken.objects.select_related("user", "user__account").filter(
            digest=ApiToken.digest_of(token), is_active=True, user__is_active=True
        ).first()
        if row is None:
            return None
        now = timezone.now()
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 300:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user


def token_issue(*, user) -> str:
    """A new API token for a user; only its digest is stored, the raw value is shown once."""
    raw = "bole_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, digest=ApiToken.digest_of(raw), prefix=raw[5:13])
    return raw


class Page(Schema):
    """Base of every paginated response; subclasses add `results`."""

    count: int
    page: int
    page_size: int


def paginate(qs, page: int, page_size: int):
    """A page of a queryset plus the counts a client needs."""
    page_size = max(1, min(page_size, 500))
    page = max(1, page)
    total = qs.count()
    start = (page - 1) * page_size
    return total, page, page_size, list(qs[start : start + page_size])


def build_api() -> NinjaAPI:
    api = NinjaAPI(
        title="Bole 伯乐 API",
        version="1",
        description="Registers and mechanisms of the Bole platform. Authenticate with `Authorization: Bearer <token>`.",
        auth=[BearerToken(), django_auth],
        openapi_url="/openapi.json",
        docs_url="/docs",
        urls_namespace="api",
    )

    @api.exception_handler(ValidationError)
    def _validation(request, exc):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return api.create_response(request, {"detail": "invalid", "errors": detail}, status=400)

    @api.exception_handler(PermissionDenied)
    def _forbidden(request, exc):
        return api.create_response(request, {"detail": "forbidden"}, status=403)

    @api.exception_handler(Http404)
    def _missing(request, exc):
        return api.create_response(request, {"detail": "not found"}, status=404)

    return api
