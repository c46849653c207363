"""Per-request context (request id, acting user) that services read without threading it through."""

import contextvars
import uuid

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("bole_request_id", default="")
# The X-Request-ID a client or proxy sent, kept apart from ours (audit rows carry both).
client_request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("bole_client_request_id", default="")


def current_request_id() -> str:
    """The id of the request being served, or a fresh one for scripts and jobs."""
    rid = request_id_var.get()
    if not rid:
        rid = "job-" + uuid.uuid4().hex[:12]
        request_id_var.set(rid)
    return rid


def current_client_request_id() -> str:
    """The request id the client sent with the request being served ("" if none)."""
    return client_request_id_var.get()
