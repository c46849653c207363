"""揭榜挂帅: challenges posted by units, applications, holders, milestones and progress.

The acceptance panel (验收组) is a sign-off evaluation on the shared evaluation engine: its members are
seats of that evaluation and each milestone is one of its subjects (see `acceptance.py`)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import ApplicationStatus, ChallengeField, ChallengeStatus, Closure, MilestoneStatus


class Challenge(models.Model):
    """榜单: a task with a goal, acceptance criteria, deadline and incentive that cadres apply to take on."""

    title = models.CharField(_("榜单名称"), max_length=120)
    field = models.CharField(_("领域"), max_length=12, choices=ChallengeField.choices, default=ChallengeField.OTHER)
    publisher_unit = models.ForeignKey("org.Unit", verbose_name=_("发榜单位"), on_delete=models.PROTECT,
                                       related_name="challenges")
    goal = models.TextField(_("攻坚目标"))
    criteria = models.TextField(_("验收标准"), help_text=_("可量化、可核验的验收标准"))
    incentive_points = models.DecimalField(_("激励积分"), max_digits=6, decimal_places=2, default=0)
    incentive_text = models.CharField(_("其他激励"), max_length=200, blank=True,
                                      help_text=_("如：同等条件下优先提拔使用"))
    pay_per_milestone = models.BooleanField(_("按节点分段计分"), default=False,
                                            help_text=_("节点验收时即发放该节点积分，余下积分在整体验收时发放"))
    team_allowed = models.BooleanField(_("允许团队揭榜"), default=False)
    apply_until = models.DateField(_("揭榜截止日期"))
    deadline = models.DateField(_("完成期限"))
    status = models.CharField(_("状态"), max_length=12, choices=ChallengeStatus.choices,
                              default=ChallengeStatus.DRAFT, editable=False)
    closure = models.CharField(_("结束情形"), max_length=10, choices=Closure.choices, blank=True, editable=False)
    closure_note = models.CharField(_("结束说明"), max_length=300, blank=True, editable=False)
    published_at = models.DateTimeField(_("发榜时间"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    acceptance_panel = models.OneToOneField("evaluation.Evaluation", verbose_name=_("验收组"), null=True,
                                            blank=True, editable=False, on_delete=models.PROTECT,
                                            related_name="challenge")

    class Meta:
        verbose_name = _("榜单")
        verbose_name_plural = _("榜单")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "apply_until"])]
        constraints = [
            models.CheckConstraint(condition=Q(incentive_points__gte=0), name="challenge_points_nonnegative"),
            models.CheckConstraint(condition=Q(deadline__gte=models.F("apply_until")),
                                   name="challenge_deadline_after_apply"),
        ]

    def __str__(self) -> str:
        return self.title


class ChallengeApplication(models.Model):
    """揭榜: a cadre offers to take the challenge on, alone or with named team members, with a plan."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="applications")
    person = models.ForeignKey("org.Person", verbose_name=_("揭榜人"), on_delete=models.PROTECT,
                               related_name="challenge_applications")
    members = models.ManyToManyField("org.Person", verbose_name=_("团队成员"), blank=True, related_name="+")
    plan = models.TextField(_("攻坚方案"))
    status = models.CharField(_("状态"), max_length=12, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.SUBMITTED, editable=False)
    decision_note = models.CharField(_("处理意见"), max_length=300, blank=True, editable=False)
    created_at = models.DateTimeField(_("揭榜时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("揭榜申请")
        verbose_name_plural = _("揭榜申请")
        ordering = ["challenge", "created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["challenge", "person"], name="application_once")]

    def __str__(self) -> str:
        return f"{self.person} · {self.challenge}"


class ChallengeHolder(models.Model):
    """挂帅人: a person holding an awarded challenge (the lead and any team members)."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="holders")
    person = models.ForeignKey("org.Person", verbose_name=_("挂帅人"), on_delete=models.PROTECT,
                               related_name="challenge_holds")
    application = models.ForeignKey(ChallengeApplication, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="holders")
    is_lead = models.BooleanField(_("牵头人"), default=False)

    class Meta:
        verbose_name = _("挂帅人")
        verbose_name_plural = _("挂帅人")
        ordering = ["challenge", "-is_lead", "id"]
        constraints = [models.UniqueConstraint(fields=["challenge", "person"], name="holder_once")]

    def __str__(self) -> str:
        return f"{self.person} · {self.challenge}"


class Milestone(models.Model):
    """攻坚节点: a dated step of a challenge, signed off by the acceptance panel; may carry its own points."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点"), max_length=120)
    due_date = models.DateField(_("节点期限"))
    points = models.DecimalField(_("节点积分"), max_digits=6, decimal_places=2, default=0)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)
    status = models.CharField(_("状态"), max_length=10, choices=MilestoneStatus.choices,
                              default=MilestoneStatus.OPEN, editable=False)
    delivered_on = models.DateField(_("提交验收日期"), null=True, blank=True, editable=False)
    accepted_on = models.DateField(_("验收日期"), null=True, blank=True, editable=False)
    panel_subject = models.OneToOneField("evaluation.Subject", verbose_name=_("验收事项"), null=True, blank=True,
                                         editable=False, on_delete=models.PROTECT, related_name="milestone")

    class Meta:
        verbose_name = _("攻坚节点")
        verbose_name_plural = _("攻坚节点")
        ordering = ["challenge", "sort", "due_date", "id"]
        indexes = [models.Index(fields=["due_date", "status"])]
        constraints = [models.CheckConstraint(condition=Q(points__gte=0), name="milestone_points_nonnegative")]

    def __str__(self) -> str:
        return f"{self.challenge} · {self.title}"


class ProgressReport(models.Model):
    """进展报告: what the holders did for a milestone; a report may submit the milestone for acceptance."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="reports")
    milestone = models.ForeignKey(Milestone, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="reports")
    author = models.ForeignKey("org.Person", verbose_name=_("报告人"), on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("进展情况"))
    for_acceptance = models.BooleanField(_("提请验收"), default=False)
    created_at = models.DateTimeField(_("报告时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.challenge} · {self.created_at:%Y-%m-%d}"
