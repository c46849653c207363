"""Choices of 强村六式."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Direction(models.IntegerChoices):
    HIGHER = 1, _("越高越好")
    LOWER = -1, _("越低越好")


class Light(models.TextChoices):
    """三色预警."""

    RED = "red", _("红色")
    YELLOW = "yellow", _("黄色")
    GREEN = "green", _("绿色")


class Normalisation(models.TextChoices):
    MINMAX = "minmax", _("极差标准化")
    ZSCORE = "zscore", _("Z 分数")
    RANK = "rank", _("排序百分位")
    GOALPOSTS = "goalposts", _("门槛值（上下限）")
    TARGET = "target", _("距目标值")


class Weighting(models.TextChoices):
    MANUAL = "manual", _("人工设定")
    EQUAL = "equal", _("等权")
    ENTROPY = "entropy", _("熵权法")
    CRITIC = "critic", _("CRITIC 法")
    PCA = "pca", _("主成分分析")


class Aggregation(models.TextChoices):
    ARITHMETIC = "arithmetic", _("加权算术平均")
    GEOMETRIC = "geometric", _("加权几何平均")
    HARMONIC = "harmonic", _("加权调和平均")


class Imputation(models.TextChoices):
    NONE = "none", _("不填补（按已有指标重算权重）")
    MEAN = "mean", _("全县均值")
    MEDIAN = "median", _("全县中位数")
    GROUP_MEAN = "group_mean", _("本镇街均值")


class Outlier(models.TextChoices):
    NONE = "none", _("不处理")
    WINSORISE = "winsorise", _("缩尾处理")


class LogKind(models.TextChoices):
    """强村局长's log: a visit, something done for the village, or a problem raised to the desk."""

    VISIT = "visit", _("走访调研")
    ACTION = "action", _("帮扶举措")
    PROBLEM = "problem", _("提出问题")


class EventKind(models.TextChoices):
    FORUM = "forum", _("强村论坛")
    ASSEMBLY = "assembly", _("强村大会")


class HonourKind(models.TextChoices):
    """The year's honours, computed from the stored index results."""

    TOP = "top", _("强村指数前列")
    RISE = "rise", _("进步最快")
