"""Outbound SMS seam: services hand messages to one configured backend; no provider is wired in here.

`settings.BOLE_SMS_BACKEND` names the backend class (dotted path). The default logs each message, which is
what an intranet without an SMS gateway needs; a county that signs up with a provider adds one class with
`send_messages` and points the setting at it. Tests use `MemorySmsBackend` and read its `outbox`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from .tasks import call_later

DEFAULT_BACKEND = "bole.core.sms.ConsoleSmsBackend"
log = logging.getLogger("bole.sms")


@dataclass(frozen=True)
class SmsMessage:
    """One text to one mobile number."""

    phone: str
    text: str


class SmsBackend(Protocol):
    """What a provider adapter implements: send the messages, return how many were accepted."""

    def send_messages(self, messages: Sequence[SmsMessage]) -> int: ...


def mask_phone(phone: str) -> str:
    """138****5678: logs show whom a text went to without spreading the whole number."""
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 11 else "****"


class ConsoleSmsBackend:
    """Default: writes each message to the `bole.sms` log (masked number) and sends nothing."""

    def send_messages(self, messages: Sequence[SmsMessage]) -> int:
        for m in messages:
            log.info("sms to %s: %s", mask_phone(m.phone), m.text)
        return len(messages)


class MemorySmsBackend:
    """Test double: keeps every message in the class-level `outbox` list."""

    outbox: list[SmsMessage] = []

    def send_messages(self, messages: Sequence[SmsMessage]) -> int:
        type(self).outbox.extend(messages)
        return len(messages)


def sms_backend() -> SmsBackend:
    """An instance of the configured backend."""
    return import_string(getattr(settings, "BOLE_SMS_BACKEND", DEFAULT_BACKEND))()


def sms_send_on_commit(messages: Sequence[SmsMessage]) -> None:
    """Queue texts to go out once the surrounding transaction commits (never for a rolled-back write); a worker
    of the task queue sends them, so a slow gateway never holds up the request.

    A failing gateway must not undo the record that caused the text, so errors are logged, not raised.
    """

    batch = [(m.phone, m.text) for m in messages if m.phone]
    if batch:
        call_later("bole.core.sms.sms_deliver", batch)


def sms_deliver(batch: list[tuple[str, str]]) -> int:
    """The queue's task: hand the texts to the configured backend."""
    try:
        return sms_backend().send_messages([SmsMessage(phone, text) for phone, text in batch])
    except Exception:
        log.exception("sms backend failed for %d messages", len(batch))
        return 0
