"""强村六式: village records by year (indicators are rows), monthly operating income, the 强村指数 runs and
their results, and the operation teams (乡村运营团队) of the pilot villages.

A village is a register region of the village level (12-digit code, `org.Region`); its town is the region's parent.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import Direction, EventKind, HonourKind, LogKind

OPERATING_INCOME = "operating_income"  # the indicator the 70万 target, the lights and the trajectory read
TARGET_WAN = 70  # 万元: no village under it


class Indicator(models.Model):
    """强村指数的指标: configuration, not a column — a new indicator is a new row."""

    code = models.SlugField(_("指标代码"), max_length=40, unique=True)
    name = models.CharField(_("指标名称"), max_length=60, unique=True)
    unit = models.CharField(_("单位"), max_length=20, blank=True)
    direction = models.SmallIntegerField(_("方向"), choices=Direction.choices, default=Direction.HIGHER)
    weight = models.DecimalField(_("权重"), max_digits=6, decimal_places=2, default=1)
    denominator = models.ForeignKey("self", verbose_name=_("分母指标"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    help_text=_("如“人均”：本指标除以该指标（例如户籍人口）"))
    scale = models.DecimalField(_("分母倍数"), max_digits=10, decimal_places=2, default=1,
                                help_text=_("除以分母后乘以此数，如每千人填 1000"))
    lo = models.FloatField(_("下限门槛"), null=True, blank=True)
    hi = models.FloatField(_("上限门槛"), null=True, blank=True)
    target = models.FloatField(_("目标值"), null=True, blank=True)
    in_index = models.BooleanField(_("计入指数"), default=True,
                                   help_text=_("只作分母或只作记录的指标（如人口）不计入"))
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("强村指标")
        verbose_name_plural = _("强村指标")
        ordering = ["sort", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=0), name="village_indicator_weight_nonnegative"),
            models.CheckConstraint(condition=Q(direction__in=[1, -1]), name="village_indicator_direction"),
        ]

    def __str__(self) -> str:
        return self.name


class VillageValue(models.Model):
    """一个村一年一个指标的数值 (imported from the towns' sheets)."""

    village = models.ForeignKey("org.Region", verbose_name=_("村"), on_delete=models.PROTECT,
                                related_name="village_values")
    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="values")
    year = models.PositiveSmallIntegerField(_("年度"))
    value = models.FloatField(_("数值"))
    imported_at = models.DateTimeField(_("导入时间"), auto_now=True)

    class Meta:
        verbose_name = _("村年度指标值")
        verbose_name_plural = _("村年度指标值")
        ordering = ["year", "village__code", "indicator__sort"]
        constraints = [
            models.UniqueConstraint(fields=["village", "indicator", "year"], name="village_value_once"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="village_value_year"),
        ]
        indexes = [models.Index(fields=["year", "indicator"])]

    def __str__(self) -> str:
        return f"{self.village} {self.year} {self.indicator}"


class MonthlyIncome(models.Model):
    """本年经营性收入累计（截至某月）: the trajectory towards the year's 70万."""

    village = models.ForeignKey("org.Region", verbose_name=_("村"), on_delete=models.PROTECT,
                                related_name="monthly_incomes")
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    to_date = models.FloatField(_("累计经营性收入（万元）"))

    class Meta:
        verbose_name = _("月度经营性收入")
        verbose_name_plural = _("月度经营性收入")
        ordering = ["village__code", "year", "month"]
        constraints = [
            models.UniqueConstraint(fields=["village", "year", "month"], name="village_month_once"),
            models.CheckConstraint(condition=Q(month__gte=1) & Q(month__lte=12), name="village_month_range"),
            models.CheckConstraint(condition=Q(to_date__gte=0), name="village_month_nonnegative"),
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.year}-{self.month:02d}"


