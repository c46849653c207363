"""Per-request context (request id, acting user) that services read without threading it through."""

import contextvars
import uuid

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("bole_request_id", default="")


def current_request_id() -> str:
    """The id of the request being served, or a fresh one for scripts and jobs."""
    rid = request_id_var.get()
    if not rid:
        rid = "job-" + uuid.uuid4().hex[:12]
        request_id_var.set(rid)
    return rid
