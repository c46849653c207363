"""干部大讲堂 and cadre training: the year's plan of topics and sessions, electives with a waitlist, QR check-in,
classes with an end test, and each cadre's learning hours against the requirement for their rank."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .choices import (
    AttendanceMethod,
    Audience,
    EnrolmentStatus,
    HostStatus,
    MemberStatus,
    QuestionKind,
    QuizStatus,
    RecordSource,
    SessionStatus,
    Theme,
)


def _salt() -> str:
    return secrets.token_hex(16)


class Plan(models.Model):
    """年度培训计划: one county's (or city's) year of topics and sessions, run by its Organization Department."""

    year = models.PositiveSmallIntegerField(_("年度"))
    region = models.ForeignKey("org.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    organiser = models.ForeignKey("org.Unit", verbose_name=_("组织单位"), on_delete=models.PROTECT,
                                  related_name="+")
    title = models.CharField(_("计划名称"), max_length=120)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("培训计划")
        verbose_name_plural = _("培训计划")
        ordering = ["-year", "id"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="training_plan_once_a_year")]

    def __str__(self) -> str:
        return self.title


class Topic(models.Model):
    """组织选题: a topic chosen by the Organization Department, offered to a host department (部门配合)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="topics")
    title = models.CharField(_("专题"), max_length=120)
    theme = models.CharField(_("主题"), max_length=12, choices=Theme.choices, default=Theme.OTHER)
    target_groups = models.CharField(_("培训对象"), max_length=200, blank=True)
    host_unit = models.ForeignKey("org.Unit", verbose_name=_("承办单位"), on_delete=models.PROTECT,
                                  related_name="training_topics")
    host_status = models.CharField(_("承办状态"), max_length=10, choices=HostStatus.choices,
                                   default=HostStatus.INVITED, editable=False)

    class Meta:
        verbose_name = _("专题")
        verbose_name_plural = _("专题")
        ordering = ["plan", "id"]

    def __str__(self) -> str:
        return self.title


class Lecturer(models.Model):
    """授课人: someone on the register (a town's or department's 一把手) or an outside expert with an institution."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="lecturers")
    person = models.ForeignKey("org.Person", verbose_name=_("人员"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    name = models.CharField(_("姓名"), max_length=50)
    institution = models.CharField(_("单位/机构"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("授课人")
        verbose_name_plural = _("授课人")
        ordering = ["topic", "id"]

    def __str__(self) -> str:
        return self.name


MAX_PASS_POINTS = 20  # a class's 结业积分 at most (the ledger category's cap still applies on top)


class TrainingClass(models.Model):
    """集训班: several sessions taken together by named members, closed by an end test (成果检验) with a pass mark."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="classes")
    title = models.CharField(_("班次名称"), max_length=120)
    pass_mark = models.DecimalField(_("合格分数"), max_digits=5, decimal_places=1, default=60)
    test_date = models.DateField(_("检验日期"), null=True, blank=True)
    pass_points = models.DecimalField(_("结业积分"), max_digits=4, decimal_places=1, default=2,
                                      help_text=_("结业时记入积分台账“干部教育培训”类的分值，0 为不记分（0–20）"))

    class Meta:
        verbose_name = _("集训班")
        verbose_name_plural = _("集训班")
        ordering = ["plan", "id"]
        constraints = [models.CheckConstraint(condition=Q(pass_mark__gte=0) & Q(pass_mark__lte=100),
                                              name="training_class_pass_mark_range"),
                       models.CheckConstraint(condition=Q(pass_points__gte=0) & Q(pass_points__lte=MAX_PASS_POINTS),
                                              name="training_class_pass_points_range")]

    def __str__(self) -> str:
        return self.title


