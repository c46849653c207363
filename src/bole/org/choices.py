"""Choices of the registers."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from bole.core.scoping import Role  # noqa: F401 - accounts name roles; the access model defines them


class RegionLevel(models.TextChoices):
    """Levels of the region tree; the tree starts at a province, a city or a county."""

    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("县(区)")
    TOWN = "town", _("镇(街道)")
    VILLAGE = "village", _("村(社区)")


class RegionKind(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("县")
    DISTRICT = "district", _("区")
    TOWN = "town", _("镇")
    STREET = "street", _("街道")
    VILLAGE = "village", _("村")
    COMMUNITY = "community", _("社区")


class UnitKind(models.TextChoices):
    PARTY_COMMITTEE = "party", _("党委机关")
    DEPARTMENT = "department", _("政府部门")
    TOWN = "town", _("镇街")
    VILLAGE = "village", _("村社")
    INSTITUTION = "institution", _("事业单位")
    SOE = "soe", _("国有企业")


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class PoliticalStatus(models.TextChoices):
    MEMBER = "cpc", _("中共党员")
    PROBATIONARY = "cpc_prob", _("中共预备党员")
    LEAGUE = "cyl", _("共青团员")
    DEMOCRATIC = "democratic", _("民主党派")
    NONE = "masses", _("群众")


class Rank(models.TextChoices):
    """职级 (civil-service grade), from section level down."""

    DIVISION = "division", _("县处级")
    SECTION_CHIEF = "section_chief", _("乡科级正职")
    SECTION_DEPUTY = "section_deputy", _("乡科级副职")
    LEVEL1 = "clerk1", _("一级主任科员")
    LEVEL2 = "clerk2", _("二级主任科员")
    LEVEL3 = "clerk3", _("三级主任科员")
    LEVEL4 = "clerk4", _("四级主任科员")
    STAFF1 = "staff1", _("一级科员")
    STAFF2 = "staff2", _("二级科员")
    NONE = "none", _("无")


class Industry(models.TextChoices):
    """GB/T 4754 sections most common in a county."""

    AGRICULTURE = "A", _("农林牧渔业")
    MANUFACTURING = "C", _("制造业")
    UTILITIES = "D", _("电力热力燃气及水")
    CONSTRUCTION = "E", _("建筑业")
    TRADE = "F", _("批发和零售业")
    TRANSPORT = "G", _("交通运输仓储邮政")
    HOSPITALITY = "H", _("住宿和餐饮业")
    IT = "I", _("信息技术服务业")
    REAL_ESTATE = "K", _("房地产业")
    LEASING = "L", _("租赁和商务服务业")
    RESEARCH = "M", _("科学研究和技术服务")
    CULTURE = "R", _("文化体育和娱乐业")
