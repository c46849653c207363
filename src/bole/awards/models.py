"""担当之星 / 担当团队: a round per quarter, nominations, objections in the publicity period, honours."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import NominationKind, NominationStatus, ObjectionStatus, RoundStatus


class AwardRound(models.Model):
    """One quarter's award round; its status moves only through award_round_transition."""

    period = models.CharField(_("季度"), max_length=6, unique=True)
    title = models.CharField(_("名称"), max_length=120)
    status = models.CharField(_("状态"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    nominate_until = models.DateField(_("提名截止"), null=True, blank=True)
    star_quota = models.PositiveSmallIntegerField(_("担当之星名额"), default=10)
    team_quota = models.PositiveSmallIntegerField(_("担当团队名额"), default=3)
    star_points = models.DecimalField(_("担当之星积分"), max_digits=6, decimal_places=2, default=Decimal("3"))
    team_points = models.DecimalField(_("担当团队成员积分"), max_digits=6, decimal_places=2, default=Decimal("2"))
    publicity_days = models.PositiveSmallIntegerField(_("公示天数"), default=5)
    publicity_from = models.DateField(_("公示开始"), null=True, blank=True)
    publicity_until = models.DateField(_("公示截止"), null=True, blank=True)
    evaluation = models.ForeignKey("evaluation.Evaluation", verbose_name=_("评审会"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    announced_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("评选轮次")
        verbose_name_plural = _("评选轮次")
        ordering = ["-period"]

    def __str__(self) -> str:
        return self.title


class RoundEvent(models.Model):
    """Timeline of a round: each transition with who, when and why."""

    round = models.ForeignKey(AwardRound, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, choices=RoundStatus.choices)
    to_status = models.CharField(max_length=12, choices=RoundStatus.choices)
    note = models.CharField(max_length=300, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]


class Nomination(models.Model):
    """提名: a person (担当之星) or a team (担当团队) put forward by a unit with their deeds."""

    round = models.ForeignKey(AwardRound, verbose_name=_("轮次"), on_delete=models.PROTECT,
                              related_name="nominations")
    kind = models.CharField(_("类别"), max_length=6, choices=NominationKind.choices)
    person = models.ForeignKey("org.Person", verbose_name=_("被提名人"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    team_name = models.CharField(_("团队名称"), max_length=100, blank=True)
    members = models.ManyToManyField("org.Person", verbose_name=_("团队成员"), blank=True, related_name="+")
    unit = models.ForeignKey("org.Unit", verbose_name=_("推荐单位"), on_delete=models.PROTECT, related_name="+")
    deeds = models.TextField(_("主要事迹"))
    status = models.CharField(_("状态"), max_length=12, choices=NominationStatus.choices,
                              default=NominationStatus.SUBMITTED)
    score = models.FloatField(_("评审得分"), null=True, blank=True)
    rank = models.PositiveIntegerField(_("名次"), null=True, blank=True)
    subject = models.ForeignKey("evaluation.Subject", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("提名")
        verbose_name_plural = _("提名")
        ordering = ["round", "kind", "rank", "id"]
        indexes = [models.Index(fields=["round", "status"], name="award_nom_round_status")]
        # One nomination of a person per round; a withdrawn one does not count, so the unit may nominate again.
        constraints = [models.UniqueConstraint(fields=["round", "person"],
                                               condition=~Q(status=NominationStatus.WITHDRAWN),
                                               name="award_nomination_once")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.kind == NominationKind.TEAM:
            return self.team_name
        return self.person.name if self.person_id else ""


class Objection(models.Model):
    """异议 lodged against a proposed winner during the publicity period, answered and kept on record."""

    round = models.ForeignKey(AwardRound, on_delete=models.PROTECT, related_name="objections")
    nomination = models.ForeignKey(Nomination, verbose_name=_("异议对象"), on_delete=models.PROTECT,
                                   related_name="objections")
    reason = models.TextField(_("异议理由"))
    status = models.CharField(_("状态"), max_length=10, choices=ObjectionStatus.choices,
                              default=ObjectionStatus.OPEN)
    answer = models.TextField(_("答复"), blank=True)
    lodged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    lodged_person = models.ForeignKey("org.Person", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    lodged_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["lodged_at", "id"]

    def __str__(self) -> str:
        return f"{self.nomination} {self.get_status_display()}"


class Honour(models.Model):
    """A winner's record on their profile (one row per person; a team's members each get one)."""

    round = models.ForeignKey(AwardRound, on_delete=models.PROTECT, related_name="honours")
    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="honours")
    person = models.ForeignKey("org.Person", verbose_name=_("人员"), on_delete=models.PROTECT,
                               related_name="award_honours")
    kind = models.CharField(_("类别"), max_length=6, choices=NominationKind.choices)
    title = models.CharField(_("荣誉"), max_length=120)
    period = models.CharField(_("季度"), max_length=6)
    points = models.DecimalField(_("积分"), max_digits=6, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("荣誉记录")
        verbose_name_plural = _("荣誉记录")
        ordering = ["-period", "id"]
        constraints = [models.UniqueConstraint(fields=["nomination", "person"], name="award_honour_once")]

    def __str__(self) -> str:
        return f"{self.person} {self.title}"
