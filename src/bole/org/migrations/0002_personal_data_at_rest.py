"""ID numbers and phones encrypted at rest, found by keyed digests; audit rows keep them masked.

Existing people are encrypted in place (with the field key of the data dir or BOLE_FIELD_KEY), and the
ID numbers and phones already written into audit rows are masked. Reversing decrypts the people again; the
audit rows stay masked (the clear values are gone from them for good).
"""

import re

from django.db import migrations, models
from django.db.models import Q

import bole.core.crypto

BATCH = 2000
_ID = re.compile(r"\d{17}[\dXx]")


def _mask_id(v: str) -> str:
    # The same form as bole.org.validators.mask_id_number, kept here so the migration does not change with it.
    return v[:4] + "*" * (len(v) - 8) + v[-4:]


def _mask_phone(v: str) -> str:
    return v[:3] + "****" + v[-4:] if len(v) >= 11 else "****"


def _mask_value(key: str, value):
    if not isinstance(value, str) or not value or "*" in value:
        return value
    if key == "id_number" or (key == "scope" and _ID.fullmatch(value)):
        return _mask_id(value)
    if key == "phone" or key.endswith("_phone"):
        return _mask_phone(value)
    return value


def encrypt_people(apps, schema_editor):
    from bole.core.crypto import digest, encrypt

    Person = apps.get_model("org", "Person")
    rows = Person.objects.order_by("pk").values_list("pk", "id_number", "phone")
    last = 0
    while True:
        batch = list(rows.filter(pk__gt=last)[:BATCH])
        if not batch:
            break
        last = batch[-1][0]
        people = []
        for pk, idn, phone in batch:
            idn, phone = (idn or "").strip().upper(), phone or ""
            people.append(Person(pk=pk, id_number=encrypt(idn), id_digest=digest(idn, "id_number"),
                                 phone=encrypt(phone) if phone else "",
                                 phone_digest=digest(phone, "phone") if phone else ""))
        Person.objects.bulk_update(people, ["id_number", "id_digest", "phone", "phone_digest"])


def decrypt_people(apps, schema_editor):
    from bole.core.crypto import decrypt

    Person = apps.get_model("org", "Person")
    people = [Person(pk=pk, id_number=decrypt(idn), phone=decrypt(phone) if phone else "")
              for pk, idn, phone in Person.objects.values_list("pk", "id_number", "phone").iterator()]
    Person.objects.bulk_update(people, ["id_number", "phone"], batch_size=BATCH)


def mask_audit_rows(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    keys = ["id_number", "phone", "contact_phone", "submitter_phone", "head_phone"]
    cond = Q(object_type="org.account", changes__has_key="scope")
    for key in keys:
        cond |= Q(changes__has_key=key)
    changed = []
    for event in AuditEvent.objects.filter(cond).only("pk", "changes").iterator(chunk_size=BATCH):
        if not isinstance(event.changes, dict):
            continue
        masked = {}
        for key, value in event.changes.items():
            if isinstance(value, list):
                masked[key] = [_mask_value(key, v) for v in value]
            else:
                masked[key] = _mask_value(key, value)
        if masked != event.changes:
            event.changes = masked
            changed.append(event)
        if len(changed) >= BATCH:
            AuditEvent.objects.bulk_update(changed, ["changes"])
            changed = []
    if changed:
        AuditEvent.objects.bulk_update(changed, ["changes"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_session"),
        ("org", "0001_initial"),
    ]

    operations = [
        # Columns wide enough for sealed values, digests beside them (filled below, then made unique).
        migrations.AlterField("person", "id_number", models.TextField(verbose_name="身份证号")),
        migrations.AlterField("person", "phone", models.TextField(blank=True, verbose_name="手机号码")),
        migrations.AddField("person", "id_digest", models.CharField(max_length=32, null=True, editable=False)),
        migrations.AddField("person", "phone_digest",
                            models.CharField(max_length=32, blank=True, default="", editable=False)),
        migrations.RunPython(encrypt_people, decrypt_people),
        migrations.RunPython(mask_audit_rows, migrations.RunPython.noop),
        migrations.AlterField("person", "id_number",
                              bole.core.crypto.EncryptedCharField(max_length=18, verbose_name="身份证号")),
        migrations.AlterField("person", "phone",
                              bole.core.crypto.EncryptedCharField(blank=True, max_length=20, verbose_name="手机号码")),
        migrations.AlterField("person", "id_digest", bole.core.crypto.DigestField(
            unique=True, error_messages={"unique": "该身份证号已在册"})),
        migrations.AlterField("person", "phone_digest", bole.core.crypto.DigestField(blank=True, db_index=True)),
    ]
