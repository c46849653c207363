"""Choices of the points assessment."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Target(models.TextChoices):
    """Who a scheme assesses."""

    SECTION_LEADER = "section_leader", _("科级领导干部")
    CADRE = "cadre", _("一般干部")
    YOUNG_CADRE = "young_cadre", _("选调生")


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", _("季度")
    YEAR = "year", _("年度")


class IndicatorKind(models.TextChoices):
    UNIT_SCORE = "unit_score", _("单位综合考评得分")
    TASK_RATE = "task_rate", _("个人任务完成率")
    EVALUATION = "evaluation", _("多维评议")
    LEDGER = "ledger", _("积分（加减分）")
    MANUAL = "manual", _("手工/导入数值")
    MECHANISM = "mechanism", _("机制数据（如学习学时）")


class Normalisation(models.TextChoices):
    RAW = "raw", _("原始分（0–100）")
    MINMAX = "minmax", _("组内极差标准化")
    ZSCORE = "zscore", _("组内标准分")
    PERCENTILE = "percentile", _("组内百分位")


class MissingRule(models.TextChoices):
    ZERO = "zero", _("记为 0")
    GROUP_MEAN = "group_mean", _("取组内平均")
    EXCLUDE = "exclude", _("剔除该项并重新分配权重")


class Grouping(models.TextChoices):
    """How people are split into ranking groups."""

    ALL = "all", _("全体统一排名")
    RANK = "rank", _("按职级（正职/副职）")
    UNIT_KIND = "unit_kind", _("按单位类型（部门/镇街）")
    RANK_UNIT_KIND = "rank_unit_kind", _("按职级 × 单位类型")


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    COLLECTING = "collecting", _("数据采集")
    COMPUTED = "computed", _("已计算")
    PUBLICITY = "publicity", _("公示中")
    PUBLISHED = "published", _("已发布")
    FROZEN = "frozen", _("已归档")


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("待答复")
    UPHELD = "upheld", _("异议成立")
    DISMISSED = "dismissed", _("异议不成立")