class IndexRun(models.Model):
    """一次强村指数计算: a county's villages for one year, with the engine's version and every parameter."""

    county = models.ForeignKey("org.Region", verbose_name=_("县（区）"), on_delete=models.PROTECT,
                               related_name="village_index_runs")
    year = models.PositiveSmallIntegerField(_("年度"))
    engine_version = models.CharField(_("引擎版本"), max_length=40)
    parameters = models.JSONField(_("参数"), default=dict)
    sensitivity = models.JSONField(_("敏感性"), default=dict)
    leave_one_out = models.JSONField(_("逐一剔除指标"), default=dict)
    villages = models.PositiveIntegerField(_("村数"), default=0)
    seconds = models.FloatField(_("计算用时（秒）"), default=0)
    created_at = models.DateTimeField(_("计算时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = _("强村指数计算")
        verbose_name_plural = _("强村指数计算")
        ordering = ["-year", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.county} {self.year}"


class IndexScore(models.Model):
    """一个村在一次计算中的指数、名次与 90% 名次区间, and each indicator's contribution."""

    run = models.ForeignKey(IndexRun, on_delete=models.CASCADE, related_name="scores")
    village = models.ForeignKey("org.Region", verbose_name=_("村"), on_delete=models.PROTECT, related_name="+")
    score = models.FloatField(_("指数"))
    rank = models.PositiveIntegerField(_("名次"))
    rank_low = models.PositiveIntegerField(_("名次区间（高）"))
    rank_high = models.PositiveIntegerField(_("名次区间（低）"))
    rank_median = models.PositiveIntegerField(_("名次中位数"))
    contributions = models.JSONField(_("指标贡献"), default=dict)
    normalised = models.JSONField(_("标准化值"), default=dict)
    flags = models.JSONField(_("处理标记"), default=dict)

    class Meta:
        verbose_name = _("强村指数结果")
        verbose_name_plural = _("强村指数结果")
        ordering = ["run", "rank", "village__code"]
        constraints = [
            models.UniqueConstraint(fields=["run", "village"], name="village_score_once"),
            models.CheckConstraint(condition=Q(rank_low__lte=models.F("rank_high")), name="village_score_interval"),
        ]

    def __str__(self) -> str:
        return f"{self.village} #{self.rank}"


class OperationTeam(models.Model):
    """乡村运营团队: a company contracted to run a village's business, with term, fee and income target."""

    village = models.ForeignKey("org.Region", verbose_name=_("村"), on_delete=models.PROTECT,
                                related_name="operation_teams")
    company = models.CharField(_("运营公司"), max_length=100)
    members = models.CharField(_("团队成员"), max_length=300, blank=True)
    start = models.DateField(_("合同起始"))
    end = models.DateField(_("合同截止"))
    fee = models.DecimalField(_("服务费（万元/年）"), max_digits=8, decimal_places=2, default=0)
    income_target = models.DecimalField(_("经营性收入目标（万元）"), max_digits=8, decimal_places=2, default=0)
    is_pilot = models.BooleanField(_("试点"), default=False)
    is_active = models.BooleanField(_("在约"), default=True)

    class Meta:
        verbose_name = _("乡村运营团队")
        verbose_name_plural = _("乡村运营团队")
        ordering = ["village__code"]
        constraints = [
            models.UniqueConstraint(fields=["village"], condition=Q(is_active=True), name="village_one_active_team"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="village_team_term"),
            models.CheckConstraint(condition=Q(fee__gte=0) & Q(income_target__gte=0),
                                   name="village_team_amounts"),
        ]

    def __str__(self) -> str:
        return f"{self.village} · {self.company}"


class MonthlyReport(models.Model):
    """运营团队月报: what the team did and the income it brought the village that month."""

    team = models.ForeignKey(OperationTeam, on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    summary = models.TextField(_("工作内容"))
    income = models.FloatField(_("带来经营性收入（万元）"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("运营月报")
        verbose_name_plural = _("运营月报")
        ordering = ["team", "year", "month"]
        constraints = [
            models.UniqueConstraint(fields=["team", "year", "month"], name="village_report_once"),
            models.CheckConstraint(condition=Q(month__gte=1) & Q(month__lte=12), name="village_report_month"),
            models.CheckConstraint(condition=Q(income__gte=0), name="village_report_income"),
        ]


class Patron(models.Model):
    """强村局长: a county department head paired with a village for a term (one live pairing per head and village)."""

    village = models.ForeignKey("org.Region", verbose_name=_("村"), on_delete=models.PROTECT,
                                related_name="village_patrons")
    person = models.ForeignKey("org.Person", verbose_name=_("强村局长"), on_delete=models.PROTECT,
                               related_name="village_patronages")
    start = models.DateField(_("结对起始"))
    end = models.DateField(_("结对截止"))
    is_active = models.BooleanField(_("结对中"), default=True)
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("强村局长结对")
        verbose_name_plural = _("强村局长结对")
        ordering = ["village__code", "-start", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "village"], condition=Q(is_active=True),
                                    name="village_patron_once"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="village_patron_term"),
        ]

    def __str__(self) -> str:
        return f"{self.village} · {self.person}"


class PatronLog(models.Model):
    """强村局长's log: a visit, an action, or a problem raised (then `case` is the case it opened)."""

    patron = models.ForeignKey(Patron, verbose_name=_("结对"), on_delete=models.PROTECT, related_name="logs")
    kind = models.CharField(_("类型"), max_length=12, choices=LogKind.choices)
    on = models.DateField(_("日期"))
    summary = models.TextField(_("内容"), max_length=2000)
    case = models.ForeignKey("cases.Case", verbose_name=_("问题办理"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = _("强村局长履职记录")
        verbose_name_plural = _("强村局长履职记录")
        ordering = ["-on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["visit", "action", "problem"]), name="village_log_kind"),
            models.CheckConstraint(condition=Q(kind="problem", case__isnull=False) | ~Q(kind="problem"),
                                   name="village_log_problem_case"),
        ]

    def __str__(self) -> str:
        return f"{self.patron} {self.on}"


class TeamReview(models.Model):
    """运营团队年终评价: one judged evaluation (the evaluation engine's panel) of a county's teams for a year."""

    county = models.ForeignKey("org.Region", verbose_name=_("县（区）"), on_delete=models.PROTECT,
                               related_name="village_team_reviews")
    year = models.PositiveSmallIntegerField(_("年度"))
    evaluation = models.OneToOneField("evaluation.Evaluation", verbose_name=_("评审会"), on_delete=models.PROTECT,
                                      related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("运营团队年终评价")
        verbose_name_plural = _("运营团队年终评价")
        ordering = ["-year", "county__code"]
        constraints = [
            models.UniqueConstraint(fields=["county", "year"], name="village_team_review_once"),
        ]

    def __str__(self) -> str:
        return f"{self.county} {self.year}"


class TeamReviewEntry(models.Model):
    """A team as a subject of its year's review."""

    review = models.ForeignKey(TeamReview, on_delete=models.CASCADE, related_name="entries")
    team = models.ForeignKey(OperationTeam, verbose_name=_("运营团队"), on_delete=models.PROTECT,
                             related_name="review_entries")
    subject = models.OneToOneField("evaluation.Subject", on_delete=models.PROTECT, related_name="+")
    reported_income = models.FloatField(_("当年月报收入（万元）"), default=0)

    class Meta:
        verbose_name = _("年终评价对象")
        verbose_name_plural = _("年终评价对象")
        ordering = ["review", "team__village__code"]
        constraints = [
            models.UniqueConstraint(fields=["review", "team"], name="village_team_review_entry_once"),
        ]


class VillageEvent(models.Model):
    """强村论坛 / 强村大会: an event with its agenda and participants (villages and people)."""

    county = models.ForeignKey("org.Region", verbose_name=_("县（区）"), on_delete=models.PROTECT,
                               related_name="village_events")
    kind = models.CharField(_("类型"), max_length=12, choices=EventKind.choices)
    title = models.CharField(_("名称"), max_length=120)
    on = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=120)
    agenda = models.JSONField(_("议程"), default=list, help_text=_("每行一项"))
    villages = models.ManyToManyField("org.Region", verbose_name=_("参加的村"), blank=True, related_name="+")
    people = models.ManyToManyField("org.Person", verbose_name=_("参加人员"), blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("强村论坛与大会")
        verbose_name_plural = _("强村论坛与大会")
        ordering = ["-on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["forum", "assembly"]), name="village_event_kind"),
        ]

    def __str__(self) -> str:
        return self.title


class Honour(models.Model):
    """The year's honours of a county's villages, computed from the stored index results (top N, biggest rise)."""

    county = models.ForeignKey("org.Region", verbose_name=_("县（区）"), on_delete=models.PROTECT,
                               related_name="village_honours")
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("荣誉"), max_length=8, choices=HonourKind.choices)
    village = models.ForeignKey("org.Region", verbose_name=_("村"), on_delete=models.PROTECT, related_name="+")
    place = models.PositiveSmallIntegerField(_("位次"))
    rank = models.PositiveIntegerField(_("名次"))
    previous_rank = models.PositiveIntegerField(_("上年名次"), null=True, blank=True)
    score = models.FloatField(_("指数"))
    run = models.ForeignKey(IndexRun, verbose_name=_("依据的指数计算"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("强村荣誉")
        verbose_name_plural = _("强村荣誉")
        ordering = ["-year", "kind", "place"]
        constraints = [
            models.UniqueConstraint(fields=["county", "year", "kind", "village"], name="village_honour_once"),
            models.UniqueConstraint(fields=["county", "year", "kind", "place"], name="village_honour_place"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.village}"
