"""人才: the talent register and each talent's lifecycle (引进 → 落户 → 服务 → 评价 → 离开)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bole.core.crypto import DigestField, EncryptedCharField
from bole.core.sms import mask_phone
from bole.org.choices import Gender, Industry
from bole.org.models import Enterprise, Person, Region
from bole.org.validators import mask_id_number

from .choices import (
    ActivityState,
    ContestStatus,
    Education,
    LeaveReason,
    Origin,
    ProjectStage,
    Stage,
    SupportKind,
    SurveyState,
    TalentLevel,
    TalentStatus,
)


class Talent(models.Model):
    """人才: one row per talent; a person already on the register (`person`) or a new one known by name and ID.

    `region_code` copies the region's code so the scope filter and the keyset list use one index at 1.6 million
    rows without a join.
    """

    person = models.ForeignKey(Person, verbose_name=_("在册人员"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="talent_records")
    name = models.CharField(_("姓名"), max_length=50)
    name_pinyin = models.CharField(max_length=200, blank=True, editable=False)
    name_initials = models.CharField(max_length=50, blank=True, editable=False)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    # Encrypted at rest like a person's; shown masked, in full only by a logged reveal.
    id_number = EncryptedCharField(_("身份证号"), max_length=18, blank=True, mask=mask_id_number)
    id_digest = DigestField(blank=True)
    phone = EncryptedCharField(_("手机号码"), max_length=20, blank=True, mask=mask_phone)
    level = models.CharField(_("人才层次"), max_length=12, choices=TalentLevel.choices)
    category = models.CharField(_("人才类别"), max_length=40, blank=True,
                                help_text=_("县里自定的人才类别，如“乡村工匠”“红领创客”"))
    field = models.CharField(_("专业领域"), max_length=40)
    industry = models.CharField(_("行业"), max_length=2, choices=Industry.choices)
    education = models.CharField(_("学历"), max_length=10, choices=Education.choices)
    origin = models.CharField(_("来源"), max_length=12, choices=Origin.choices)
    employer = models.ForeignKey(Enterprise, verbose_name=_("用人单位"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="talents")
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="talents")
    region_code = models.CharField(max_length=12, editable=False)
    arrival_date = models.DateField(_("到岗日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=TalentStatus.choices, default=TalentStatus.ACTIVE)
    stage = models.CharField(_("生命周期阶段"), max_length=10, choices=Stage.choices, default=Stage.RECRUIT)
    stage_since = models.DateField(_("进入本阶段"), null=True, blank=True)
    liaison = models.ForeignKey(Person, verbose_name=_("人才专员"), null=True, blank=True, on_delete=models.PROTECT,
                                related_name="talents_liaised")
    left_on = models.DateField(_("离开日期"), null=True, blank=True)
    leave_reason = models.CharField(_("离开原因"), max_length=10, choices=LeaveReason.choices, blank=True)
    exit_interview = models.TextField(_("离职面谈"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("人才")
        verbose_name_plural = _("人才")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(person__isnull=False),
                                    name="talent_one_per_person"),
            models.UniqueConstraint(fields=["id_digest"], condition=~Q(id_digest=""), name="talent_one_per_id"),
            # 离开 is both the last stage and the register status: one never without the other
            models.CheckConstraint(
                condition=Q(status="left", stage="left") | (~Q(status="left") & ~Q(stage="left")),
                name="talent_status_matches_stage"),
        ]
        indexes = [
            # Prefix searches (LIKE 'zhang%') need the pattern operator class on PostgreSQL, whose databases here
            # collate C.UTF-8; the pages order by id, so a common prefix walks the primary key backwards instead.
            models.Index(fields=["region_code"], name="talent_region", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["name"], name="talent_name", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["name_pinyin"], name="talent_pinyin", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["name_initials"], name="talent_initials", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["field"], name="talent_field", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["employer", "-id"], name="talent_employer"),
            models.Index(fields=["liaison", "stage"], name="talent_liaison"),
            models.Index(fields=["level", "status"], name="talent_level_status"),
            models.Index(fields=["arrival_date"], name="talent_arrival"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def id_masked(self) -> str:
        return mask_id_number(self.id_number) if self.id_number else ""

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone) if self.phone else ""


class StageTemplate(models.Model):
    """A stage's checklist template: what has to happen for a talent in 落户 (housing, schooling, hukou …)."""

    stage = models.CharField(_("阶段"), max_length=10, choices=Stage.choices)
    name = models.CharField(_("事项"), max_length=80)
    unit = models.CharField(_("责任单位"), max_length=60)
    day_offset = models.PositiveSmallIntegerField(_("进入阶段后第几天完成"), default=0)
    duration_days = models.PositiveSmallIntegerField(_("办理天数"), default=7)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("阶段事项模板")
        verbose_name_plural = _("阶段事项模板")
        ordering = ["stage", "sort", "id"]
        constraints = [models.UniqueConstraint(fields=["stage", "name"], name="talent_template_unique")]

    def __str__(self) -> str:
        return self.name


