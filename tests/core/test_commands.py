"""The `bole` subcommands a department uses from the shell."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from bole.core.models import ApiToken
from bole.org.models import Account, Person


def test_createuser_with_scope_and_token(county):
    call_command("createuser", "wk", role="unit_admin", scope="330521001", password="pass-1234-word")
    account = Account.objects.get(user__username="wk")
    assert account.role == "unit_admin" and account.region.code == "330521001"
    out = io.StringIO()
    call_command("token", "wk", stdout=out)
    raw = out.getvalue().strip()
    assert raw.startswith("bole_") and ApiToken.objects.filter(digest=ApiToken.digest_of(raw)).exists()


def test_createuser_rejects_unknown_scope(county):
    with pytest.raises(CommandError):
        call_command("createuser", "x", role="unit_admin", scope="999999")


def test_export_then_import_dry_run_round_trip(users, tmp_path):
    path = tmp_path / "people.xlsx"
    call_command("export", "people", str(path))
    ws = load_workbook(path).active
    assert ws.max_row == 1 + Person.objects.count()
    out = io.StringIO()
    call_command("import", "people", str(path), dry_run=True, update=True, stdout=out)
    assert "新增 0" in out.getvalue() and "未变化 5" in out.getvalue()


def test_import_with_errors_fails_and_writes_nothing(users, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["姓名", "身份证号", "所在单位"])
    wb.active.append(["错号", "123", "武康街道党工委"])
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    before = Person.objects.count()
    with pytest.raises(CommandError, match="1 处错误"):
        call_command("import", "people", str(path), stderr=io.StringIO())
    assert Person.objects.count() == before


def test_seed_demo_reproduces_the_figures_with_valid_identifiers(db):
    from bole.org.demo import seed_registers
    from bole.org.models import Enterprise, Region
    from bole.org.validators import clean_credit_code, clean_id_number

    counts = seed_registers(scale=1, seed=11, actor=None)
    deqing = Person.objects.filter(unit__region__code__startswith="330521")
    assert deqing.filter(is_section_leader=True).count() == 646
    assert deqing.count() == 5000 and Enterprise.objects.filter(region__code__startswith="330521").count() == 1500
    wuxing = Person.objects.filter(unit__region__code__startswith="330502")
    assert counts["people"] == 5000 + wuxing.count() and wuxing.count() == 3000
    assert counts["section_leaders"] == 646 + 400 and counts["enterprises"] == 1500 + 900
    assert 200 <= counts["units"] <= 260
    for idn in Person.objects.values_list("id_number", flat=True)[:500]:
        assert clean_id_number(idn) == idn
    for code in Enterprise.objects.values_list("credit_code", flat=True)[:500]:
        assert clean_credit_code(code) == code
    city = Region.objects.get(code="330500")
    assert city.level == "city" and city.parent is None
    assert set(city.children.values_list("name", flat=True)) == {"吴兴区", "德清县"}
    towns = set(Region.objects.filter(level="town", code__startswith="330521").values_list("name", flat=True))
    assert {"武康街道", "莫干山镇", "新市镇", "钟管镇"} <= towns
    assert Region.objects.get(code="330521001").name == "武康街道"
    assert {"上杨村", "勤勤村", "曲溪村", "宋市村"} <= set(Region.objects.values_list("name", flat=True))
    wuxing_towns = set(Region.objects.filter(level="town", code__startswith="330502").values_list("name", flat=True))
    assert wuxing_towns == {"爱山街道", "飞英街道", "月河街道", "朝阳街道", "龙泉街道", "康山街道", "仁皇山街道", "滨湖街道",
                            "杨家埠街道", "环渚街道", "织里镇", "八里店镇", "妙西镇", "埭溪镇", "东林镇", "道场乡"}
    assert Region.objects.get(name="闻波社区").parent.name == "朝阳街道"
    assert Region.objects.get(name="伍浦村").parent.name == "织里镇"


def test_worker_once_runs_every_apps_periodic_jobs(users):
    from bole.core.models import PeriodicRun

    out = io.StringIO()
    call_command("worker", once=True, stdout=out)
    assert "cases.sweep: ok" in out.getvalue() and "core.sessions: ok" in out.getvalue()
    runs = {r.name: r for r in PeriodicRun.objects.all()}
    assert runs["core.sessions"].last_result == "{'deleted': 0}"
    assert runs["evaluation.mix"].last_result == "{'batches': 0, 'mixed': 0, 'waiting': 0}"
    assert all(r.ok and r.last_finished for r in runs.values())


def test_the_sessions_job_removes_expired_sessions_only(client, users):
    from django.contrib.sessions.backends.base import SessionBase

    from bole.core.jobs import clear_sessions
    from bole.core.models import Session

    client.force_login(users["admin"])
    live = Session.objects.get()
    Session.objects.create(session_key="e" * 32, session_data=SessionBase().encode({}),
                           expire_date="2001-01-01T00:00:00Z")
    assert clear_sessions() == {"deleted": 1}
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]

