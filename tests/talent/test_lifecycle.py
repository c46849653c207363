"""The lifecycle state machine: 引进 → 落户 → 服务 → 评价 → (服务 | 离开), checklists gate the stages, 离开 needs a
reason and an exit interview, every move writes the timeline and the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bole.core.models import AuditEvent
from bole.talent import services
from bole.talent.models import Activity, Talent

from .conftest import TODAY


def _tick_all(talent, actor):
    for a in Activity.objects.filter(talent=talent, stage=talent.stage, state="open"):
        services.activity_complete(activity=a, actor=actor)
    talent.refresh_from_db()


def test_new_talent_starts_in_recruit_with_its_checklist(talent):
    assert talent.stage == "recruit" and talent.status == "active"
    items = Activity.objects.filter(talent=talent).order_by("due_on")
    assert [a.name for a in items] == ["签订引才协议", "人才层次认定"]
    assert items[1].due_on == talent.stage_since + dt.timedelta(days=10)
    assert [e.to_stage for e in talent.timeline.all()] == ["recruit"]


def test_open_checklist_blocks_the_next_stage(talent, users):
    with pytest.raises(ValidationError, match="未完成"):
        services.talent_transition(talent=talent, to_stage="settle", actor=users["admin"])


def test_completing_the_checklist_moves_the_lifecycle_on(talent, users):
    _tick_all(talent, users["admin"])
    assert talent.stage == "settle"
    assert set(Activity.objects.filter(talent=talent, stage="settle").values_list("name", flat=True)) == {
        "人才公寓", "子女入学"}
    _tick_all(talent, users["admin"])
    assert talent.stage == "serve"
    assert [e.to_stage for e in talent.timeline.order_by("id")] == ["recruit", "settle", "serve"]
    assert AuditEvent.objects.filter(object_type="talent.talent", object_id=str(talent.pk),
                                     action="transition").count() == 2


def test_skipped_items_count_as_settled(talent, users):
    for a in Activity.objects.filter(talent=talent, stage="recruit"):
        services.activity_complete(activity=a, actor=users["admin"], skip=True)
    talent.refresh_from_db()
    assert talent.stage == "settle"


def test_the_transition_table_refuses_skipping_stages(talent, users):
    with pytest.raises(ValidationError):
        services.talent_transition(talent=talent, to_stage="evaluate", actor=users["admin"])
    with pytest.raises(ValidationError):
        services.talent_transition(talent=talent, to_stage="serve", actor=users["admin"])


def test_evaluation_renews_or_ends(talent, users):
    admin = users["admin"]
    _tick_all(talent, admin)
    _tick_all(talent, admin)
    services.talent_transition(talent=talent, to_stage="evaluate", actor=admin)
    talent.refresh_from_db()
    with pytest.raises(ValidationError, match="未完成"):
        services.talent_transition(talent=talent, to_stage="serve", actor=admin)
    _tick_all(talent, admin)
    services.talent_transition(talent=talent, to_stage="serve", actor=admin, note="续聘三年")
    talent.refresh_from_db()
    assert talent.stage == "serve"


def test_leaving_needs_reason_and_interview_and_is_final(talent, users):
    admin = users["admin"]
    with pytest.raises(ValidationError, match="离开原因"):
        services.talent_transition(talent=talent, to_stage="left", actor=admin)
    with pytest.raises(ValidationError, match="面谈"):
        services.talent_transition(talent=talent, to_stage="left", actor=admin, reason="family", interview=" ")
    services.talent_transition(talent=talent, to_stage="left", actor=admin, reason="family",
                               interview="配偶在杭州工作，家庭团聚。")
    talent.refresh_from_db()
    assert (talent.stage, talent.status, talent.leave_reason, talent.left_on) == ("left", "left", "family", TODAY)
    assert not Activity.objects.filter(talent=talent, state="open").exists()
    for stage in ("recruit", "settle", "serve", "evaluate", "left"):
        with pytest.raises(ValidationError):
            services.talent_transition(talent=talent, to_stage=stage, actor=admin)


def test_status_and_stage_agree_in_the_database(talent):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Talent.objects.filter(pk=talent.pk).update(status="left")


def test_only_scope_staff_move_a_talent(talent, users):
    for name in ("town2", "cadre", "ent"):
        with pytest.raises(PermissionDenied):
            services.talent_transition(talent=talent, to_stage="left", actor=users[name], reason="family",
                                       interview="x")


def test_the_liaison_ticks_items_but_other_people_do_not(talent, users, talent_user):
    a = Activity.objects.filter(talent=talent, state="open").first()
    with pytest.raises(PermissionDenied):
        services.activity_complete(activity=a, actor=talent_user)
    services.activity_complete(activity=a, actor=users["cadre"])  # 张三 is the liaison
    a.refresh_from_db()
    assert a.state == "done"


def test_a_future_date_is_refused(talent, users):
    with pytest.raises(ValidationError):
        services.talent_transition(talent=talent, to_stage="left", actor=users["admin"], reason="family",
                                   interview="x", on=TODAY + dt.timedelta(days=3))
