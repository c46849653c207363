"""产学研 pairing: experts, enterprises' technical needs (cases on the 技术需求 desk), matching runs, pairings."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import LIVE_STATES, ConflictKind, OutcomeKind, PairState, RunStatus


class Expert(models.Model):
    """专家: a professor or other expert, on the register (person) or from outside, with what they know."""

    code = models.CharField(_("专家编号"), max_length=30, unique=True)
    name = models.CharField(_("姓名"), max_length=50)
    region = models.ForeignKey("org.Region", verbose_name=_("服务区县"), on_delete=models.PROTECT, related_name="+")
    person = models.OneToOneField("org.Person", verbose_name=_("在册人员"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    institution = models.CharField(_("单位"), max_length=100)
    title = models.CharField(_("职称"), max_length=30, blank=True)
    fields = models.CharField(_("研究领域"), max_length=200, blank=True)
    keywords = models.CharField(_("关键词"), max_length=300, blank=True)
    works = models.TextField(_("论文与专利"), blank=True)
    capacity = models.PositiveSmallIntegerField(_("年度对接企业上限"), default=3)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("专家")
        verbose_name_plural = _("专家")
        ordering = ["institution", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["name", "institution"], name="pairing_expert_unique")]

    def __str__(self) -> str:
        return f"{self.name}（{self.institution}）"

    @property
    def text(self) -> str:
        """What the matching reads about the expert."""
        return "\n".join([self.fields, self.keywords, self.works])


class Conflict(models.Model):
    """利益冲突: an expert never proposed to this enterprise (shares, former employer, a relative's firm)."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="conflicts")
    enterprise = models.ForeignKey("org.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT,
                                   related_name="+")
    kind = models.CharField(_("冲突类型"), max_length=10, choices=ConflictKind.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("利益冲突")
        verbose_name_plural = _("利益冲突")
        constraints = [models.UniqueConstraint(fields=["expert", "enterprise"], name="pairing_conflict_unique")]

    def __str__(self) -> str:
        return f"{self.expert} · {self.enterprise}"


class Need(models.Model):
    """技术需求 in matching: one per case of the 技术需求 desk, with the field and how many experts to propose."""

    case = models.OneToOneField("cases.Case", verbose_name=_("需求"), on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey("org.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT,
                                   related_name="+")
    field = models.CharField(_("技术领域"), max_length=30, blank=True)
    k = models.PositiveSmallIntegerField(_("推荐专家数"), default=3)
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("需求描述"))
    posted_at = models.DateTimeField(_("提出时间"))
    classified_at = models.DateTimeField(_("分类时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("技术需求")
        verbose_name_plural = _("技术需求")
        ordering = ["-posted_at", "-id"]

    def __str__(self) -> str:
        return self.title


class MatchRun(models.Model):
    """One matching: what was matched, by which engine version and parameters, and how well."""

    region = models.ForeignKey("org.Region", verbose_name=_("区县"), on_delete=models.PROTECT, related_name="+")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    status = models.CharField(_("状态"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    engine = models.CharField(_("引擎"), max_length=60, blank=True)
    params = models.JSONField(_("参数"), default=dict)
    needs = models.PositiveIntegerField(_("需求数"), default=0)
    experts = models.PositiveIntegerField(_("专家数"), default=0)
    pairs = models.PositiveIntegerField(_("推荐对数"), default=0)
    total_affinity = models.FloatField(_("匹配度合计"), default=0)
    floor_missed = models.PositiveIntegerField(_("未达最低匹配度的需求"), default=0)
    seconds = models.FloatField(_("用时（秒）"), default=0)
    message = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("匹配批次")
        verbose_name_plural = _("匹配批次")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.started_at:%Y-%m-%d %H:%M}"


class Pairing(models.Model):
    """结对: one expert proposed to one need, followed from proposal to the problem solved or not."""

    need = models.ForeignKey(Need, verbose_name=_("技术需求"), on_delete=models.PROTECT, related_name="pairings")
    expert = models.ForeignKey(Expert, verbose_name=_("专家"), on_delete=models.PROTECT, related_name="pairings")
    run = models.ForeignKey(MatchRun, verbose_name=_("匹配批次"), null=True, blank=True, on_delete=models.PROTECT,
                            related_name="pairings")
    by_hand = models.BooleanField(_("人工调整"), default=False)
    affinity = models.FloatField(_("匹配度"), default=0)
    terms = models.JSONField(_("共同关键词"), default=list, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=PairState.choices, default=PairState.PROPOSED)
    enterprise_ok_at = models.DateTimeField(_("企业确认时间"), null=True, blank=True)
    expert_ok_at = models.DateTimeField(_("专家确认时间"), null=True, blank=True)
    first_meeting_on = models.DateField(_("首次对接日期"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    outcome = models.CharField(_("成果类型"), max_length=10, choices=OutcomeKind.choices, blank=True)
    outcome_note = models.CharField(_("成果说明"), max_length=300, blank=True)
    cost_saved = models.DecimalField(_("节约成本（万元）"), max_digits=10, decimal_places=2, null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("企业评分"), null=True, blank=True)
    rating_comment = models.CharField(_("评价意见"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("推荐时间"))

    class Meta:
        verbose_name = _("结对")
        verbose_name_plural = _("结对")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["need", "expert"], condition=Q(state__in=LIVE_STATES),
                                    name="pairing_live_pair_unique"),
            models.CheckConstraint(condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                                   name="pairing_rating_range"),
        ]
        indexes = [models.Index(fields=["state", "closed_at"], name="pairing_state_closed")]

    def __str__(self) -> str:
        return f"{self.need} · {self.expert}"


class Report(models.Model):
    """A progress report on a pairing (either side or the department)."""

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="reports")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    text = models.TextField(_("进展"))

    class Meta:
        verbose_name = _("结对进展")
        verbose_name_plural = _("结对进展")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.pairing_id} {self.at:%Y-%m-%d}"
