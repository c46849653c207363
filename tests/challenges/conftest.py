"""A challenge published by 武康街道 with two milestones, and helpers that drive it through its states."""

from __future__ import annotations

import datetime as dt

import pytest

TODAY = dt.date(2026, 5, 10)


@pytest.fixture
def cadre2(county):
    """A second cadre account (李四)."""
    from bole.org.services import account_create

    return account_create(username="cadre2", role="cadre", scope=county["lisi"].id_number, password="pass-1234-word",
                          actor=None)


@pytest.fixture
def make_challenge(county, users):
    """A draft challenge of 武康街道党工委 (points 10, two milestones of 3 and 2 points)."""
    from bole.challenges import services

    def _make(*, per_milestone: bool = False, team: bool = False, actor=None, points=10):
        return services.challenge_create(
            actor=actor or users["town1"], publisher_unit=county["u1"], title="引进一个亿元以上制造业项目",
            field="investment", goal="年内签约亿元以上制造业项目一个", criteria="签约并完成土地摘牌",
            apply_until=TODAY + dt.timedelta(days=10), deadline=TODAY + dt.timedelta(days=120),
            incentive_points=points, incentive_text="同等条件下优先提拔使用", pay_per_milestone=per_milestone,
            team_allowed=team,
            milestones=[{"title": "签订投资协议", "due_date": TODAY + dt.timedelta(days=40), "points": 3},
                        {"title": "完成土地摘牌", "due_date": TODAY + dt.timedelta(days=100), "points": 2}],
        )

    return _make


class Driver:
    """Moves a challenge to a given state through the real services."""

    def __init__(self, county, users):
        self.county, self.users = county, users
        self.pub = users["town1"]

    def publish(self, ch):
        from bole.challenges.services import challenge_transition

        challenge_transition(challenge=ch, to="published", actor=self.pub, on=TODAY)

    def award(self, ch, person_key="zhangsan", actor_key="cadre"):
        from bole.challenges import services

        app = services.challenge_apply(challenge=ch, person=self.county[person_key], plan="三步走", on=TODAY,
                                       actor=self.users[actor_key])
        services.application_transition(application=app, to="shortlisted", actor=self.pub)
        services.challenge_award(challenge=ch, applications=[app], actor=self.pub, on=TODAY)

    def start(self, ch):
        from bole.challenges.services import challenge_transition

        challenge_transition(challenge=ch, to="in_progress", actor=self.users["cadre"], on=TODAY)

    def submit_all(self, ch, on=TODAY):
        from bole.challenges.services import progress_report

        for m in ch.milestones.exclude(status__in=["submitted", "accepted"]):
            progress_report(challenge=ch, author=self.county["zhangsan"], text="已完成", milestone=m,
                            for_acceptance=True, actor=self.users["cadre"], on=on)

    def panel(self, ch):
        """Seat 钱七 (chair) and 王五 on the acceptance panel; returns the seats."""
        from bole.challenges.acceptance import panel_seats
        from bole.challenges.services import panel_member_add

        ch.refresh_from_db()
        if not panel_seats(ch):
            panel_member_add(challenge=ch, person=self.county["qianqi"], is_chair=True, actor=self.pub)
            panel_member_add(challenge=ch, person=self.county["wangwu"], actor=self.pub)
        return panel_seats(ch)

    def sign_all(self, m, verdict="pass"):
        from bole.challenges import services

        for seat in self.panel(m.challenge):
            if not seat.conflicted:
                services.milestone_signoff(milestone=m, seat=seat, verdict=verdict, actor=self.pub,
                                           opinion="" if verdict == "pass" else "不符合验收标准")

    def accept_milestone(self, m, on=TODAY):
        from bole.challenges import services

        m.refresh_from_db()
        self.sign_all(m)
        services.milestone_transition(milestone=m, to="accepted", actor=self.pub, on=on)

    def accept_all(self, ch):
        for m in ch.milestones.filter(status="submitted"):
            self.accept_milestone(m)

    def reach(self, ch, state: str):
        """Drive a fresh draft challenge to `state`."""
        from bole.challenges.services import challenge_transition

        if state == "draft":
            return ch
        if state == "withdrawn":
            challenge_transition(challenge=ch, to="withdrawn", closure="cancelled", actor=self.pub)
            return ch
        self.publish(ch)
        if state == "published":
            return ch
        self.award(ch)
        if state == "awarded":
            return ch
        self.start(ch)
        if state == "in_progress":
            return ch
        if state == "failed":
            challenge_transition(challenge=ch, to="failed", closure="tolerated", note="尽力未成", actor=self.pub)
            return ch
        self.submit_all(ch)
        challenge_transition(challenge=ch, to="delivered", actor=self.users["cadre"])
        if state == "delivered":
            return ch
        self.accept_all(ch)
        challenge_transition(challenge=ch, to="accepted", actor=self.pub, on=TODAY)
        return ch


@pytest.fixture
def drive(county, users):
    return Driver(county, users)
