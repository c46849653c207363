"""The data migration carries an existing register over: clear ID numbers and phones encrypted in place, the
ones already in audit rows masked."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("org", "0001_initial"), ("core", "0004_session")]
AFTER = [("org", "0002_personal_data_at_rest")]
IDN = "33052119900308661X"


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_migration_encrypts_people_and_masks_audit_rows():
    from bole.org.validators import id_check_char

    assert id_check_char(IDN[:17]) == IDN[17]
    try:
        old = _migrate(BEFORE)
        Region, Unit, Person = (old.get_model("org", m) for m in ("Region", "Unit", "Person"))
        AuditEvent = old.get_model("core", "AuditEvent")
        region = Region.objects.create(code="330521", name="德清县", level="county", kind="county")
        unit = Unit.objects.create(name="县委组织部", kind="department", region=region, path="/000001/")
        p = Person.objects.create(name="张三", gender="M", birth_date="1990-03-08", id_number=IDN, id_tail="661X",
                                  phone="13912345678", unit=unit)
        Person.objects.create(name="李四", gender="F", birth_date="1990-03-08", id_number="330521199003086629",
                              id_tail="6629", phone="", unit=unit)
        AuditEvent.objects.create(action="create", object_type="org.person", object_id=str(p.pk),
                                  changes={"name": [None, "张三"], "id_number": [None, IDN],
                                           "phone": [None, "13912345678"]})
        AuditEvent.objects.create(action="create", object_type="org.account", object_id="1",
                                  changes={"role": [None, "cadre"], "scope": [None, IDN]})
        AuditEvent.objects.create(action="create", object_type="cases.case", object_id="1",
                                  changes={"submitter_phone": [None, "13800001111"], "title": [None, "漏水"]})

        _migrate(AFTER)
        from bole.core.models import AuditEvent as Event
        from bole.org.models import Person as Current
        from bole.org.models import id_number_digest

        with connection.cursor() as cur:
            cur.execute("SELECT id_number, phone FROM org_person")
            raw = cur.fetchall()
        assert all(idn.startswith("v1:") for idn, _phone in raw) and IDN not in json.dumps(raw)
        person = Current.objects.get(id_digest=id_number_digest(IDN))
        assert (person.id_number, person.phone, person.name) == (IDN, "13912345678", "张三")
        assert Current.objects.get(id_digest=id_number_digest("330521199003086629")).phone == ""
        stored = json.dumps(list(Event.objects.values_list("changes", flat=True)), ensure_ascii=False)
        assert IDN not in stored and "13912345678" not in stored and "13800001111" not in stored
        assert "3305**********661X" in stored and "139****5678" in stored and "漏水" in stored
    finally:
        _migrate(AFTER + [(app, name) for app, name in _leaves() if app != "org"])


def _leaves():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
