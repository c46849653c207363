"""Choices of talent policies and vouchers (人才政策与人才券)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PolicyKind(models.TextChoices):
    INNOVATION = "innovation", _("创新券")
    EQUIPMENT = "equipment", _("研发设备补贴")
    CONSUMPTION = "consumption", _("人才消费券")
    OTHER = "other", _("其他扶持")


class HolderKind(models.TextChoices):
    PERSON = "person", _("人才个人")
    ENTERPRISE = "enterprise", _("企业")


class VoucherKind(models.TextChoices):
    BUDGET = "budget", _("额度券（可分次使用）")
    PRODUCT = "product", _("次券（一次用完）")


class EntryKind(models.TextChoices):
    """A movement of a fund's money; each moves one of the fund's counters (or none: a split)."""

    BUDGET = "budget", _("年度预算")
    TOPUP = "topup", _("追加预算")
    ISSUE = "issue", _("发券")
    RELEASE = "release", _("退回额度（过期或作废）")
    SPLIT = "split", _("拆分子券")
    REDEEM = "redeem", _("核销")
    REVERSE = "reverse", _("冲正")
    SETTLE = "settle", _("结算")
    CLAWBACK = "clawback", _("追回")


class VoucherStatus(models.TextChoices):
    ACTIVE = "active", _("可用")
    SPENT = "spent", _("已用完")
    EXPIRED = "expired", _("已过期")
    CANCELLED = "cancelled", _("已作废")


class RedemptionStatus(models.TextChoices):
    REQUESTED = "requested", _("待持券人确认")
    PENDING = "pending", _("待结算")
    HELD = "held", _("暂缓结算（复核）")
    SETTLED = "settled", _("已结算")
    DECLINED = "declined", _("持券人未确认")
    CANCELLED = "cancelled", _("已冲正")
    REVERSED = "reversed", _("已追回")


class EnrolmentStatus(models.TextChoices):
    APPLIED = "applied", _("待审核")
    APPROVED = "approved", _("已入驻")
    REFUSED = "refused", _("未通过")
    SUSPENDED = "suspended", _("已暂停")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("审核通过")
    REFUSED = "refused", _("不予支持")
    ISSUED = "issued", _("已发券")
    WITHDRAWN = "withdrawn", _("已撤回")


class MerchantKind(models.TextChoices):
    SHOP = "shop", _("商户")
    PROVIDER = "provider", _("服务机构")


class Category(models.TextChoices):
    """What a voucher may be spent on and what a merchant sells."""

    RD_SERVICE = "rd_service", _("研发服务（检验检测、技术开发）")
    EQUIPMENT = "equipment", _("研发设备")
    DINING = "dining", _("餐饮")
    CULTURE = "culture", _("文化体育")
    LIVING = "living", _("生活服务")
    HOUSING = "housing", _("住宿")


class EnterpriseSize(models.TextChoices):
    LARGE = "large", _("大型")
    MEDIUM = "medium", _("中型")
    SMALL = "small", _("小型")
    MICRO = "micro", _("微型")


# The facts a criterion may name, with their labels (the eligibility explanation speaks these words).
FACTS = {
    "talent_level": _("人才层次"),
    "is_talent": _("在册人才"),
    "age": _("年龄"),
    "region": _("所在区划"),
    "industry": _("所属行业"),
    "enterprise_size": _("企业规模"),
    "employees": _("从业人数"),
    "revenue_wan": _("营业收入（万元）"),
    "date": _("申请日期"),
    "equipment_cost": _("设备购置金额（分）"),
    "service_cost": _("研发服务合同金额（分）"),
    "talents_employed": _("在册人才数"),
}

OP_LABELS = {
    "eq": _("等于"), "ne": _("不等于"), "in": _("属于"), "not_in": _("不属于"), "gte": _("不低于"),
    "lte": _("不高于"), "prefix": _("位于"), "true": _("须为是"), "between": _("在期间内"),
}
