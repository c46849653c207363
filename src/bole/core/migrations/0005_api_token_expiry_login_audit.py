"""API tokens get a label, an expiry and a revocation time (in place of is_active); audit rows get the
login-failed and password-change actions. Tokens issued before expire 90 days after they were issued."""

import datetime as dt

from django.db import migrations, models
from django.utils import timezone


def fill_expiry(apps, schema_editor):
    ApiToken = apps.get_model("core", "ApiToken")
    now = timezone.now()
    for token in ApiToken.objects.all():
        token.expires_at = token.created_at + dt.timedelta(days=90)
        token.revoked_at = None if token.is_active else now
        token.save(update_fields=["expires_at", "revoked_at"])


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0004_session'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='apitoken',
            options={'ordering': ['-created_at', '-id'], 'verbose_name': 'API 令牌', 'verbose_name_plural': 'API 令牌'},
        ),
        migrations.AddField(
            model_name='apitoken',
            name='label',
            field=models.CharField(blank=True, max_length=100, verbose_name='用途'),
        ),
        migrations.AddField(
            model_name='apitoken',
            name='expires_at',
            field=models.DateTimeField(null=True, verbose_name='到期时间'),
        ),
        migrations.AddField(
            model_name='apitoken',
            name='revoked_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='撤销时间'),
        ),
        migrations.RunPython(fill_expiry, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='apitoken',
            name='expires_at',
            field=models.DateTimeField(verbose_name='到期时间'),
        ),
        migrations.RemoveField(
            model_name='apitoken',
            name='is_active',
        ),
        migrations.AlterField(
            model_name='apitoken',
            name='created_at',
            field=models.DateTimeField(auto_now_add=True, verbose_name='签发时间'),
        ),
        migrations.AlterField(
            model_name='apitoken',
            name='last_used_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='最近使用'),
        ),
        migrations.AlterField(
            model_name='apitoken',
            name='prefix',
            field=models.CharField(max_length=8, verbose_name='开头'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('create', '新建'), ('update', '修改'), ('deactivate', '停用'), ('reactivate', '启用'), ('delete', '删除'), ('view_sensitive', '查看敏感信息'), ('import', '导入'), ('export', '导出'), ('transition', '状态变更'), ('login', '登录'), ('login_failed', '登录失败'), ('password_change', '修改密码')], max_length=20, verbose_name='操作'),
        ),
    ]
