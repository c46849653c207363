"""Request plumbing: our own request id for audit rows, and the input guard that refuses what no view can read."""

from __future__ import annotations

import re
import uuid

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

from .context import client_request_id_var, request_id_var
from .errors import error_response
from .params import MAX_DB_INT

_CLIENT_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


class RequestIdMiddleware:
    """Gives every request an id of our own that audit rows carry and the response echoes (X-Request-ID).

    A client's or proxy's X-Request-ID is never taken as ours (it would let a client write what audit rows say);
    a well-formed one is kept apart (`AuditEvent.client_request_id`) to trace a request across systems.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = uuid.uuid4().hex
        sent = request.headers.get("X-Request-ID") or ""
        client = sent if _CLIENT_ID.fullmatch(sent) else ""
        token = request_id_var.set(rid)
        client_token = client_request_id_var.set(client)
        request.request_id = rid
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
            client_request_id_var.reset(client_token)
        response["X-Request-ID"] = rid
        return response


def body_limit(setting: str):
    """Let one view take a request body up to another setting than BOLE_MAX_REQUEST_BYTES (the Excel imports:
    `@body_limit("BOLE_IMPORT_MAX_BYTES")`)."""

    def mark(view):
        view.body_limit_setting = setting
        return view

    return mark


# Room for a multipart body's boundaries and form fields around a file of the allowed size.
_FRAMING_BYTES = 64 * 1024


# A NUL written as a JSON escape (\u0000 after an even number of backslashes): PostgreSQL cannot store it.
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class InputGuardMiddleware:
    """Refuses, before a view or Django's parsers read the body:

    - a body larger than the view's limit (413; `BOLE_MAX_REQUEST_BYTES`, or the setting `@body_limit` names),
      judged by Content-Length, so a 100 MB upload is never read or written to a temporary file;
    - a NUL character in the path, the query string or a form/JSON body (400): no field can hold one and
      PostgreSQL refuses to store it;
    - an id in the path beyond a bigint (404).

    It runs in `process_view` (the limit depends on the view) and must come before CsrfViewMiddleware, whose
    `process_view` reads the form.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        limit = (
            getattr(settings, getattr(view_func, "body_limit_setting", "BOLE_MAX_REQUEST_BYTES"))
            + _FRAMING_BYTES
        )
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return error_response(request, 400, _("请求头 Content-Length 无效"))
        if length > limit:
            return error_response(
                request, 413, _("请求内容过大：上限为 %(mb)s MB") % {"mb": round(limit / 1024 / 1024)}
            )
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            return self._nul(request)
        if any(isinstance(v, int) and not -MAX_DB_INT <= v <= MAX_DB_INT for v in view_kwargs.values()):
            # An id in the path beyond what a database column holds names no record (and would overflow SQL).
            return error_response(request, 404)
        if length and request.method in {"POST", "PUT", "PATCH", "DELETE"}:
            try:
                if self._has_nul(request):
                    return self._nul(request)
            except RequestDataTooBig:  # form fields (not files) beyond DATA_UPLOAD_MAX_MEMORY_SIZE
                return error_response(request, 413, _("表单内容过大"))
            except MultiPartParserError:
                return error_response(request, 400, _("表单格式无效"))
        return None

    @staticmethod
    def _has_nul(request) -> bool:
        ctype = request.content_type or ""
        if ctype == "application/json":
            return bool(_JSON_NUL.search(request.body))
        if ctype in _FORM_TYPES:
            return any("\x00" in v for _name, values in request.POST.lists() for v in values)
        return False

    @staticmethod
    def _nul(request):
        return error_response(request, 400, _("请求中含有无法识别的字符（NUL）"))
