"""Cases engine of record: desks (configuration), cases with one lifecycle, timeline, tasks, meetings."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import (
    Action,
    CalendarEntryKind,
    EscalationTarget,
    EventKind,
    Rating,
    State,
    SubmitterKind,
    TaskState,
)


def default_escalation_steps() -> list[dict]:
    """Overdue by 0 working days → unit head; by 3 → desk head."""
    return [{"overdue_days": 0, "target": EscalationTarget.UNIT_HEAD},
            {"overdue_days": 3, "target": EscalationTarget.DESK_HEAD}]


def default_submitter_kinds() -> list[str]:
    return [SubmitterKind.ENTERPRISE]


class Desk(models.Model):
    """受理台: a desk is configuration (who submits, categories, deadlines, units, escalation), not code."""

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=60, unique=True)
    description = models.TextField(_("说明"), blank=True)
    submitter_kinds = models.JSONField(_("可提交人"), default=default_submitter_kinds)
    assignable_units = models.ManyToManyField(
        "org.Unit", verbose_name=_("可交办单位"), blank=True, related_name="+",
        help_text=_("为空表示可交办任何单位"),
    )
    handlers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("受理人员"), blank=True, related_name="case_desks"
    )
    head = models.ForeignKey(
        "org.Person", verbose_name=_("受理台负责人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    decline_hours = models.PositiveIntegerField(_("退回时限（小时）"), default=24)
    escalation_steps = models.JSONField(_("督办规则"), default=default_escalation_steps)
    duplicate_window_days = models.PositiveIntegerField(_("重复提醒时间窗（天）"), default=90)
    sort = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("受理台")
        verbose_name_plural = _("受理台")
        ordering = ["sort", "id"]

    def __str__(self) -> str:
        return self.name

    def submitter_kind_labels(self) -> list[str]:
        """The allowed submitter kinds as people read them (the field stores codes)."""
        return [str(SubmitterKind(k).label) if k in SubmitterKind.values else k for k in self.submitter_kinds]

    def escalation_step_labels(self) -> list[tuple[int, str]]:
        """(overdue working days, whom) per escalation step, with readable targets."""
        return [(int(s["overdue_days"]), str(EscalationTarget(s["target"]).label)
                 if s["target"] in EscalationTarget.values else s["target"]) for s in self.escalation_steps]


class Category(models.Model):
    """A desk's category with its default deadline in working days (办理时限)."""

    desk = models.ForeignKey(Desk, verbose_name=_("受理台"), on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("类别"), max_length=60)
    deadline_days = models.PositiveIntegerField(_("办理时限（工作日）"), default=10)
    sort = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("问题类别")
        verbose_name_plural = _("问题类别")
        ordering = ["desk", "sort", "id"]
        constraints = [models.UniqueConstraint(fields=["desk", "name"], name="case_category_unique")]

    def __str__(self) -> str:
        return self.name


