"""The acceptance panel's verdict on a milestone (验收): the one place that decides whether sign-offs suffice.

The panel is modelled in this app (members, conflict declarations, sign-offs per submission) because the
evaluation app's judged events score contestants on criteria with judge accounts; a milestone sign-off is
a pass/fail verdict by named officials. ``panel_verdict`` is the seam: an evaluation-backed panel can
replace it without touching the challenge workflow.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .choices import Verdict
from .models import Milestone, PanelMember, Signoff


@dataclass(frozen=True)
class PanelVerdict:
    """Whether a milestone's current submission is accepted, with who is still to sign and why not."""

    passed: bool
    eligible: int
    signed: int
    failed: int
    waiting: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def panel_verdict(milestone: Milestone) -> PanelVerdict:
    """Every member without a declared conflict must sign the current submission, and all must pass."""
    members = list(PanelMember.objects.filter(challenge_id=milestone.challenge_id).select_related("person"))
    eligible = [m for m in members if not m.conflict]
    verdicts = dict(Signoff.objects.filter(milestone=milestone, attempt=milestone.attempt)
                    .values_list("member_id", "verdict"))
    waiting = [m.person.name for m in eligible if m.pk not in verdicts]
    failed = sum(1 for m in eligible if verdicts.get(m.pk) == Verdict.FAIL)
    signed = sum(1 for m in eligible if m.pk in verdicts)
    reasons = []
    if not eligible:
        reasons.append(_("验收组没有可签署的成员（未组建或全部回避）"))
    if waiting:
        reasons.append(_("尚未签署：%(names)s") % {"names": "、".join(waiting)})
    if failed:
        reasons.append(_("%(n)s 名成员意见为不通过") % {"n": failed})
    return PanelVerdict(passed=not reasons, eligible=len(eligible), signed=signed, failed=failed,
                        waiting=waiting, reasons=reasons)
