"""奔跑赶超 points assessment: schemes, rounds, imported inputs, results with their full breakdown."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import (
    Grouping,
    IndicatorKind,
    MissingRule,
    Normalisation,
    ObjectionStatus,
    PeriodKind,
    RoundStatus,
    Target,
)


class Scheme(models.Model):
    """考核方案: who is assessed, how often, on which weighted indicators, grouped and graded how."""

    name = models.CharField(_("方案名称"), max_length=100, unique=True)
    target = models.CharField(_("考核对象"), max_length=20, choices=Target.choices)
    period_kind = models.CharField(_("考核周期"), max_length=10, choices=PeriodKind.choices)
    grouping = models.CharField(_("排名分组"), max_length=20, choices=Grouping.choices, default=Grouping.ALL)
    decimals = models.PositiveSmallIntegerField(_("保留小数位"), default=2)
    excellent_share = models.DecimalField(_("优秀比例"), max_digits=4, decimal_places=2, default=Decimal("0.15"),
                                          help_text=_("一般不超过 15%，最多 20%"))
    excellent_min_total = models.DecimalField(_("优秀最低分"), max_digits=6, decimal_places=2, null=True,
                                              blank=True)
    basic_threshold = models.DecimalField(_("基本称职分数线"), max_digits=6, decimal_places=2, null=True,
                                          blank=True, help_text=_("总分低于此线为基本称职"))
    fail_threshold = models.DecimalField(_("不称职分数线"), max_digits=6, decimal_places=2, null=True,
                                         blank=True, help_text=_("总分低于此线为不称职"))
    quota_rounding = models.CharField(_("名额取整"), max_length=5, default="floor",
                                      choices=[("floor", _("向下取整")), ("round", _("四舍五入"))])
    tie_breakers = models.JSONField(_("同分比较指标"), default=list, blank=True,
                                    help_text=_("指标代码列表，按顺序比较"))
    region = models.ForeignKey("org.Region", verbose_name=_("考核范围"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+",
                               help_text=_("留空为全部区划；指定后只考核该区划内单位的人员（如一个县区的方案）"))
    doc_prefix = models.CharField(_("文号前缀"), max_length=20, default="德组通")
    issuer = models.CharField(_("发文机关"), max_length=60, default="中共德清县委组织部")
    is_active = models.BooleanField(_("有效"), default=True)
    replaces = models.ForeignKey("self", verbose_name=_("取代的方案"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="replaced_by",
                                 help_text=_("本方案所取代的上一版方案：精简前后的指标数由此对比"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """One weighted indicator of a scheme and where its values come from."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="indicators")
    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("指标名称"), max_length=60)
    kind = models.CharField(_("类型"), max_length=20, choices=IndicatorKind.choices)
    weight = models.DecimalField(_("权重"), max_digits=5, decimal_places=2)
    direction = models.SmallIntegerField(_("方向"), default=1, choices=[(1, _("越高越好")), (-1, _("越低越好"))])
    normalisation = models.CharField(_("标准化"), max_length=12, choices=Normalisation.choices,
                                     default=Normalisation.MINMAX)
    missing = models.CharField(_("缺失值处理"), max_length=12, choices=MissingRule.choices, default=MissingRule.ZERO)
    categories = models.ManyToManyField("ledger.PointCategory", verbose_name=_("积分类别"), blank=True)
    metric = models.SlugField(_("导入数值代码"), max_length=40, blank=True,
                              help_text=_("手工/导入数值与多维评议（未关联测评时）按此代码取值；机制数据填写其代码"))
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["scheme", "sort", "id"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="indicator_code_unique")]

    def __str__(self) -> str:
        return f"{self.name}（{self.weight:g}）"


class Round(models.Model):
    """考核周期 of one scheme: its status, the fingerprint of the inputs it was computed from."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="rounds")
    period = models.CharField(_("周期"), max_length=6)
    title = models.CharField(_("名称"), max_length=120)
    status = models.CharField(_("状态"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    doc_number = models.CharField(_("文号"), max_length=40, blank=True)
    publicity_until = models.DateField(_("公示截止"), null=True, blank=True)
    input_fingerprint = models.CharField(_("输入指纹"), max_length=64, blank=True)
    frozen_fingerprint = models.CharField(_("归档时输入指纹"), max_length=64, blank=True)
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    frozen_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    engine_version = models.CharField(max_length=40, blank=True)
    parameters = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("考核轮次")
        verbose_name_plural = _("考核轮次")
        ordering = ["scheme", "period"]
        constraints = [models.UniqueConstraint(fields=["scheme", "period"], name="round_period_unique")]

    def __str__(self) -> str:
        return self.title


class RoundSource(models.Model):
    """The evaluation (多维评议) that feeds one multi-rater indicator in one round."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="sources")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    evaluation = models.ForeignKey("evaluation.Evaluation", verbose_name=_("测评"), on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = _("评议来源")
        constraints = [models.UniqueConstraint(fields=["round", "indicator"], name="round_source_unique")]


