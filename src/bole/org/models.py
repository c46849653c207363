"""Registers everything else points at: regions, units, people, enterprises, accounts."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bole.core.crypto import DigestField, EncryptedCharField, digest
from bole.core.sms import mask_phone

from .choices import Gender, Industry, PoliticalStatus, Rank, RegionKind, RegionLevel, Role, UnitKind
from .validators import mask_id_number


def id_number_digest(id_number: str) -> str:
    """The keyed hash a person is found by from an ID number (Person.id_digest): lookups, uniqueness, dedupe."""
    return digest(id_number.strip().upper(), "id_number")


def phone_digest(phone: str) -> str:
    """The keyed hash a person is found by from a (cleaned) phone number; blank for no phone."""
    return digest(phone, "phone") if phone else ""


class Region(models.Model):
    """行政区划: (province → city →) county (6 digits each) → town/street (9) → village/community (12)."""

    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    level = models.CharField(_("层级"), max_length=10, choices=RegionLevel.choices)
    kind = models.CharField(_("类型"), max_length=10, choices=RegionKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级区划"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    name_pinyin = models.CharField(max_length=200, blank=True, db_index=True)
    name_initials = models.CharField(max_length=60, blank=True, db_index=True)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """单位/部门/镇街/村社: a tree; `path` is the materialised path used for subtree scope."""

    name = models.CharField(_("单位名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    kind = models.CharField(_("单位类型"), max_length=20, choices=UnitKind.choices)
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey(
        "self", verbose_name=_("上级单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    sort = models.PositiveIntegerField(_("排序"), default=0)
    name_pinyin = models.CharField(max_length=300, blank=True, db_index=True)
    name_initials = models.CharField(max_length=100, blank=True, db_index=True)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["path"]
        constraints = [models.UniqueConstraint(fields=["name"], name="unit_name_unique")]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """干部/人员: one row per person; profile flags say which mechanisms they take part in."""

    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"))
    # Encrypted at rest (bole.core.crypto); found by their digests. Shown masked: in full only by a logged reveal.
    id_number = EncryptedCharField(_("身份证号"), max_length=18, mask=mask_id_number)
    id_digest = DigestField(unique=True, error_messages={"unique": _("该身份证号已在册")})
    id_tail = models.CharField(max_length=4, db_index=True, editable=False)
    phone = EncryptedCharField(_("手机号码"), max_length=20, blank=True, mask=mask_phone)
    phone_digest = DigestField(blank=True, db_index=True)
    unit = models.ForeignKey(Unit, verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="people")
    position = models.CharField(_("职务"), max_length=100, blank=True)
    rank = models.CharField(_("职级"), max_length=20, choices=Rank.choices, default=Rank.NONE)
    political_status = models.CharField(
        _("政治面貌"), max_length=12, choices=PoliticalStatus.choices, default=PoliticalStatus.NONE
    )
    is_cadre = models.BooleanField(_("干部"), default=False)
    is_section_leader = models.BooleanField(_("科级领导干部"), default=False)
    is_young_cadre = models.BooleanField(_("选调生"), default=False)
    is_party_member = models.BooleanField(_("党员"), default=False)
    is_talent = models.BooleanField(_("人才"), default=False)
    is_expert = models.BooleanField(_("专家"), default=False)
    name_pinyin = models.CharField(max_length=200, blank=True, db_index=True)
    name_initials = models.CharField(max_length=50, blank=True, db_index=True)
    is_active = models.BooleanField(_("在册"), default=True)

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["unit__path", "id"]
        indexes = [models.Index(fields=["unit", "is_active"])]

    def __str__(self) -> str:
        return self.name

    @property
    def id_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone) if self.phone else ""


class Enterprise(models.Model):
    """企业, keyed by 统一社会信用代码."""

    name = models.CharField(_("企业名称"), max_length=150)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    industry = models.CharField(_("行业"), max_length=2, choices=Industry.choices)
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="enterprises")
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    name_pinyin = models.CharField(max_length=400, blank=True, db_index=True)
    name_initials = models.CharField(max_length=150, blank=True, db_index=True)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["region__code", "id"]

    def __str__(self) -> str:
        return self.name


class Account(models.Model):
    """A login's role and scope: county admin, a town's/unit's admin, a cadre (self), an enterprise, ..."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(Region, verbose_name=_("管辖区划"), null=True, blank=True, on_delete=models.PROTECT)
    unit = models.ForeignKey(Unit, verbose_name=_("管辖单位"), null=True, blank=True, on_delete=models.PROTECT)
    person = models.ForeignKey(Person, verbose_name=_("对应人员"), null=True, blank=True, on_delete=models.PROTECT)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("对应企业"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("账号")
        verbose_name_plural = _("账号")

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.get_role_display()})"
