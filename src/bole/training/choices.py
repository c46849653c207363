"""Choices of the lecture hall (干部大讲堂) and cadre training."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Theme(models.TextChoices):
    """The district's central work the topics are chosen around (组织选题)."""

    URBAN = "urban", _("城市建设")
    CULTURE = "culture", _("文旅创意")
    INVESTMENT = "investment", _("产业投资")
    LAND = "land", _("国土规划")
    PARTY = "party", _("党性教育")
    OTHER = "other", _("综合素能")


class HostStatus(models.TextChoices):
    INVITED = "invited", _("已邀请")
    ACCEPTED = "accepted", _("已承办")
    DECLINED = "declined", _("已婉拒")


class Audience(models.TextChoices):
    """Who may enrol in a session."""

    CADRES = "cadres", _("全体干部")
    SECTION = "section", _("科级领导干部")
    YOUNG = "young", _("选调生")
    DIVISION = "division", _("县处级干部")


class SessionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    CANCELLED = "cancelled", _("已取消")


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("已选修")
    WAITING = "waiting", _("候补")
    DROPPED = "dropped", _("已退选")


class AttendanceMethod(models.TextChoices):
    QR = "qr", _("扫码签到")
    CODE = "code", _("签到码")
    MANUAL = "manual", _("主办方补录")
    IMPORT = "import", _("导入")


class RecordSource(models.TextChoices):
    """Where an imported learning record comes from (the sessions and classes count themselves)."""

    UPPER = "upper", _("上级调训")
    UNIT = "unit", _("单位组织培训")
    ONLINE = "online", _("网络学习")


class MemberStatus(models.TextChoices):
    ACTIVE = "active", _("在学")
    WITHDRAWN = "withdrawn", _("退学")
    PASSED = "passed", _("结业")
    FAILED = "failed", _("未通过检验")


class QuizStatus(models.TextChoices):
    """成果检验在线测试: written as a draft, open for its window, closed."""

    DRAFT = "draft", _("草稿")
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已结束")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("单选题")
    MULTIPLE = "multiple", _("多选题")
    TRUE_FALSE = "truefalse", _("判断题")
