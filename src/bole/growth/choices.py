"""Choices of the 选调生 "十个一" growth records."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryStatus(models.TextChoices):
    NOT_STARTED = "todo", _("未开展")
    SUBMITTED = "submitted", _("待导师签认")
    RETURNED = "returned", _("退回补充")
    SIGNED = "signed", _("导师已签认")
