"""重点项目 with lead cadres (领办), task forces (专班) and milestones counted from the signing day."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import ProjectKind, ProjectStatus


class Project(models.Model):
    """A key project; its status moves only through project_transition."""

    name = models.CharField(_("项目名称"), max_length=150)
    kind = models.CharField(_("项目类型"), max_length=20, choices=ProjectKind.choices)
    investment = models.DecimalField(_("总投资（亿元）"), max_digits=10, decimal_places=2)
    region = models.ForeignKey("org.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.Unit", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+")
    leads = models.ManyToManyField("org.Person", verbose_name=_("领办领导"), related_name="led_projects")
    team = models.ManyToManyField("org.Person", verbose_name=_("专班成员"), blank=True, related_name="+")
    is_major = models.BooleanField(_("重大项目"), default=False)
    signed_on = models.DateField(_("签约日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=ProjectStatus.choices,
                              default=ProjectStatus.PLANNING)
    description = models.TextField(_("项目简介"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("重点项目")
        verbose_name_plural = _("重点项目")
        ordering = ["-is_major", "-investment", "id"]
        indexes = [models.Index(fields=["status", "is_major"], name="project_status_major")]

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    """节点: planned a number of working days after signing; done on a date (on time if not after the plan)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField(_("节点"), max_length=60)
    offset_days = models.PositiveIntegerField(_("签约后工作日"))
    planned_on = models.DateField(_("计划完成"), null=True, blank=True)
    done_on = models.DateField(_("实际完成"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("项目节点")
        verbose_name_plural = _("项目节点")
        ordering = ["project", "sort", "id"]
        indexes = [models.Index(fields=["planned_on"], name="milestone_planned"),
                   models.Index(fields=["done_on"], name="milestone_done")]

    def __str__(self) -> str:
        return f"{self.project} · {self.name}"

    @property
    def on_time(self) -> bool | None:
        if self.done_on is None or self.planned_on is None:
            return None
        return self.done_on <= self.planned_on