class Activity(models.Model):
    """One checklist item of one talent's stage, copied from the template when the stage begins."""

    talent = models.ForeignKey(Talent, verbose_name=_("人才"), on_delete=models.CASCADE, related_name="activities")
    template = models.ForeignKey(StageTemplate, verbose_name=_("模板"), null=True, blank=True,
                                 on_delete=models.SET_NULL)
    stage = models.CharField(_("阶段"), max_length=10, choices=Stage.choices)
    name = models.CharField(_("事项"), max_length=80)
    unit = models.CharField(_("责任单位"), max_length=60)
    due_on = models.DateField(_("应完成日期"))
    state = models.CharField(_("状态"), max_length=8, choices=ActivityState.choices, default=ActivityState.OPEN)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("阶段事项")
        verbose_name_plural = _("阶段事项")
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["talent", "stage", "name"], name="talent_activity_unique")]
        indexes = [models.Index(fields=["state", "due_on"], name="talent_activity_due")]

    def __str__(self) -> str:
        return self.name


class StageEntry(models.Model):
    """The timeline: each move of a talent from one stage to the next, who moved it and why."""

    talent = models.ForeignKey(Talent, verbose_name=_("人才"), on_delete=models.CASCADE, related_name="timeline")
    from_stage = models.CharField(_("原阶段"), max_length=10, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("新阶段"), max_length=10, choices=Stage.choices)
    on = models.DateField(_("日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("阶段记录")
        verbose_name_plural = _("阶段记录")
        ordering = ["on", "id"]


class Creator(models.Model):
    """红领创客: a young person who started a business in a village; linked households are its reach."""

    talent = models.OneToOneField(Talent, verbose_name=_("人才"), null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="creator")
    name = models.CharField(_("姓名"), max_length=50)
    business = models.CharField(_("创业项目"), max_length=100)
    village = models.ForeignKey(Region, verbose_name=_("所在村"), on_delete=models.PROTECT, related_name="creators")
    region_code = models.CharField(max_length=12, editable=False, db_index=True)
    started_on = models.DateField(_("创业时间"))
    description = models.CharField(_("简介"), max_length=300, blank=True)
    is_active = models.BooleanField(_("在营"), default=True)

    class Meta:
        verbose_name = _("红领创客")
        verbose_name_plural = _("红领创客")
        ordering = ["region_code", "id"]
        constraints = [models.UniqueConstraint(fields=["name", "business"], name="talent_creator_unique")]

    def __str__(self) -> str:
        return f"{self.name}（{self.business}）"


class StartupProject(models.Model):
    """硕士以上创业项目: a startup founded by talents holding a master's degree or more."""

    name = models.CharField(_("项目名称"), max_length=100, unique=True)
    founders = models.ManyToManyField(Talent, verbose_name=_("创始人"), related_name="projects")
    field = models.CharField(_("领域"), max_length=40)
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(max_length=12, editable=False, db_index=True)
    stage = models.CharField(_("阶段"), max_length=12, choices=ProjectStage.choices, default=ProjectStage.INCUBATING)
    started_on = models.DateField(_("落地时间"))
    investment = models.DecimalField(_("累计投资（万元）"), max_digits=12, decimal_places=2, default=0)
    revenue = models.DecimalField(_("上年营收（万元）"), max_digits=12, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("创业项目")
        verbose_name_plural = _("创业项目")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.name


class ProjectMilestone(models.Model):
    """A startup project's milestone: due, and reached or not."""

    project = models.ForeignKey(StartupProject, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点"), max_length=100)
    due_on = models.DateField(_("计划日期"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("项目节点")
        verbose_name_plural = _("项目节点")
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "title"], name="talent_milestone_unique")]


class Support(models.Model):
    """Support the county gave: to a 红领创客 or to a startup project (exactly one of them)."""

    creator = models.ForeignKey(Creator, null=True, blank=True, on_delete=models.CASCADE, related_name="supports")
    project = models.ForeignKey(StartupProject, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="supports")
    kind = models.CharField(_("支持类型"), max_length=10, choices=SupportKind.choices)
    on = models.DateField(_("日期"))
    amount = models.DecimalField(_("金额（万元）"), max_digits=10, decimal_places=2, default=0)
    note = models.CharField(_("内容"), max_length=200)

    class Meta:
        verbose_name = _("扶持记录")
        verbose_name_plural = _("扶持记录")
        ordering = ["-on", "-id"]
        constraints = [models.CheckConstraint(
            condition=Q(creator__isnull=False, project__isnull=True) | Q(creator__isnull=True, project__isnull=False),
            name="talent_support_one_target")]


class Household(models.Model):
    """A household a 红领创客 works with (employs, buys from), followed by the income panel."""

    creator = models.ForeignKey(Creator, verbose_name=_("红领创客"), on_delete=models.PROTECT,
                                related_name="households")
    head = models.CharField(_("户主"), max_length=50)
    village = models.ForeignKey(Region, verbose_name=_("所在村"), on_delete=models.PROTECT, related_name="+")
    linked_on = models.DateField(_("结对日期"))
    link = models.CharField(_("带动方式"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("带动农户")
        verbose_name_plural = _("带动农户")
        ordering = ["creator", "id"]
        constraints = [models.UniqueConstraint(fields=["creator", "head", "village"], name="talent_household_unique")]

    def __str__(self) -> str:
        return self.head


class IncomeSurvey(models.Model):
    """One wave of the household income panel: wave 0 is the baseline, wave k six·k months after it.

    `income` is the household's income over the twelve months before the survey (元); a missed wave keeps no
    income. One row per household and wave.
    """

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="surveys")
    wave = models.PositiveSmallIntegerField(_("回访期次"))
    due_on = models.DateField(_("应回访日期"))
    state = models.CharField(_("状态"), max_length=8, choices=SurveyState.choices)
    surveyed_on = models.DateField(_("回访日期"), null=True, blank=True)
    income = models.DecimalField(_("年收入（元）"), max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("收入回访")
        verbose_name_plural = _("收入回访")
        ordering = ["household", "wave"]
        constraints = [
            models.UniqueConstraint(fields=["household", "wave"], name="talent_survey_one_per_wave"),
            models.CheckConstraint(condition=Q(state="missed", income__isnull=True)
                                   | Q(state="done", income__isnull=False, income__gte=0),
                                   name="talent_survey_income_when_done"),
        ]


class TalentContest(models.Model):
    """人才创新创业大赛: a judged contest on the evaluation engine — a preliminary and a final round (each an
    evaluation of the judged kind whose panels are the tracks), contestants linked to talents or startup projects,
    and the awards recorded on them after the final."""

    name = models.CharField(_("大赛名称"), max_length=100, unique=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(max_length=12, editable=False, db_index=True)
    unit = models.ForeignKey("org.Unit", verbose_name=_("主办单位"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    description = models.TextField(_("说明"), blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=ContestStatus.choices,
                              default=ContestStatus.REGISTERING, editable=False)
    finalists_per_track = models.PositiveSmallIntegerField(_("每个赛道晋级决赛人数"), default=4)
    # Awards of each track, best first: [[name, count], ...]; a count of 0 (last only) is every other finalist.
    award_plan = models.JSONField(_("奖项设置"), default=list)
    preliminary = models.OneToOneField("evaluation.Evaluation", verbose_name=_("初赛"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+", editable=False)
    final = models.OneToOneField("evaluation.Evaluation", verbose_name=_("决赛"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+", editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("人才大赛")
        verbose_name_plural = _("人才大赛")
        ordering = ["-year", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(finalists_per_track__gte=1), name="talent_contest_finalists_min"),
        ]

    def __str__(self) -> str:
        return self.name


class ContestTrack(models.Model):
    """赛道: a track of a contest; its name is the panel (评审组) of both rounds' evaluations."""

    contest = models.ForeignKey(TalentContest, on_delete=models.CASCADE, related_name="tracks")
    name = models.CharField(_("赛道"), max_length=20)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("赛道")
        verbose_name_plural = _("赛道")
        ordering = ["contest", "sort", "id"]
        constraints = [models.UniqueConstraint(fields=["contest", "name"], name="talent_track_unique")]

    def __str__(self) -> str:
        return self.name


class Contestant(models.Model):
    """参赛选手/项目: a talent, a startup project or both, in one track; the rounds' subjects, scores and award."""

    contest = models.ForeignKey(TalentContest, on_delete=models.CASCADE, related_name="contestants")
    track = models.ForeignKey(ContestTrack, verbose_name=_("赛道"), on_delete=models.PROTECT,
                              related_name="contestants")
    talent = models.ForeignKey(Talent, verbose_name=_("人才"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="contest_entries")
    project = models.ForeignKey(StartupProject, verbose_name=_("创业项目"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="contest_entries")
    label = models.CharField(_("参赛名称"), max_length=120)
    preliminary_subject = models.OneToOneField("evaluation.Subject", null=True, blank=True, on_delete=models.PROTECT,
                                               related_name="+", editable=False)
    final_subject = models.OneToOneField("evaluation.Subject", null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="+", editable=False)
    preliminary_score = models.FloatField(_("初赛得分"), null=True, blank=True, editable=False)
    advanced = models.BooleanField(_("晋级决赛"), default=False, editable=False)
    final_score = models.FloatField(_("决赛得分"), null=True, blank=True, editable=False)
    award = models.CharField(_("奖项"), max_length=20, blank=True, editable=False)
    award_order = models.PositiveSmallIntegerField(_("奖项等次"), default=0, editable=False)

    class Meta:
        verbose_name = _("参赛选手")
        verbose_name_plural = _("参赛选手")
        ordering = ["contest", "track__sort", "award_order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(talent__isnull=False) | Q(project__isnull=False),
                                   name="talent_contestant_has_entry"),
            models.UniqueConstraint(fields=["contest", "talent"], condition=Q(talent__isnull=False),
                                    name="talent_contestant_one_per_talent"),
            models.UniqueConstraint(fields=["contest", "project"], condition=Q(project__isnull=False),
                                    name="talent_contestant_one_per_project"),
        ]

    def __str__(self) -> str:
        return self.label