class UnitScore(models.Model):
    """单位综合考评: a unit's comprehensive evaluation score for a period, imported from Excel."""

    key = models.CharField(max_length=40, unique=True, editable=False)  # "<period>|<unit id>", the import key
    unit = models.ForeignKey("org.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("周期"), max_length=6)
    score = models.DecimalField(_("综合考评得分"), max_digits=7, decimal_places=2)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("单位综合考评得分")
        verbose_name_plural = _("单位综合考评得分")
        ordering = ["period", "unit__path"]
        indexes = [models.Index(fields=["period", "unit"])]

    def __str__(self) -> str:
        return f"{self.unit} {self.period} {self.score}"


class TaskTally(models.Model):
    """Tasks assigned to and completed by a person in a period, entered or imported by hand."""

    key = models.CharField(max_length=40, unique=True, editable=False)  # "<period>|<person id>"
    person = models.ForeignKey("org.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("周期"), max_length=6)
    assigned = models.PositiveIntegerField(_("交办任务数"))
    completed = models.PositiveIntegerField(_("完成任务数"))
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("个人任务台账")
        verbose_name_plural = _("个人任务台账")
        ordering = ["period", "person_id"]
        indexes = [models.Index(fields=["period", "person"])]

    def __str__(self) -> str:
        return f"{self.person} {self.period} {self.completed}/{self.assigned}"


class ManualValue(models.Model):
    """A value of a manual/imported indicator (by metric code) for a person in a period."""

    key = models.CharField(max_length=100, unique=True, editable=False)  # "<metric>|<period>|<person id>"
    metric = models.SlugField(_("数值代码"), max_length=40)
    person = models.ForeignKey("org.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("周期"), max_length=6)
    value = models.DecimalField(_("数值"), max_digits=10, decimal_places=3)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("导入数值")
        verbose_name_plural = _("导入数值")
        ordering = ["metric", "period", "person_id"]
        indexes = [models.Index(fields=["metric", "period", "person"])]

    def __str__(self) -> str:
        return f"{self.metric} {self.person} {self.period} {self.value}"


class Result(models.Model):
    """考核结果 of one person in one round, with every indicator's breakdown (written in bulk)."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="results")
    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")  # unit at compute time
    group = models.CharField(_("排名组"), max_length=60)
    total = models.DecimalField(_("总分"), max_digits=7, decimal_places=2)
    rank = models.PositiveIntegerField(_("组内名次"))
    position = models.PositiveIntegerField(_("组内序号"))
    group_size = models.PositiveIntegerField(_("组内人数"))
    grade = models.CharField(_("等次"), max_length=10)
    grade_index = models.SmallIntegerField()
    flags = models.PositiveIntegerField(default=0)
    grade_flags = models.PositiveSmallIntegerField(default=0)
    prev_rank = models.PositiveIntegerField(_("上期名次"), null=True, blank=True)
    breakdown = models.JSONField(default=list)  # per indicator: code, raw, normalised, weight, units, detail

    class Meta:
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")
        ordering = ["round", "group", "position"]
        constraints = [models.UniqueConstraint(fields=["round", "person"], name="result_person_unique")]
        indexes = [models.Index(fields=["round", "group", "position"])]

    def __str__(self) -> str:
        return f"{self.round} {self.person_id} {self.total}"


class GradeDecision(models.Model):
    """A grade decided rather than earned (基本称职/不称职 by decision, an upheld objection)."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="decisions")
    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+")
    grade = models.CharField(_("等次"), max_length=10)
    reason = models.CharField(_("依据"), max_length=300)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("等次决定")
        constraints = [models.UniqueConstraint(fields=["round", "person"], name="decision_person_unique")]


class Objection(models.Model):
    """异议: lodged by a cadre during the publicity period with a reason, answered and kept on record."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="objections")
    person = models.ForeignKey("org.Person", verbose_name=_("提出人"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("异议理由"))
    status = models.CharField(_("状态"), max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN)
    answer = models.TextField(_("答复"), blank=True)
    lodged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    lodged_at = models.DateTimeField(auto_now_add=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["round", "lodged_at", "id"]

    def __str__(self) -> str:
        return f"{self.round} {self.person_id} {self.get_status_display()}"


class RoundEvent(models.Model):
    """Timeline of a round: each transition with who, when and why."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField(max_length=12, choices=RoundStatus.choices)
    to_status = models.CharField(max_length=12, choices=RoundStatus.choices)
    note = models.CharField(max_length=300, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
