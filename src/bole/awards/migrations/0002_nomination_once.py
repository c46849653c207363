"""One nomination of a person per round, as a database constraint.

Before it, two nominations of one person could be stored by simultaneous requests. Such a later copy that is
still only submitted in an open round is withdrawn here (with an audit row), as its unit would have done; a copy
the panel has already ranked cannot be undone by a migration, so the migration stops and names it.
"""

from django.db import migrations, models


def withdraw_duplicates(apps, schema_editor):
    Nomination = apps.get_model("awards", "Nomination")
    AuditEvent = apps.get_model("core", "AuditEvent")
    live = (Nomination.objects.filter(person__isnull=False).exclude(status="withdrawn")
            .order_by("round_id", "person_id", "id").values_list("id", "round_id", "person_id", "status",
                                                                "round__status"))
    seen: set[tuple[int, int]] = set()
    withdraw, stuck = [], []
    for pk, round_id, person_id, status, round_status in live:
        if (round_id, person_id) not in seen:
            seen.add((round_id, person_id))
            continue
        (withdraw if status == "submitted" and round_status == "nominating" else stuck).append(pk)
    if stuck:
        raise RuntimeError(
            f"awards: nominations {sorted(stuck)} repeat an earlier nomination of the same person in the same "
            "round and are past the nominating stage; resolve them before migrating")
    for pk in withdraw:
        Nomination.objects.filter(pk=pk).update(status="withdrawn")
        AuditEvent.objects.create(actor=None, actor_label="system", action="transition",
                                  object_type="awards.nomination", object_id=str(pk), object_repr="",
                                  changes={"status": ["submitted", "withdrawn"],
                                           "note": [None, "duplicate nomination of the same person"]})


class Migration(migrations.Migration):

    dependencies = [
        ("awards", "0001_initial"),
        ("core", "0004_session"),
    ]

    operations = [
        migrations.RunPython(withdraw_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="nomination",
            constraint=models.UniqueConstraint(condition=models.Q(("status", "withdrawn"), _negated=True),
                                               fields=("round", "person"), name="award_nomination_once"),
        ),
    ]
