"""The acceptance panel moves onto the evaluation engine (a sign-off evaluation per challenge).

Panel members and sign-offs recorded in the old tables are not carried over: a challenge whose panel was
formed before this migration forms it again on its page.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('challenges', '0001_initial'),
        ('evaluation', '0002_signoff_panels'),
    ]

    operations = [
        migrations.DeleteModel(
            name='Signoff',
        ),
        migrations.DeleteModel(
            name='PanelMember',
        ),
        migrations.AddField(
            model_name='challenge',
            name='acceptance_panel',
            field=models.OneToOneField(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='challenge', to='evaluation.evaluation', verbose_name='验收组'),
        ),
        migrations.AddField(
            model_name='milestone',
            name='panel_subject',
            field=models.OneToOneField(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='milestone', to='evaluation.subject', verbose_name='验收事项'),
        ),
    ]
