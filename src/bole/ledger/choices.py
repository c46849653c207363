"""Choices of the points ledger."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("已驳回")


class CapPeriod(models.TextChoices):
    """The period a category's cap is counted over (at most 10 points a year from awards)."""

    QUARTER = "quarter", _("每季度")
    YEAR = "year", _("每年")
