"""Give every request an id that audit rows carry, so one action can be traced across records."""

import uuid

from .context import request_id_var


class RequestIdMiddleware:
    """Sets the request id (from X-Request-ID when given) and echoes it in the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = (request.headers.get("X-Request-ID") or "")[:64] or uuid.uuid4().hex
        token = request_id_var.set(rid)
        request.request_id = rid
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = rid
        return response
