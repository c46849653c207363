"""Choices of the home branches."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MemberKind(models.TextChoices):
    COMMUNITY = "community", _("社区")
    OWNERS = "owners", _("业委会")
    PROPERTY = "property", _("物业公司")
    SOCIAL_ORG = "social_org", _("社会组织")
    STAIRWELL_HEAD = "stairwell_head", _("楼道长")
    PARTY_MEMBER = "party_member", _("在职党员")
    RESIDENT = "resident", _("居民代表")
