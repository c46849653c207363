"""Audit trail and API tokens: records every register change and who made it."""

import hashlib

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import AuditAction


class AppendOnlyQuerySet(models.QuerySet):
    """Audit rows are evidence: the application can add them, never change or remove them."""

    def delete(self):
        raise PermissionError("audit events are append-only")

    def update(self, **kwargs):
        raise PermissionError("audit events are append-only")


class AuditEvent(models.Model):
    """One create/update/deactivate/view/import/export, with before/after of every changed field."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT
    )
    actor_label = models.CharField(_("操作人"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("对象类型"), max_length=60)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    changes = models.JSONField(_("变更"), default=dict, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True, db_index=True)
    # What the client or a proxy called the request (X-Request-ID); `request_id` is always our own.
    client_request_id = models.CharField(_("客户端请求编号"), max_length=64, blank=True, db_default="")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            # The audit page's filters by person and by record type, newest first.
            models.Index(fields=["actor", "-at"], name="audit_actor_at"),
            models.Index(fields=["object_type", "-at"], name="audit_type_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("audit events are append-only")


class ApiToken(models.Model):
    """A bearer token for the REST API: only its SHA-256 is stored; it expires, and its owner can revoke it.

    Issued and revoked through core.tokens (audited); the raw value is shown once, at issue.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    label = models.CharField(_("用途"), max_length=100, blank=True)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("开头"), max_length=8)
    created_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("到期时间"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… {self.label}".strip()

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    def is_usable(self, now=None) -> bool:
        """Neither revoked nor expired."""
        return self.revoked_at is None and self.expires_at > (now or timezone.now())


class Notification(models.Model):
    """站内通知: one message to one login about one record and event, so any mechanism can tell people things.

    (recipient, object, event) is unique: a job that runs twice, or a retried request, never notifies twice.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.CharField(_("内容"), max_length=300)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    object_type = models.CharField(_("对象类型"), max_length=60)
    object_id = models.CharField(_("对象编号"), max_length=64)
    event = models.CharField(_("事件"), max_length=40)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "object_type", "object_id", "event"], name="notification_once")
        ]
        indexes = [
            # The bell counts a user's unread rows on every page: a partial index keeps that a tiny lookup.
            models.Index(fields=["recipient"], name="notification_unread", condition=models.Q(read_at__isnull=True)),
            models.Index(fields=["recipient", "id"], name="notification_recipient_id"),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Session(AbstractBaseSession):
    """A login session that knows its user: the request reads both in one statement (core.sessions), and an
    account's sessions can be found and ended together."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")

    @classmethod
    def get_session_store_class(cls):
        # A cycle: the session store imports this module for its model.
        from .sessions import SessionStore

        return SessionStore

    class Meta(AbstractBaseSession.Meta):
        verbose_name = _("会话")
        verbose_name_plural = _("会话")


class RateCounter(models.Model):
    """Hits of one key (a client, a stairwell) in one time window, counted in the database so that every server
    process shares the count; `bole.core.ratelimit` reads and writes it, `bole worker` removes old windows daily."""

    key = models.CharField(max_length=150)
    window = models.BigIntegerField()  # the window's start, in seconds since the epoch
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="core_ratecounter_key_window")]

    def __str__(self) -> str:
        return f"{self.key}@{self.window}: {self.hits}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class Job(models.Model):
    """后台任务: one piece of long work (an import, an export, a recompute, a bulletin) run by the task queue's
    workers, with its progress, errors and result. `func` names a function marked `@background`
    (bole.core.tasks); `params` are its keyword arguments. Live progress is in the jobs cache while it runs and
    copied here when it ends; files (the upload, the result) are `JobFile` rows, so any server can serve them."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提交人"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="jobs")
    func = models.CharField(_("任务"), max_length=120)
    title = models.CharField(_("名称"), max_length=200)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    total = models.PositiveIntegerField(_("总数"), default=0)
    done = models.PositiveIntegerField(_("已处理"), default=0)
    phase = models.CharField(_("阶段"), max_length=60, blank=True)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    errors = models.JSONField(_("错误"), default=list, blank=True)  # the first 1,000, each a line of text
    result = models.JSONField(_("结果"), default=dict, blank=True)
    message = models.CharField(_("说明"), max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(_("执行次数"), default=0)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-id"]
        indexes = [models.Index(fields=["owner", "-id"], name="core_job_owner"),
                   models.Index(fields=["status"], name="core_job_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def finished(self) -> bool:
        return self.status in {JobStatus.DONE, JobStatus.FAILED}


class JobFile(models.Model):
    """A job's input (the uploaded workbook) or output (the export, the bulletin), kept in the database."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="files")
    role = models.CharField(max_length=10)  # "input" or "result"
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    data = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "role"], name="core_jobfile_once")]


class PeriodicRun(models.Model):
    """The last run of one periodic job (the sweep, session clean-up …), for the jobs page and monitoring."""

    name = models.CharField(max_length=60, unique=True)
    last_started = models.DateTimeField(null=True, blank=True)
    last_finished = models.DateTimeField(null=True, blank=True)
    ok = models.BooleanField(default=True)
    failures = models.PositiveIntegerField(default=0)  # consecutive
    last_result = models.CharField(max_length=500, blank=True)
    last_error = models.TextField(blank=True)
