"""选调生 "十个一": a checklist template, a growth record per young cadre, entries with evidence, 蹲苗 postings."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import EntryStatus


class ChecklistItem(models.Model):
    """One of the ten required experiences (一次攻坚行动, 一次国情调研 …); the admin edits the list."""

    name = models.CharField(_("事项"), max_length=60, unique=True)
    description = models.CharField(_("要求"), max_length=300, blank=True)
    due_months = models.PositiveSmallIntegerField(_("完成时限（入职后月数）"), default=24)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("十个一事项")
        verbose_name_plural = _("十个一事项")
        ordering = ["sort", "id"]

    def __str__(self) -> str:
        return self.name


class GrowthRecord(models.Model):
    """成长档案 of one young cadre (选调生): cohort, mentor and the start the due dates count from."""

    person = models.OneToOneField("org.Person", verbose_name=_("选调生"), on_delete=models.PROTECT,
                                  related_name="growth_record")
    cohort = models.PositiveSmallIntegerField(_("届别（入职年份）"))
    started_on = models.DateField(_("入职日期"))
    mentor = models.ForeignKey("org.Person", verbose_name=_("导师"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="mentees")
    is_active = models.BooleanField(_("在培"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("成长档案")
        verbose_name_plural = _("成长档案")
        ordering = ["-cohort", "person__name", "id"]
        constraints = [models.CheckConstraint(condition=~Q(mentor=models.F("person")), name="growth_mentor_not_self")]

    def __str__(self) -> str:
        return f"{self.person} · {self.cohort}"


class GrowthEntry(models.Model):
    """One checklist item in one record: due date, evidence, and the mentor's sign-off."""

    record = models.ForeignKey(GrowthRecord, on_delete=models.CASCADE, related_name="entries")
    item = models.ForeignKey(ChecklistItem, verbose_name=_("事项"), on_delete=models.PROTECT, related_name="entries")
    due_date = models.DateField(_("完成时限"))
    status = models.CharField(_("状态"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.NOT_STARTED,
                              editable=False)
    evidence = models.TextField(_("佐证材料"), blank=True)
    evidence_file = models.FileField(_("佐证附件"), upload_to="growth/%Y/", max_length=200, blank=True)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    mentor_comment = models.CharField(_("导师意见"), max_length=300, blank=True, editable=False)
    signed_by = models.ForeignKey("org.Person", verbose_name=_("签认人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+", editable=False)
    signed_at = models.DateTimeField(_("签认时间"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("十个一记录")
        verbose_name_plural = _("十个一记录")
        ordering = ["record", "item__sort", "id"]
        constraints = [models.UniqueConstraint(fields=["record", "item"], name="growth_entry_once")]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return f"{self.record.person} · {self.item}"


class Posting(models.Model):
    """蹲苗: a spell at the grassroots (a village, a project site) with its place and period."""

    record = models.ForeignKey(GrowthRecord, on_delete=models.CASCADE, related_name="postings")
    place = models.CharField(_("蹲苗地点"), max_length=100)
    unit = models.ForeignKey("org.Unit", verbose_name=_("蹲苗单位"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    role = models.CharField(_("担任职务"), max_length=60, blank=True)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = _("蹲苗经历")
        verbose_name_plural = _("蹲苗经历")
        ordering = ["record", "starts_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                                              name="posting_period_order")]

    def __str__(self) -> str:
        return f"{self.record.person} · {self.place}"
