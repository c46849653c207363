"""The challenge page and the panel API read the panel's verdicts with a fixed number of queries."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bole.challenges import selectors, services
from bole.challenges.models import Challenge
from bole.evaluation.selectors import signoff_verdict

from .conftest import TODAY


def _delivered(make_challenge, drive, extra: int) -> Challenge:
    """A delivered challenge with 2 + `extra` submitted milestones, a panel of two, and the first signed."""
    ch = make_challenge()
    for i in range(extra):
        services.milestone_add(challenge=ch, title=f"节点{i}", due_date=TODAY + dt.timedelta(days=50 + i),
                               actor=drive.pub)
    drive.panel(ch)
    ch = drive.reach(ch, "delivered")
    first = ch.milestones.order_by("due_date").first()
    qian, wang = drive.panel(ch)
    services.milestone_signoff(milestone=first, seat=qian, verdict="pass", actor=drive.pub)
    services.milestone_signoff(milestone=first, seat=wang, verdict="fail", opinion="用地未摘牌", actor=drive.pub)
    return Challenge.objects.get(pk=ch.pk)


def _count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_detail_context_queries_do_not_grow_with_milestones(db, make_challenge, drive):
    small = _delivered(make_challenge, drive, extra=0)
    big = _delivered(make_challenge, drive, extra=4)
    assert _count(lambda: selectors.detail_context(challenge=small)) == \
        _count(lambda: selectors.detail_context(challenge=big))
    ctx = selectors.detail_context(challenge=big)
    assert len(ctx["milestones"]) == 6
    for m in ctx["milestones"]:  # the same verdicts as reading each milestone on its own
        assert m.verdict == signoff_verdict(subject=m.panel_subject, seats=ctx["panel"])
    signed = ctx["milestones"][0]
    assert [(s.judge.name, s.verdict) for s in signed.current_signoffs] == [("钱七", "pass"), ("王五", "fail")]
    assert (signed.verdict.signed, signed.verdict.failed) == (2, 1)


def test_panel_api_queries_do_not_grow_with_milestones(client, make_challenge, drive):
    small = _delivered(make_challenge, drive, extra=0)
    big = _delivered(make_challenge, drive, extra=4)
    client.force_login(drive.pub)
    counts = []
    for ch in (small, big):
        with CaptureQueriesContext(connection) as ctx:
            resp = client.get(f"/api/v1/challenges/{ch.pk}/panel/")
        assert resp.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    verdicts = resp.json()["verdicts"]
    assert len(verdicts) == 6
    assert [(v["signed"], v["failed"]) for v in verdicts][:1] == [(2, 1)]
