"""Pages: organiser set-up, QR sheet, phone ballot, judge sheets, big screen, results and export — with scope."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.conf import settings
from django.urls import reverse

from bole.evaluation import services
from bole.evaluation.models import Ballot, BallotToken, Evaluation, QueuedBallot

from .conftest import answers_for


def _token(ev, code="leader"):
    return BallotToken.objects.filter(evaluation=ev, group__code=code, used=False).values_list("token", flat=True)[0]


def _ballot_post(ev, base=8):
    data = {}
    for (sid, cid), v in answers_for(ev, base).items():
        data[f"s{sid}_c{cid}"] = "x" if v is None else str(int(v))
    return data


def test_admin_creates_and_sets_up_an_evaluation(login, county):
    client = login("admin")
    resp = client.post(reverse("evaluation-create"), {"name": "新测评", "kind": "ballot", "subject_kind": "person",
                                                       "trim_k": 1, "allow_unknown": "on"})
    ev = Evaluation.objects.get(name="新测评")
    assert resp.status_code == 302 and resp.url == reverse("evaluation-detail", args=[ev.pk])
    client.post(reverse("evaluation-add", args=[ev.pk, "criterion"]), {"name": "德", "max_score": 10, "weight": 1})
    client.post(reverse("evaluation-add", args=[ev.pk, "group"]), {"code": "peer", "weight": 1, "expected_count": 5})
    client.post(reverse("evaluation-add", args=[ev.pk, "subject"]), {"person_q": "张三"})
    client.post(reverse("evaluation-tokens", args=[ev.pk]), {"group": ev.groups.get().pk, "count": 5})
    client.post(reverse("evaluation-transition", args=[ev.pk]), {"to": "open"})
    ev.refresh_from_db()
    assert ev.status == "open" and ev.subjects.get().person == county["zhangsan"]
    page = client.get(reverse("evaluation-detail", args=[ev.pk])).content.decode()
    assert "匿名说明" in page and "回收率" in page and 'hx-trigger="every 5s"' in page


def test_qr_sheet_prints_one_code_per_unused_token(login, ballot_eval):
    ev = ballot_eval["ev"]
    page = login("admin").get(reverse("evaluation-tokens-print", args=[ev.pk])).content.decode()
    assert page.count('class="qr-card"') == 10
    assert page.count("data:image/svg+xml") == 10
    assert reverse("evaluation-ballot", args=[_token(ev)]) in page


def test_ballot_page_accepts_once_then_refuses(client, ballot_eval):
    ev = ballot_eval["ev"]
    token = _token(ev)
    url = reverse("evaluation-ballot", args=[token])
    page = client.get(url)
    assert page.status_code == 200 and "提交选票" in page.content.decode() and "不了解" in page.content.decode()
    done = client.post(url, _ballot_post(ev))
    assert done.status_code == 200 and "投票成功" in done.content.decode()
    again = client.get(url)
    assert again.status_code == 410 and "已经使用过" in again.content.decode()
    assert client.post(url, _ballot_post(ev)).status_code == 410
    assert QueuedBallot.objects.filter(evaluation=ev).count() == 1
    assert not Ballot.objects.filter(evaluation=ev).exists()  # until the mixer moves it


def test_incomplete_ballot_is_returned_with_a_message(client, ballot_eval):
    ev = ballot_eval["ev"]
    url = reverse("evaluation-ballot", args=[_token(ev)])
    data = _ballot_post(ev)
    data.pop(next(iter(data)))
    resp = client.post(url, data)
    assert resp.status_code == 400 and "请对每位对象" in resp.content.decode()
    assert not QueuedBallot.objects.exists() and not Ballot.objects.exists()


def test_unknown_token_and_closed_evaluation(client, ballot_eval, users):
    assert client.get(reverse("evaluation-ballot", args=["no-such-token"])).status_code == 404
    ev = ballot_eval["ev"]
    services.evaluation_transition(evaluation=ev, to="closed", actor=users["admin"])
    resp = client.get(reverse("evaluation-ballot", args=[_token(ev)]))
    assert resp.status_code == 403 and "已结束" in resp.content.decode()


def test_results_hidden_until_closed(login, ballot_eval, users):
    ev = ballot_eval["ev"]
    client = login("admin")
    for _i in range(3):
        services.ballot_submit(token=_token(ev), answers=answers_for(ev, 9))
    page = client.get(reverse("evaluation-results", args=[ev.pk])).content.decode()
    assert "结果暂不显示" in page
    assert "已收选票 3 张：已混洗存入 0 张，等待混洗 3 张" in page
    rates = client.get(reverse("evaluation-rates", args=[ev.pk])).content.decode()
    assert "已收选票 3 张，其中 3 张等待混洗" in rates
    detail = client.get(reverse("evaluation-detail", args=[ev.pk])).content.decode()
    assert "其中 3 张等待混洗" in detail and f"每满 {settings.BOLE_BALLOT_MIX_MIN} 张（测评结束时全部）" in detail
    assert client.get(reverse("evaluation-export", args=[ev.pk])).status_code == 404
    services.evaluation_transition(evaluation=ev, to="closed", actor=users["admin"])
    page = client.get(reverse("evaluation-results", args=[ev.pk])).content.decode()
    assert "哪种计分规则更公平" in page and "raters-1" in page and "90%区间" in page
    assert "已收选票 3 张：已混洗存入 3 张，等待混洗 0 张" in page
    xlsx = client.get(reverse("evaluation-export", args=[ev.pk]))
    ws = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    header = [c.value for c in ws[1]]
    assert header[:3] == ["名次", "测评对象", "单位"] and "最终得分" in header
    assert ws.cell(row=2, column=2).value == "张三"


def test_other_towns_admin_cannot_see(login, ballot_eval):
    ev = ballot_eval["ev"]  # organised by 武康街道党工委
    client = login("town2")
    assert client.get(reverse("evaluation-detail", args=[ev.pk])).status_code == 404
    assert client.get(reverse("evaluation-tokens-print", args=[ev.pk])).status_code == 404
    assert client.get(reverse("evaluation-results", args=[ev.pk])).status_code == 404
    assert "2024年度民主测评" not in client.get(reverse("evaluation-list")).content.decode()
    own = login("town1")
    assert own.get(reverse("evaluation-detail", args=[ev.pk])).status_code == 200


def test_subject_sees_only_own_row_once_published(login, ballot_eval, users):
    ev = ballot_eval["ev"]
    for _i in range(3):
        services.ballot_submit(token=_token(ev), answers=answers_for(ev, 9))
    services.evaluation_transition(evaluation=ev, to="closed", actor=users["admin"])
    client = login("cadre")  # 张三, a subject
    page = client.get(reverse("evaluation-results", args=[ev.pk])).content.decode()
    assert "结果尚未公布" in page
    services.evaluation_transition(evaluation=ev, to="published", actor=users["admin"])
    page = client.get(reverse("evaluation-results", args=[ev.pk])).content.decode()
    assert "张三" in page and "王五" not in page
    assert "已收选票" not in page  # ballot counts are for organisers
    assert "我的测评结果" in client.get(reverse("evaluation-list")).content.decode()


def test_judge_scores_on_pages_and_screen_shows_progress(client, contest, judges, login):
    ev = contest["ev"]
    c1, c2 = contest["criteria"]
    s = contest["subjects"][2]
    client.force_login(judges["judge2"])
    page = client.get(reverse("evaluation-judge-event", args=[ev.pk])).content.decode()
    assert "待评" in page
    resp = client.post(reverse("evaluation-judge-subject", args=[ev.pk, s.pk]), {f"c{c1.pk}": "17", f"c{c2.pk}": "8"})
    assert resp.status_code == 302
    page = client.get(reverse("evaluation-judge-subject", args=[ev.pk, s.pk])).content.decode()
    assert 'value="17.0"' in page
    # judge1 may not score a contestant from the own unit, even by posting directly
    client.force_login(judges["judge1"])
    own = contest["subjects"][0]
    client.post(reverse("evaluation-judge-subject", args=[ev.pk, own.pk]), {f"c{c1.pk}": "20", f"c{c2.pk}": "10"})
    assert not own.judge_scores.exists()
    # a judge cannot open another event's pages nor the organiser's pages
    assert client.get(reverse("evaluation-screen", args=[ev.pk])).status_code == 404
    admin = login("admin")
    board = admin.get(reverse("evaluation-screen-board", args=[ev.pk])).content.decode()
    assert "已评" in board and "17" not in board  # scores stay hidden until revealed
    admin.post(reverse("evaluation-reveal", args=[ev.pk, s.pk]), {"revealed": "1"})
    board = admin.get(reverse("evaluation-screen-board", args=[ev.pk])).content.decode()
    assert "82.5" in board  # 17/20 → 85 and 8/10 → 80 on the 0–100 scale, equal weights
    screen = admin.get(reverse("evaluation-screen", args=[ev.pk])).content.decode()
    assert 'hx-trigger="every 3s"' in screen


def test_judge_submit_locks_scores(client, contest, judges):
    ev = contest["ev"]
    c1, c2 = contest["criteria"]
    client.force_login(judges["judge3"])
    for s in contest["subjects"]:
        client.post(reverse("evaluation-judge-subject", args=[ev.pk, s.pk]), {f"c{c1.pk}": "10", f"c{c2.pk}": "5"})
    client.post(reverse("evaluation-judge-submit", args=[ev.pk]))
    page = client.get(reverse("evaluation-judge-event", args=[ev.pk])).content.decode()
    assert "已提交，不能再修改" in page
    client.post(reverse("evaluation-judge-subject", args=[ev.pk, contest["subjects"][1].pk]), {f"c{c1.pk}": "1", f"c{c2.pk}": "1"})
    assert not contest["subjects"][1].judge_scores.filter(score=1).exists()


@pytest.mark.parametrize("name", ["evaluation-detail", "evaluation-results", "evaluation-tokens-print",
                                  "evaluation-screen", "evaluation-export", "evaluation-rates"])
def test_anonymous_users_are_sent_to_login(client, ballot_eval, name):
    resp = client.get(reverse(name, args=[ballot_eval["ev"].pk]))
    assert resp.status_code == 302 and "/login/" in resp.url


def test_organiser_page_with_subjects_and_judges_without_unit(client, users):
    """A contest of projects (subjects named, no unit) and an outside judge (no unit) renders, with a dash."""
    from bole.evaluation import services

    admin = users["admin"]
    ev = services.evaluation_create(actor=admin, name="项目路演", kind="contest")
    services.criterion_add(evaluation=ev, name="创新", max_score=10, actor=admin)
    services.subject_add(evaluation=ev, label="智慧养老项目", actor=admin)
    client.force_login(admin)
    resp = client.get(f"/evaluation/{ev.pk}/")
    assert resp.status_code == 200
    assert "智慧养老项目" in resp.content.decode() and "<td>—</td>" in resp.content.decode()
