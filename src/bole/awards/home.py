"""担当之星 on the home page (the `tiles` hook): the rounds' nominations to review and objections to answer."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from .choices import NominationStatus, ObjectionStatus, RoundStatus
from .models import Nomination, Objection
from .permissions import policy
from .selectors import round_list


def waiting(user) -> list[dict]:
    """待办 for those who run the rounds: nominations in rounds under review, objections during publicity."""
    if not policy.may(user, "manage"):
        return []
    rounds = round_list(user=user)
    url = reverse("awards-list")
    return [
        {"label": _("担当之星提名待评审"), "count": Nomination.objects.filter(
            round__in=rounds.filter(status=RoundStatus.REVIEWING).values("pk"),
            status=NominationStatus.SUBMITTED).count(), "url": url},
        {"label": _("担当之星异议待答复"), "count": Objection.objects.filter(
            round__in=rounds.values("pk"), status=ObjectionStatus.OPEN).count(), "url": url},
    ]
