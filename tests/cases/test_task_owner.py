"""Who answers for a co-unit sub-task: named by the desk on assignment or by the co-unit, checked and audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bole.cases import services
from bole.cases.models import CaseTask
from bole.core.models import AuditEvent


def _assigned(new_case, users, county, **co):
    admin = users["admin"]
    case = services.case_transition(case=new_case(), action="accept", actor=admin)
    return services.case_transition(case=case, action="assign", actor=admin, lead_unit=county["u1"],
                                    co_units=[{"unit": county["u2"], "description": "核实舞阳段权属", **co}])


def test_desk_names_the_co_unit_owner_on_assignment(new_case, users, county):
    with pytest.raises(ValidationError, match="协办责任人须是协办单位的在册人员"):
        _assigned(new_case, users, county, owner=county["zhangsan"])  # 张三 is not in 舞阳街道
    case = _assigned(new_case, users, county, owner=county["wangwu"])
    task = case.tasks.get()
    assert task.owner == county["wangwu"]
    audit = AuditEvent.objects.get(object_type="cases.casetask", object_id=str(task.pk), action="create")
    assert audit.changes["owner"] == [None, county["wangwu"].pk]
    assert case.events.filter(kind="task", note__contains="王五").exists()


def test_co_unit_names_and_changes_the_owner(new_case, users, county):
    task = _assigned(new_case, users, county).tasks.get()
    assert task.owner is None
    with pytest.raises(PermissionDenied):  # the lead unit is not the co-unit
        services.task_owner_set(task=task, owner=county["zhangsan"], actor=users["town1"])
    services.task_owner_set(task=task, owner=county["wangwu"], actor=users["town2"])
    # the village under the street is part of the co-unit's subtree
    services.task_owner_set(task=task, owner=county["zhaoliu"], actor=users["town2"])
    task.refresh_from_db()
    assert task.owner == county["zhaoliu"]
    changes = [a.changes for a in AuditEvent.objects.filter(object_type="cases.casetask", object_id=str(task.pk),
                                                            action="update").order_by("id")]
    assert changes == [{"owner": [None, county["wangwu"].pk]}, {"owner": [county["wangwu"].pk, county["zhaoliu"].pk]}]
    services.task_complete(task=task, result="已核实", owner=county["wangwu"], actor=users["town2"])
    task.refresh_from_db()
    assert (task.state, task.owner) == ("done", county["wangwu"])
    with pytest.raises(ValidationError, match="已结束"):
        services.task_owner_set(task=task, owner=county["zhaoliu"], actor=users["town2"])


def test_owner_on_the_case_page(new_case, users, county, login):
    admin = login("admin")
    case = services.case_transition(case=new_case(), action="accept", actor=users["admin"])
    page = admin.get(f"/cases/{case.pk}/").content.decode()
    assert 'name="co_owner_q"' in page and 'name="owner_q"' in page
    r = admin.post(f"/cases/{case.pk}/act/", {"action": "assign", "lead_unit": county["u1"].pk,
                                              "owner": county["zhangsan"].pk, "co_unit": county["u2"].pk,
                                              "co_task": "核实", "co_days": 3, "co_owner": county["wangwu"].pk})
    assert r.status_code == 302
    case.refresh_from_db()
    task = case.tasks.get()
    assert (case.owner, task.owner) == (county["zhangsan"], county["wangwu"])
    town2 = login("town2")
    page = town2.get(f"/cases/{case.pk}/").content.decode()
    assert f'name="t{task.pk}-owner_q"' in page and "王五" in page
    town2.post(f"/cases/tasks/{task.pk}/", {"op": "owner", f"t{task.pk}-owner": county["zhaoliu"].pk})
    task.refresh_from_db()
    assert task.owner == county["zhaoliu"]
    # someone outside the co-unit's scope cannot be picked
    town2.post(f"/cases/tasks/{task.pk}/", {"op": "owner", f"t{task.pk}-owner": county["zhangsan"].pk})
    task.refresh_from_db()
    assert task.owner == county["zhaoliu"]
    town2.post(f"/cases/tasks/{task.pk}/", {"op": "complete", f"t{task.pk}-text": "已核实"})
    task.refresh_from_db()
    assert (task.state, task.owner) == ("done", county["zhaoliu"])


def test_owner_through_the_api(new_case, users, county, login):
    admin = login("admin")
    case = services.case_transition(case=new_case(), action="accept", actor=users["admin"])
    r = admin.post(f"/api/v1/cases/{case.pk}/transition/",
                   {"action": "assign", "lead_unit_id": county["u1"].pk,
                    "co_units": [{"unit_id": county["u2"].pk, "description": "协助", "owner_id": county["wangwu"].pk}]},
                   content_type="application/json")
    assert r.status_code == 200, r.content
    task = CaseTask.objects.get(case=case)
    assert task.owner == county["wangwu"]
    r = login("town2").post(f"/api/v1/cases/tasks/{task.pk}/", {"op": "owner", "owner_id": county["zhaoliu"].pk},
                            content_type="application/json")
    assert r.status_code == 200 and r.json()["owner_id"] == county["zhaoliu"].pk
