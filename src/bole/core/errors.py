"""Error pages (400, 403, 404, 500, CSRF failure) in the site's layout and language, with a way back.

400/403/404 render inside base.html (menu, login). The 500 page is a template of its own that needs no request,
no context processor and no database: it must render when the database is what failed.
Under /api/ the same errors are JSON (`{"detail": ...}`), so a client never parses an HTML page.
"""

from __future__ import annotations

from django.core.exceptions import DisallowedHost
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .params import BadParameter

API_PREFIX = "/api/"


def _titles() -> dict[int, str]:
    return {
        400: _("请求有误"),
        403: _("没有权限"),
        404: _("页面不存在"),
        413: _("请求内容过大"),
        429: _("操作太频繁"),
        500: _("服务器出错"),
    }


def _back(request) -> str:
    """The page the user came from, when it is one of ours (a link back)."""
    referer = request.META.get("HTTP_REFERER", "")
    try:
        host = request.get_host()
    except DisallowedHost:  # the 400 of a forged Host header itself
        return ""
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={host}, require_https=request.is_secure()
    ):
        return referer
    return ""


def error_response(request, status: int, message: str = "") -> HttpResponse:
    """A JSON error under /api/, else the error page with the message."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": message or _titles().get(status, "")}, status=status)
    context = {
        "status": status,
        "title": _titles().get(status, ""),
        "message": message,
        "back": _back(request),
    }
    template = f"{status}.html" if status in {400, 403, 404} else "400.html"
    return HttpResponse(loader.render_to_string(template, context, request), status=status)


def bad_request(request, exception=None):
    """handler400: the message of our own BadParameter is shown; other 400s (a forged Host header, a too-large
    form) get the plain text, as their messages are not written for users."""
    message = str(exception) if isinstance(exception, BadParameter) else ""
    return error_response(request, 400, message)


def permission_denied(request, exception=None):
    """handler403: the reason when a service gave one in the user's language."""
    message = str(exception) if exception is not None and exception.args else ""
    return error_response(request, 403, message)


def page_not_found(request, exception=None):
    return error_response(request, 404)


def server_error(request):
    """handler500: the standalone 500 page (no context processors: the database may be down)."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": _("服务器出错")}, status=500)
    return HttpResponse(loader.get_template("500.html").render(), status=500)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: an expired or missing form token, explained."""
    return error_response(request, 403, _("表单已过期或来源无法验证，请返回上一页刷新后重新提交。"))