class UnitHead(models.Model):
    """Who answers for a unit when its cases run overdue (first escalation step)."""

    unit = models.OneToOneField("org.Unit", verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("org.Person", verbose_name=_("负责人"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("单位负责人")
        verbose_name_plural = _("单位负责人")

    def __str__(self) -> str:
        return f"{self.unit} · {self.person}"


class CalendarEntry(models.Model):
    """An admin-entered holiday or adjusted workday, merged over the shipped 2024–2026 arrangements."""

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=CalendarEntryKind.choices)
    name = models.CharField(_("名称"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"


class CalendarYear(models.Model):
    """A year whose holiday arrangement an administrator has confirmed complete: until then its deadlines are
    provisional (entries alone do not make a year known; the shipped years are known without a row)."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    notice = models.CharField(_("依据"), max_length=120, help_text=_("如：国务院办公厅关于2027年部分节假日安排的通知"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("确认人"))
    at = models.DateTimeField(_("确认时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("节假日安排年份")
        verbose_name_plural = _("节假日安排年份")
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year} {self.notice}"


def case_number(desk_id: int, case_id: int) -> str:
    """A case's number as people quote it: desk and case id, e.g. 01-0000042."""
    return f"{desk_id:02d}-{case_id:07d}"


class Case(models.Model):
    """诉求/问题: anything with an owner and a deadline; state moves only through case_transition."""

    desk = models.ForeignKey(Desk, verbose_name=_("受理台"), on_delete=models.PROTECT, related_name="cases")
    category = models.ForeignKey(Category, verbose_name=_("类别"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="cases")
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("详细描述"))
    location = models.CharField(_("地点"), max_length=200, blank=True)

    submitter_kind = models.CharField(_("提交人类型"), max_length=12, choices=SubmitterKind.choices)
    submitter_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+")
    submitter_enterprise = models.ForeignKey("org.Enterprise", verbose_name=_("提交企业"), null=True, blank=True,
                                             on_delete=models.PROTECT, related_name="+")
    submitter_person = models.ForeignKey("org.Person", verbose_name=_("提交人"), null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    submitter_name = models.CharField(_("联系人"), max_length=50, blank=True)
    submitter_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    follow_token = models.CharField(max_length=43, unique=True, editable=False)

    # Generic reference: the record the case is about (a stairwell, a committee, a project, a talent, ...).
    ref_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    ref_id = models.PositiveBigIntegerField(null=True, blank=True)
    ref = GenericForeignKey("ref_type", "ref_id")

    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.SUBMITTED)
    lead_unit = models.ForeignKey("org.Unit", verbose_name=_("承办单位"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey("org.Person", verbose_name=_("责任人"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("复核层级"), default=0)
    review_unit = models.ForeignKey("org.Unit", verbose_name=_("复核单位"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    reopen_count = models.PositiveSmallIntegerField(_("重办次数"), default=0)

    submitted_at = models.DateTimeField(_("提交时间"))
    received_on = models.DateField(_("受理日"), null=True, blank=True)
    deadline = models.DateField(_("办理期限"), null=True, blank=True)
    warn_on = models.DateField(_("临期日"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    resolved_on = models.DateField(_("办结日"), null=True, blank=True)
    resolve_workdays = models.IntegerField(_("办理用时（工作日）"), null=True, blank=True)
    on_time = models.BooleanField(_("按期办结"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    resolution = models.TextField(_("办理结果"), blank=True)
    reject_reason = models.TextField(_("不予受理理由"), blank=True)
    rating = models.CharField(_("满意度"), max_length=12, choices=Rating.choices, blank=True)
    rating_comment = models.CharField(_("评价意见"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("督办级别"), default=0)
    merged_into = models.ForeignKey("self", verbose_name=_("合并至"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="merged_cases")

    class Meta:
        verbose_name = _("诉求")
        verbose_name_plural = _("诉求")
        ordering = ["-id"]
        indexes = [
            # List pages filter by one column and show the newest first: (column, id) lets the database walk
            # the index backwards and stop after one page instead of sorting every match.
            models.Index(fields=["desk", "id"], name="case_desk_id"),
            models.Index(fields=["category", "id"], name="case_category_id"),
            models.Index(fields=["lead_unit", "id"], name="case_unit_id"),
            models.Index(fields=["state", "id"], name="case_state_id"),
            # Running cases (a few percent of the table) newest first with what the red/yellow/green and desk
            # filters read, so a colour filter walks this small index and stops after one page.
            models.Index(fields=["id", "deadline", "warn_on", "desk", "lead_unit"], name="case_running_scan",
                         condition=models.Q(state__in=["accepted", "assigned", "arbitration", "in_progress"])),
            models.Index(fields=["desk", "state", "id"], name="case_desk_state_id"),
            models.Index(fields=["lead_unit", "state", "id"], name="case_unit_state_id"),
            models.Index(fields=["owner", "state"], name="case_owner_state"),
            models.Index(fields=["deadline", "owner"], name="case_owned_deadline",
                         condition=models.Q(owner__isnull=False)),
            models.Index(fields=["submitter_enterprise", "id"], name="case_ent_id"),
            models.Index(fields=["ref_type", "ref_id"], name="case_ref"),
            models.Index(fields=["submitted_at"], name="case_submitted_at"),
            models.Index(fields=["submitter_phone"], name="case_phone"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        return case_number(self.desk_id, self.pk or 0)


class CaseTask(models.Model):
    """A co-unit's sub-task (协办) with its own deadline; the case cannot be resolved while one is open."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    unit = models.ForeignKey("org.Unit", verbose_name=_("协办单位"), on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("协办事项"), max_length=300)
    # Who in the co-unit answers for the sub-task: named by the assigning desk or by the co-unit itself;
    # the task-completion indicator counts the sub-task for this person.
    owner = models.ForeignKey("org.Person", verbose_name=_("协办责任人"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    deadline = models.DateField(_("协办期限"))
    state = models.CharField(_("状态"), max_length=10, choices=TaskState.choices, default=TaskState.OPEN)
    result = models.TextField(_("协办结果"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("协办任务")
        verbose_name_plural = _("协办任务")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["unit", "state"], name="casetask_unit_state"),
            # The task-completion provider reads owned sub-tasks by deadline range, grouped by owner.
            models.Index(fields=["deadline", "owner"], name="casetask_owned_deadline",
                         condition=models.Q(owner__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.description}"


class Decline(models.Model):
    """A unit's refusal of an assignment, with reason; counted per unit (推诿 statistics)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="declines")
    task = models.ForeignKey(CaseTask, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("org.Unit", verbose_name=_("退回单位"), on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("退回理由"))
    at = models.DateTimeField(_("退回时间"))
    reassigned_to = models.ForeignKey("org.Unit", verbose_name=_("改派单位"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("退回记录")
        verbose_name_plural = _("退回记录")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.unit} {self.at:%Y-%m-%d}"


class Event(models.Model):
    """One line of a case's timeline (every transition, task, meeting, escalation, attachment)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    actor_label = models.CharField(_("操作人"), max_length=150, blank=True)
    kind = models.CharField(_("类型"), max_length=12, choices=EventKind.choices)
    action = models.CharField(_("动作"), max_length=12, blank=True)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12, blank=True)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.note[:40]}"

    @property
    def to_state_label(self) -> str:
        return str(State(self.to_state).label) if self.to_state in State.values else self.to_state

    @property
    def action_label(self) -> str:
        return str(Action(self.action).label) if self.action in Action.values else ""


class Meeting(models.Model):
    """协调会: a coordination meeting across units for one case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="meetings")
    held_at = models.DateTimeField(_("会议时间"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    units = models.ManyToManyField("org.Unit", verbose_name=_("参会单位"), blank=True, related_name="+")
    attendees = models.ManyToManyField("org.Person", verbose_name=_("参会人员"), blank=True, related_name="+")
    other_attendees = models.CharField(_("其他参会人员"), max_length=300, blank=True)
    minutes = models.TextField(_("会议纪要"))

    class Meta:
        verbose_name = _("协调会")
        verbose_name_plural = _("协调会")
        ordering = ["held_at", "id"]

    def __str__(self) -> str:
        return f"{self.held_at:%Y-%m-%d} {self.case_id}"


class Decision(models.Model):
    """A coordination meeting's decision with an owner and a deadline."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.CharField(_("议定事项"), max_length=300)
    owner_unit = models.ForeignKey("org.Unit", verbose_name=_("责任单位"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    owner_person = models.ForeignKey("org.Person", verbose_name=_("责任人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    deadline = models.DateField(_("完成期限"), null=True, blank=True)

    class Meta:
        verbose_name = _("议定事项")
        verbose_name_plural = _("议定事项")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text


class Escalation(models.Model):
    """An overdue case sent up (unit head, then desk head); one row per case, round and level (idempotent sweep)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="escalations")
    level = models.PositiveSmallIntegerField(_("督办级别"))
    # A case reopened after an unsatisfied rating runs a fresh deadline and climbs the steps again.
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=0)
    target = models.CharField(_("督办对象"), max_length=12, choices=EscalationTarget.choices)
    unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("org.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    overdue_workdays = models.IntegerField(_("超期工作日"))
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("超期督办")
        verbose_name_plural = _("超期督办")
        ordering = ["-at"]
        constraints = [models.UniqueConstraint(fields=["case", "round", "level"], name="case_escalation_once")]

    def __str__(self) -> str:
        return f"{self.case_id} L{self.level}"


class Attachment(models.Model):
    """An image or PDF attached to a case (evidence), stored under MEDIA_ROOT with a random name."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(max_length=200)
    content_type = models.CharField(max_length=40)
    original_name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    stage = models.CharField(_("环节"), max_length=12, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


__all__ = [
    "Attachment", "CalendarEntry", "Case", "CaseTask", "Category", "Decision", "Decline", "Desk", "Escalation",
    "Event", "Meeting", "Rating", "State", "TaskState", "UnitHead",
]
