"""家园支部: home branches, their stairwells, adoptions by office party members, co-governance committees."""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import MemberKind


class HomeBranch(models.Model):
    """家园支部: a functional party branch of a residential compound, under a community."""

    name = models.CharField(_("支部名称"), max_length=100, unique=True)
    community = models.ForeignKey("org.Region", verbose_name=_("所在社区"), on_delete=models.PROTECT,
                                  related_name="+")
    unit = models.ForeignKey("org.Unit", verbose_name=_("社区单位"), on_delete=models.PROTECT, related_name="+")
    secretary = models.ForeignKey("org.Person", verbose_name=_("支部书记"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    established_on = models.DateField(_("成立日期"), null=True, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("家园支部")
        verbose_name_plural = _("家园支部")
        ordering = ["community__code", "id"]

    def __str__(self) -> str:
        return self.name


class Stairwell(models.Model):
    """楼道: one entrance of one building; its QR code carries an unguessable token, not the id."""

    branch = models.ForeignKey(HomeBranch, verbose_name=_("家园支部"), on_delete=models.PROTECT,
                               related_name="stairwells")
    compound = models.CharField(_("小区"), max_length=60)
    building = models.CharField(_("幢"), max_length=10)
    entrance = models.CharField(_("单元"), max_length=10)
    households = models.PositiveIntegerField(_("户数"), default=0)
    head_name = models.CharField(_("楼道长"), max_length=50, blank=True)
    head_phone = models.CharField(_("楼道长电话"), max_length=20, blank=True)
    qr_token = models.CharField(max_length=32, unique=True, editable=False)
    is_active = models.BooleanField(_("有效"), default=True)
    cases = GenericRelation("cases.Case", content_type_field="ref_type", object_id_field="ref_id",
                            related_query_name="stairwell")

    class Meta:
        verbose_name = _("楼道")
        verbose_name_plural = _("楼道")
        ordering = ["branch", "compound", "building", "entrance"]
        constraints = [models.UniqueConstraint(fields=["branch", "compound", "building", "entrance"],
                                               name="stairwell_unique")]

    def __str__(self) -> str:
        return f"{self.compound}{self.building}幢{self.entrance}单元"


class Adoption(models.Model):
    """认领: an office party member adopts a stairwell for a period and answers its residents first."""

    stairwell = models.ForeignKey(Stairwell, verbose_name=_("楼道"), on_delete=models.PROTECT,
                                  related_name="adoptions")
    person = models.ForeignKey("org.Person", verbose_name=_("认领党员"), on_delete=models.PROTECT, related_name="+")
    start_on = models.DateField(_("认领日期"))
    end_on = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("楼道认领")
        verbose_name_plural = _("楼道认领")
        ordering = ["-start_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["stairwell"], condition=Q(end_on__isnull=True),
                                               name="adoption_one_open")]
        indexes = [models.Index(fields=["person", "end_on"], name="adoption_person")]

    def __str__(self) -> str:
        return f"{self.person} → {self.stairwell}"


class CoGovernanceCommittee(models.Model):
    """家园共治委员会: community, owners' committee, property company, social organisations, stairwell heads."""

    branch = models.ForeignKey(HomeBranch, verbose_name=_("家园支部"), on_delete=models.PROTECT,
                               related_name="committees")
    name = models.CharField(_("名称"), max_length=100, unique=True)
    chair = models.ForeignKey("org.Person", verbose_name=_("召集人"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    established_on = models.DateField(_("成立日期"), null=True, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    cases = GenericRelation("cases.Case", content_type_field="ref_type", object_id_field="ref_id",
                            related_query_name="committee")

    class Meta:
        verbose_name = _("家园共治委员会")
        verbose_name_plural = _("家园共治委员会")
        ordering = ["branch", "id"]

    def __str__(self) -> str:
        return self.name


class CommitteeMember(models.Model):
    """A member of a co-governance committee, by kind."""

    committee = models.ForeignKey(CoGovernanceCommittee, on_delete=models.CASCADE, related_name="members")
    kind = models.CharField(_("类别"), max_length=16, choices=MemberKind.choices)
    name = models.CharField(_("姓名"), max_length=50)
    organisation = models.CharField(_("所在组织"), max_length=100, blank=True)
    person = models.ForeignKey("org.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    phone = models.CharField(_("电话"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("委员")
        verbose_name_plural = _("委员")
        ordering = ["committee", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"
