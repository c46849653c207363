"""One live posting per record, category and person (or unit) as a database constraint.

A reversed entry is marked on its own row (is_reversed) so the constraint can leave it out. Simultaneous postings
could store two live entries for one record before; such pairs cannot be undone by a migration (a correction is a
reversing entry), so the migration stops and names them: reject or reverse the extra entries, then migrate again.
"""

from django.conf import settings
from django.db import migrations, models


def mark_reversed_and_check(apps, schema_editor):
    PointEntry = apps.get_model("ledger", "PointEntry")
    PointEntry.objects.filter(reversed_by__isnull=False).update(is_reversed=True)
    live = (PointEntry.objects.filter(source_type__isnull=False, reverses__isnull=True, is_reversed=False)
            .exclude(status="rejected").order_by("id")
            .values_list("id", "source_type_id", "source_id", "category_id", "person_id", "unit_id"))
    seen: set[tuple] = set()
    extra = []
    for pk, *key in live:
        if key[3] is None:  # a unit's posting: the key has no person
            key[3] = "unit"
        if tuple(key) in seen:
            extra.append(pk)
        seen.add(tuple(key))
    if extra:
        raise RuntimeError(f"ledger: point entries {extra} repeat a live posting for the same record, category "
                           "and person; reject or reverse them, then migrate again")


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('ledger', '0001_initial'),
        ('org', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='pointentry',
            name='is_reversed',
            field=models.BooleanField(default=False, editable=False, verbose_name='已冲正'),
        ),
        migrations.RunPython(mark_reversed_and_check, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='pointentry',
            constraint=models.UniqueConstraint(condition=models.Q(('is_reversed', False), ('reverses__isnull', True), ('source_type__isnull', False), models.Q(('status', 'rejected'), _negated=True), ('person__isnull', False)), fields=('source_type', 'source_id', 'category', 'person', 'unit'), name='ledger_live_once'),
        ),
        migrations.AddConstraint(
            model_name='pointentry',
            constraint=models.UniqueConstraint(condition=models.Q(('is_reversed', False), ('reverses__isnull', True), ('source_type__isnull', False), models.Q(('status', 'rejected'), _negated=True), ('person__isnull', True)), fields=('source_type', 'source_id', 'category', 'unit'), name='ledger_unit_live_once'),
        ),
    ]
