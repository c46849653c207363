"""The contest big screen: the published score under the contest's rule, judges by seat number, no host controls;
the host drives it from a page of its own."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bole.evaluation import services
from bole.evaluation.models import EventJudge

SEAT_NAMES = ("甲评审", "乙评审", "丙评审")
# (judge, subject) → (党建引领 /20, 现场表现 /10). judge1 is lenient and may not score subject 0 (own unit), so
# the correction for judges' severity moves subject 0's score away from the plain average.
SCORES = {
    0: {1: (19, 9), 2: (18, 9), 3: (17, 8)},
    1: {0: (15, 7), 1: (14, 7), 2: (13, 6), 3: (12, 6)},
    2: {0: (12, 5), 1: (11, 5), 2: (10, 4), 3: (9, 4)},
}


@pytest.fixture
def scored(contest, judges):
    """Every judge has scored and submitted; the seats carry names that must never reach the screen."""
    (c1, c2), subjects, seats = contest["criteria"], contest["subjects"], contest["seats"]
    for seat, name in zip(seats, SEAT_NAMES, strict=True):
        EventJudge.objects.filter(pk=seat.pk).update(name=name)
    for j, row in SCORES.items():
        seat = EventJudge.objects.get(pk=seats[j].pk)
        actor = judges[f"judge{j + 1}"]
        for s, (a, b) in row.items():
            services.judge_scores_save(seat=seat, subject=subjects[s], scores={c1.pk: a, c2.pk: b}, actor=actor)
        services.judge_submit(seat=seat, actor=actor)
    return contest


def _board(client, ev, **params):
    return client.get(reverse("evaluation-screen-board", args=[ev.pk]), params).content.decode()


def test_screen_shows_the_published_corrected_score_not_the_plain_average(scored, login, users):
    ev, first = scored["ev"], scored["subjects"][0]
    admin = login("admin")
    admin.post(reverse("evaluation-reveal", args=[ev.pk, first.pk]), {"revealed": "1"})
    live = _board(admin, ev)
    assert "按评委宽严程度校正后的平均分" in live and "全部评完后以公布的结果为准" in live
    services.evaluation_transition(evaluation=ev, to="closed", actor=users["admin"])
    row = ev.results.get(is_current=True).rows.get(subject=first)
    plain = f"{row.raw_mean:.2f}"
    official = f"{row.final_score:.2f}"
    assert plain != official  # the correction changes this contestant's score
    board = _board(admin, ev)
    assert official in board and plain not in board
    assert official in live  # while open the screen ran the very computation that closing stored
    assert "全部评完后以公布的结果为准" not in board
    results = admin.get(reverse("evaluation-results", args=[ev.pk])).content.decode()
    assert official in results


def test_trimmed_rule_is_named_in_plain_chinese(scored, login):
    ev = scored["ev"]
    type(ev).objects.filter(pk=ev.pk).update(rule="trimmed_mean", trim_k=1)
    admin = login("admin")
    admin.post(reverse("evaluation-reveal", args=[ev.pk, scored["subjects"][1].pk]), {"revealed": "1"})
    board = _board(admin, ev)
    assert "去掉一个最高分和一个最低分后的平均分" in board
    # subject 1: totals 90, 70, 52.5 → the middle one alone is left
    assert "70.00" in board


def test_projected_screen_names_no_judge_and_has_no_host_controls(scored, login):
    ev = scored["ev"]
    admin = login("admin")
    for s in scored["subjects"]:
        admin.post(reverse("evaluation-reveal", args=[ev.pk, s.pk]), {"revealed": "1"})
    screen = admin.get(reverse("evaluation-screen", args=[ev.pk])).content.decode()
    board = _board(admin, ev)
    projected = screen[screen.index('<section class="screen">'):]  # the site's menu is hidden on the screen
    assert "隐藏" not in screen and "/reveal/" not in screen
    for page in (projected, board):
        assert all(name not in page for name in SEAT_NAMES)
        assert "评委1" in page and "评委3" in page
        assert "隐藏" not in page and "亮分" not in page
        assert "/reveal/" not in page and "<button" not in page
    assert 'hx-trigger="every 3s"' in screen


def test_rank_order_on_request(scored, login):
    ev, subjects = scored["ev"], scored["subjects"]
    admin = login("admin")
    for s in subjects:
        admin.post(reverse("evaluation-reveal", args=[ev.pk, s.pk]), {"revealed": "1"})
    by_draw = _board(admin, ev)
    by_rank = _board(admin, ev, order="rank")
    labels = [s.label for s in subjects]
    assert [by_draw.index(lab) for lab in labels] == sorted(by_draw.index(lab) for lab in labels)
    assert "名次" in by_rank
    # subject 3 scores lowest from every judge who scored it: it comes last in rank order
    assert by_rank.index(labels[3]) > max(by_rank.index(lab) for lab in labels[:3])
    screen = admin.get(reverse("evaluation-screen", args=[ev.pk]), {"order": "rank"}).content.decode()
    assert "?order=rank" in screen  # the polling keeps the order


def test_host_page_reveals_and_is_refused_to_others(scored, login, client, judges):
    ev, s = scored["ev"], scored["subjects"][2]
    url = reverse("evaluation-screen-host", args=[ev.pk])
    admin = login("admin")
    page = admin.get(url).content.decode()
    assert "亮分" in page and reverse("evaluation-reveal", args=[ev.pk, s.pk]) in page
    resp = admin.post(reverse("evaluation-reveal", args=[ev.pk, s.pk]), {"revealed": "1"})
    assert resp.status_code == 302 and resp.url == url
    assert "隐藏" in admin.get(url).content.decode()
    hx = admin.post(reverse("evaluation-reveal", args=[ev.pk, s.pk]), {"revealed": "0"}, HTTP_HX_REQUEST="true")
    assert "亮分" in hx.content.decode()
    for who in ("town2", "cadre"):
        assert login(who).get(url).status_code in (403, 404)
    client.force_login(judges["judge2"])
    assert client.get(url).status_code in (403, 404)
