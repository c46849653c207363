"""One-per-X rules (one nomination per person and round, one application per challenge and person, ...).

Each rule is a unique constraint in the database; the service still checks first, so the usual answer is its own
clear message. Two requests can both pass that check; the constraint then refuses the second insert, and
`one_per` turns that refusal back into the check's message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction


@contextmanager
def one_per(taken: Callable[[], bool], error: Any) -> Iterator[None]:
    """Run the validation and insert of a one-per-X record in a savepoint; `taken()` is the service's own check.

    When a concurrent request committed the same record after the check, the database refuses the insert
    (IntegrityError), or the model's validation already sees the other record (ValidationError). If `taken()`
    holds now, the caller gets ``ValidationError(error)`` — the check's own message (or a function giving it,
    asked only then) — instead; any other failure goes out unchanged. The savepoint leaves the surrounding
    transaction usable either way.
    """
    try:
        with transaction.atomic():
            yield
    except (IntegrityError, ValidationError) as exc:
        if taken():
            raise ValidationError(error() if callable(error) else error) from exc
        raise
