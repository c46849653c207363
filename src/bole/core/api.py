"""API plumbing shared by every app: bearer tokens, errors, pagination."""

from __future__ import annotations

import logging
import secrets

from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db import DataError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import ValidationError as SchemaError
from ninja.security import HttpBearer, django_auth

from .models import ApiToken
from .params import MAX_PAGE, BadParameter

logger = logging.getLogger(__name__)


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
    """A page of a queryset plus the counts a client needs; a page past the end is empty (and never asks the
    database for an offset beyond its rows)."""
    page_size = max(1, min(page_size, 500))
    page = max(1, min(page, MAX_PAGE))
    total = qs.count()
    start = (page - 1) * page_size
    if start >= total:
        return total, page, page_size, []
    return total, page, page_size, list(qs[start : start + page_size])


def _schema_errors(errors: list[dict]) -> dict[str, list[str]]:
    """Ninja's validation errors as {field: [message]}, the field named by its place in the request."""
    out: dict[str, list[str]] = {}
    for e in errors:
        loc = [str(x) for x in e.get("loc", ()) if x not in {"body", "query", "path", "payload", "filters", "data"}]
        out.setdefault(".".join(loc) or "__all__", []).append(str(e.get("msg", "")))
    return out


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

    @api.exception_handler(SchemaError)
    def _schema(request, exc):
        # A parameter or body that does not match the schema is the client's error: 400, as everywhere.
        return api.create_response(
            request, {"detail": _("请求参数无效"), "errors": _schema_errors(exc.errors)}, status=400
        )

    @api.exception_handler(BadParameter)
    def _bad_parameter(request, exc):
        return api.create_response(request, {"detail": str(exc)}, status=400)

    @api.exception_handler(BadRequest)
    def _bad_request(request, exc):
        return api.create_response(request, {"detail": _("请求有误")}, status=400)

    @api.exception_handler(DataError)
    def _data_error(request, exc):
        # A value the schema let through but the database cannot hold (a number or time beyond its range): the
        # client's input, refused. Logged, as the schema type that should have refused it is missing.
        logger.warning("API input refused by the database: %s %s: %s", request.method, request.path, exc)
        return api.create_response(request, {"detail": _("数据超出允许的范围")}, status=400)

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
