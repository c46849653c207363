import pytest
from django.core.exceptions import ValidationError

from bole.core.models import AuditEvent
from bole.org import selectors, services
from bole.org.models import Person


def test_create_writes_audit_row_with_after_values(county, users):
    p = county["zhangsan"]
    ev = AuditEvent.objects.get(object_type="org.person", object_id=str(p.pk), action="create")
    assert ev.changes["name"] == [None, "张三"]
    assert p.name_pinyin == "zhangsan" and p.name_initials == "zs" and p.id_tail == p.id_number[-4:]


def test_update_records_only_changed_fields(county, users):
    p = services.person_update(person=county["zhangsan"], actor=users["admin"], position="副镇长", name="张三")
    ev = AuditEvent.objects.filter(object_id=str(p.pk), action="update").get()
    assert ev.changes == {"position": ["", "副镇长"]}
    assert ev.actor == users["admin"]
    services.person_update(person=p, actor=users["admin"], position="副镇长")
    assert AuditEvent.objects.filter(object_id=str(p.pk), action="update").count() == 1


def test_deactivate_keeps_record_and_history(county, users):
    p = services.person_set_active(person=county["lisi"], active=False, actor=users["admin"])
    assert Person.objects.filter(pk=p.pk, is_active=False).exists()
    assert AuditEvent.objects.filter(object_id=str(p.pk), action="deactivate").exists()


def test_audit_rows_cannot_be_changed_or_deleted(county):
    ev = AuditEvent.objects.first()
    with pytest.raises(PermissionError):
        ev.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(actor_label="x")
    ev.actor_label = "tampered"
    with pytest.raises(PermissionError):
        ev.save()


def test_person_id_and_birth_date_must_agree(county, users):
    import datetime as dt

    with pytest.raises(ValidationError) as exc:
        services.person_create(actor=None, name="孙八", id_number=county["lisi"].id_number[:-1] + "0",
                               unit=county["u1"])
    assert "id_number" in exc.value.message_dict
    idn = "11010519491231002X"
    with pytest.raises(ValidationError) as exc:
        services.person_create(actor=None, name="孙八", id_number=idn, unit=county["u1"], birth_date=dt.date(1950, 1, 1))
    assert "birth_date" in exc.value.message_dict


def test_duplicate_id_number_rejected(county):
    with pytest.raises(ValidationError):
        services.person_create(actor=None, name="张三二", id_number=county["zhangsan"].id_number, unit=county["u1"])


def test_reveal_id_is_logged(county, users):
    full = services.person_reveal(person=county["lisi"], actor=users["town1"])
    assert full["id_number"] == county["lisi"].id_number
    assert AuditEvent.objects.filter(action="view_sensitive", object_id=str(county["lisi"].pk)).count() == 1


@pytest.mark.parametrize("q", ["张三", "zhangsan", "zs", "ZS", "zhang"])
def test_search_by_name_pinyin_initials(county, users, q):
    qs = selectors.person_search(selectors.person_list(user=users["admin"]), q)
    assert county["zhangsan"] in qs


def test_search_by_id_tail(county, users):
    tail = county["wangwu"].id_number[-4:]
    qs = selectors.person_find(selectors.person_list(user=users["admin"]), tail, user=users["admin"])
    assert county["wangwu"] in qs
    assert not selectors.person_search(selectors.person_list(user=users["admin"]), tail).exists()  # names only


def test_moving_unit_rewrites_subtree_paths(county, users):
    u1v = services.unit_update(unit=county["u1v"], actor=users["admin"], parent=county["u2"])
    assert u1v.path.startswith(county["u2"].path)
    with pytest.raises(ValidationError):
        services.unit_update(unit=county["u2"], actor=users["admin"], parent=u1v)


def test_a_record_stored_before_the_standards_stays_editable(county, users):
    """A number stored before the GB/T 2260 / GB 32100 rules (000000…, a 94… code) does not block an edit that
    keeps it; a new number is held to them."""
    from bole.org.models import Enterprise
    from bole.org.validators import credit_check_char, id_check_char

    old_id = "00000019850307001"
    old_id += id_check_char(old_id)
    old_code = "94330521MA2B3C4D5"
    old_code += credit_check_char(old_code)
    p, e = county["zhangsan"], county["e1"]
    Person.objects.filter(pk=p.pk).update(id_number=old_id)
    Enterprise.objects.filter(pk=e.pk).update(credit_code=old_code)
    p.refresh_from_db()
    e.refresh_from_db()
    assert services.person_update(person=p, actor=users["admin"], position="镇长").position == "镇长"
    assert services.enterprise_update(enterprise=e, actor=users["admin"], address="武康路1号").address == "武康路1号"
    other = "00000019850307002"
    other += id_check_char(other)
    with pytest.raises(ValidationError) as exc:
        services.person_update(person=p, actor=users["admin"], id_number=other)
    assert exc.value.message_dict["id_number"] == ["身份证号前6位 000000 不是有效的行政区划代码（GB/T 2260）"]
    with pytest.raises(ValidationError):
        services.enterprise_update(enterprise=e, actor=users["admin"], credit_code=old_code[:17] + "0")
