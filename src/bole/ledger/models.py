"""The points ledger: every point a person or unit earns or loses, with the record that earned it."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from .choices import CapPeriod, EntryStatus

# The categories Bole and its demo create, stored in Chinese (the official records' words) and shown translated.
STANDARD_NAMES = frozenset((
    gettext_noop("表彰奖励"), gettext_noop("揭榜挂帅"), gettext_noop("一线考评"), gettext_noop("大讲堂授课"),
    gettext_noop("问责扣分"), gettext_noop("扣分"),
))


class PointCategory(models.Model):
    """A kind of points (表彰奖励, 揭榜挂帅, 一线考评, 扣分 ...) with its cap and floor per period."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    cap = models.DecimalField(_("加分上限"), max_digits=8, decimal_places=2, null=True, blank=True)
    floor = models.DecimalField(_("扣分下限"), max_digits=8, decimal_places=2, null=True, blank=True,
                                help_text=_("如 -10 表示每期最多扣 10 分"))
    cap_period = models.CharField(_("上限周期"), max_length=10, choices=CapPeriod.choices, default=CapPeriod.YEAR)
    auto_approve = models.BooleanField(_("自动通过"), default=False)
    sort = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("积分类别")
        verbose_name_plural = _("积分类别")
        ordering = ["sort", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the page's language: the standard categories (STANDARD_NAMES) are stored in Chinese and
        translated here; a county's own names show as entered."""
        return gettext(self.name) if self.name in STANDARD_NAMES else self.name


class LedgerQuerySet(models.QuerySet):
    """Ledger rows are evidence: corrections are reversing entries, nothing is deleted."""

    def delete(self):
        raise PermissionError("point entries are append-only")


LIVE_POSTING = Q(source_type__isnull=False, reverses__isnull=True, is_reversed=False) & ~Q(status="rejected")


class PointEntry(models.Model):
    """积分明细: one posting of points, pending until approved; corrected only by a reversing entry."""

    person = models.ForeignKey("org.Person", verbose_name=_("人员"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="point_entries")
    unit = models.ForeignKey("org.Unit", verbose_name=_("单位"), on_delete=models.PROTECT,
                             related_name="point_entries", help_text=_("个人积分记其当时所在单位；团队积分记该单位"))
    period = models.CharField(_("周期"), max_length=6)
    category = models.ForeignKey(PointCategory, verbose_name=_("类别"), on_delete=models.PROTECT,
                                 related_name="entries")
    points = models.DecimalField(_("分值"), max_digits=8, decimal_places=2)
    reason = models.CharField(_("事由"), max_length=300)
    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    source_id = models.CharField(max_length=64, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    status = models.CharField(_("状态"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.PENDING)
    reverses = models.OneToOneField("self", verbose_name=_("冲正对象"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="reversed_by")
    # Set with the reversing entry; on the row itself so the one-live-posting constraint can leave it out.
    is_reversed = models.BooleanField(_("已冲正"), default=False, editable=False)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    decision_note = models.CharField(_("审核意见"), max_length=300, blank=True)

    objects = LedgerQuerySet.as_manager()

    class Meta:
        verbose_name = _("积分明细")
        verbose_name_plural = _("积分明细")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["period", "status", "category", "person", "points"], name="ledger_agg"),
            models.Index(fields=["person", "period"], name="ledger_person_period"),
            models.Index(fields=["source_type", "source_id"], name="ledger_source"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(points=0), name="ledger_points_nonzero"),
            # One live posting per record, category and person (or unit, for a unit's points): posting again for
            # the same record returns the live entry. Reversed, reversing and rejected entries are not live.
            models.UniqueConstraint(fields=["source_type", "source_id", "category", "person", "unit"],
                                    condition=LIVE_POSTING & Q(person__isnull=False), name="ledger_live_once"),
            models.UniqueConstraint(fields=["source_type", "source_id", "category", "unit"],
                                    condition=LIVE_POSTING & Q(person__isnull=True), name="ledger_unit_live_once"),
        ]

    def __str__(self) -> str:
        who = self.person or self.unit
        return f"{who} {self.period} {self.category} {self.points:+}"

    def delete(self, *args, **kwargs):
        raise PermissionError("point entries are append-only")