class Session(models.Model):
    """课程: one lecture at a time and place, with capacity and learning hours; elective or compulsory."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sessions")
    topic = models.ForeignKey(Topic, verbose_name=_("专题"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="sessions")
    training_class = models.ForeignKey(TrainingClass, verbose_name=_("集训班"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="sessions")
    host_unit = models.ForeignKey("org.Unit", verbose_name=_("承办单位"), on_delete=models.PROTECT,
                                  related_name="training_sessions")
    title = models.CharField(_("课程名称"), max_length=120)
    lecturer = models.CharField(_("授课人"), max_length=120, blank=True)
    place = models.CharField(_("地点"), max_length=120)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    capacity = models.PositiveIntegerField(_("名额"))
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1)
    compulsory = models.BooleanField(_("必修"), default=False)
    audience = models.CharField(_("选修对象"), max_length=10, choices=Audience.choices, default=Audience.CADRES)
    enrol_opens = models.DateTimeField(_("选课开始"))
    enrol_closes = models.DateTimeField(_("选课截止"))
    status = models.CharField(_("状态"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.DRAFT,
                              editable=False)
    qr_salt = models.CharField(max_length=32, default=_salt, editable=False)
    # 课程评价: the anonymous ballot its attendees rate it in (the evaluation engine), opened once it has attendees.
    rating = models.OneToOneField("evaluation.Evaluation", verbose_name=_("课程评价"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+", editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("课程")
        verbose_name_plural = _("课程")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="training_session_ends_after"),
            models.CheckConstraint(condition=Q(enrol_closes__gt=F("enrol_opens")),
                                   name="training_session_window"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="training_session_capacity"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="training_session_hours"),
        ]

    def __str__(self) -> str:
        return self.title


class Enrolment(models.Model):
    """选修: a cadre's seat on a session, or a place on its waitlist (in order of `queued_at`, then id)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="enrolments")
    person = models.ForeignKey("org.Person", verbose_name=_("学员"), on_delete=models.PROTECT,
                               related_name="training_enrolments")
    status = models.CharField(_("状态"), max_length=10, choices=EnrolmentStatus.choices, editable=False)
    queued_at = models.DateTimeField(_("报名时间"))
    promoted_at = models.DateTimeField(_("递补时间"), null=True, blank=True, editable=False)
    dropped_at = models.DateTimeField(_("退选时间"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("选修")
        verbose_name_plural = _("选修")
        ordering = ["session", "queued_at", "id"]
        indexes = [models.Index(fields=["session", "status", "queued_at"])]
        constraints = [models.UniqueConstraint(fields=["session", "person"],
                                               condition=~Q(status=EnrolmentStatus.DROPPED),
                                               name="training_enrolment_live_once")]

    def __str__(self) -> str:
        return f"{self.person} · {self.session}"


class Attendance(models.Model):
    """签到: a cadre's presence at a session; the hours credited are the smaller of the scheduled and attended time."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey("org.Person", verbose_name=_("学员"), on_delete=models.PROTECT,
                               related_name="training_attendances")
    checked_in_at = models.DateTimeField(_("签到时间"))
    checked_out_at = models.DateTimeField(_("签退时间"), null=True, blank=True)
    method = models.CharField(_("方式"), max_length=8, choices=AttendanceMethod.choices)
    credited_hours = models.DecimalField(_("认定学时"), max_digits=5, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("补录理由"), max_length=200, blank=True)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    # Whether the attendee has taken their one rating link (which link is never recorded).
    rating_taken = models.BooleanField(_("已领取评价"), default=False, editable=False)

    class Meta:
        verbose_name = _("签到记录")
        verbose_name_plural = _("签到记录")
        ordering = ["session", "checked_in_at", "id"]
        indexes = [models.Index(fields=["person", "checked_in_at"]), models.Index(fields=["checked_in_at"])]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="training_attendance_once"),
            models.CheckConstraint(condition=Q(credited_hours__isnull=True) | Q(credited_hours__gte=0),
                                   name="training_attendance_hours_nonnegative"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.session}"


class ClassMember(models.Model):
    """集训班学员: a member of a class, its end-test score and, on passing, the certificate's number."""

    training_class = models.ForeignKey(TrainingClass, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey("org.Person", verbose_name=_("学员"), on_delete=models.PROTECT,
                               related_name="training_classes")
    status = models.CharField(_("状态"), max_length=10, choices=MemberStatus.choices, default=MemberStatus.ACTIVE,
                              editable=False)
    score = models.DecimalField(_("检验成绩"), max_digits=5, decimal_places=1, null=True, blank=True,
                                editable=False)
    certificate_no = models.CharField(_("结业证书编号"), max_length=30, blank=True, editable=False)

    class Meta:
        verbose_name = _("集训班学员")
        verbose_name_plural = _("集训班学员")
        ordering = ["training_class", "id"]
        constraints = [
            models.UniqueConstraint(fields=["training_class", "person"], name="training_member_once"),
            models.UniqueConstraint(fields=["certificate_no"], condition=~Q(certificate_no=""),
                                    name="training_certificate_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.training_class}"


class LearningRecord(models.Model):
    """学习记录: hours from upper-level training, unit training or online study, imported into the archive."""

    person = models.ForeignKey("org.Person", verbose_name=_("人员"), on_delete=models.PROTECT,
                               related_name="training_records")
    source = models.CharField(_("来源"), max_length=8, choices=RecordSource.choices)
    title = models.CharField(_("培训名称"), max_length=120)
    day = models.DateField(_("日期"))
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = _("学习记录")
        verbose_name_plural = _("学习记录")
        ordering = ["person", "day", "id"]
        indexes = [models.Index(fields=["person", "day"])]
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0), name="training_record_hours")]

    def __str__(self) -> str:
        return f"{self.person} · {self.title}"


class Quiz(models.Model):
    """成果检验在线测试: a class's end test taken once by each member on their phone and marked automatically; the
    score is the member's end-test score, settled as an imported one is."""

    training_class = models.OneToOneField(TrainingClass, verbose_name=_("集训班"), on_delete=models.CASCADE,
                                          related_name="quiz")
    title = models.CharField(_("测试名称"), max_length=120)
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("结束时间"))
    status = models.CharField(_("状态"), max_length=10, choices=QuizStatus.choices, default=QuizStatus.DRAFT,
                              editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("在线测试")
        verbose_name_plural = _("在线测试")
        ordering = ["training_class", "id"]
        constraints = [models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="training_quiz_window")]

    def __str__(self) -> str:
        return self.title


class QuizQuestion(models.Model):
    """A question of a quiz: its kind, options, points and answer key (option indices; never shown to a member
    before they submit)."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField(_("题号"))
    kind = models.CharField(_("题型"), max_length=10, choices=QuestionKind.choices)
    text = models.CharField(_("题目"), max_length=500)
    options = models.JSONField(_("选项"), default=list)
    key = models.JSONField(_("答案"), default=list)
    points = models.DecimalField(_("分值"), max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = _("测试题")
        verbose_name_plural = _("测试题")
        ordering = ["quiz", "number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "number"], name="training_question_number_once"),
            models.CheckConstraint(condition=Q(points__gt=0), name="training_question_points"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"


class QuizSubmission(models.Model):
    """A member's one submission of a quiz: the answers as given, the points earned and the score on 100."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="submissions")
    person = models.ForeignKey("org.Person", verbose_name=_("学员"), on_delete=models.PROTECT,
                               related_name="training_quiz_submissions")
    answers = models.JSONField(_("作答"), default=dict)
    earned = models.JSONField(_("各题得分"), default=dict)
    points = models.DecimalField(_("得分"), max_digits=6, decimal_places=1)
    score = models.DecimalField(_("检验成绩"), max_digits=5, decimal_places=1)
    submitted_at = models.DateTimeField(_("提交时间"))

    class Meta:
        verbose_name = _("测试答卷")
        verbose_name_plural = _("测试答卷")
        ordering = ["quiz", "submitted_at", "id"]
        constraints = [models.UniqueConstraint(fields=["quiz", "person"], name="training_quiz_submitted_once")]

    def __str__(self) -> str:
        return f"{self.person} · {self.quiz}"
