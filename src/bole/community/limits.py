"""How often the public stairwell form (QR code, no login) may create requests: each creates a case and notifies
the adopter, so a script must not be able to post hundreds. Counted per client address and per stairwell, in the
database (`bole.core.ratelimit`), so every server process shares the counts."""

from __future__ import annotations

from bole.core.ratelimit import Limit, client_address, rate_allow

# A resident files one or two requests at a time; a stairwell hears from a few households an hour at most.
PER_CLIENT = Limit("stairwell-client", hits=5, seconds=600)
PER_STAIRWELL = Limit("stairwell", hits=10, seconds=3600)


def resident_post_allowed(request, stairwell) -> bool:
    """Count one request about to be filed; False when the client or the stairwell is over its limit (a client
    already refused is not counted against the stairwell)."""
    if not rate_allow(client_address(request), PER_CLIENT):
        return False
    return rate_allow(str(stairwell.pk), PER_STAIRWELL)
