"""人才政策与人才券: policies with eligibility as data, yearly funds, applications, vouchers, merchants and
redemptions, with every movement of money an append-only fund entry.

The money rule, held by the database: for every fund 0 ≤ settled ≤ redeemed ≤ issued ≤ budget (CHECK constraints
on the fund's counters, which services move only under a row lock on the fund), and for every voucher
value = balance + spent + released + split out (a CHECK). Amounts are whole fen (BigInteger)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import (
    ApplicationStatus,
    EnrolmentStatus,
    EntryKind,
    HolderKind,
    MerchantKind,
    PolicyKind,
    RedemptionStatus,
    VoucherKind,
    VoucherStatus,
)


class SupportPolicy(models.Model):
    """政策条款: one article of a county's talent policy (青创工场八条 第三条 创新券) — who qualifies, how much."""

    region = models.ForeignKey("org.Region", verbose_name=_("政策区域"), on_delete=models.PROTECT,
                               related_name="support_policies")
    name = models.CharField(_("政策名称"), max_length=120)
    document = models.CharField(_("政策文件"), max_length=120, blank=True, help_text=_("如：青创工场八条"))
    article = models.CharField(_("条款"), max_length=40, blank=True, help_text=_("如：第三条"))
    kind = models.CharField(_("类别"), max_length=12, choices=PolicyKind.choices)
    holder_kind = models.CharField(_("支持对象"), max_length=10, choices=HolderKind.choices)
    description = models.TextField(_("政策内容"), blank=True)
    criteria = models.JSONField(_("申请条件"), default=list, blank=True)
    formula = models.JSONField(_("金额规则"), default=dict)
    needs_application = models.BooleanField(_("须申请审核"), default=True)
    panel_review = models.BooleanField(_("评审会评审"), default=False,
                                       help_text=_("申请须经评审会评委打分后方可审核通过"))
    voucher_kind = models.CharField(_("券类型"), max_length=10, choices=VoucherKind.choices,
                                    default=VoucherKind.BUDGET)
    categories = models.JSONField(_("可用范围"), default=list, blank=True)
    validity_days = models.PositiveIntegerField(_("有效天数"), default=365)
    settle_days = models.PositiveSmallIntegerField(_("结算工作日"), default=5,
                                                   help_text=_("核销后第 N 个工作日结算给商户"))
    valid_from = models.DateField(_("政策起始日期"))
    valid_until = models.DateField(_("政策截止日期"))
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("扶持政策")
        verbose_name_plural = _("扶持政策")
        ordering = ["region", "document", "article", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gte=F("valid_from")), name="vpolicy_dates"),
            models.UniqueConstraint(fields=["region", "name"], name="vpolicy_name_once"),
        ]

    def __str__(self) -> str:
        return self.name


class Fund(models.Model):
    """资金池: a policy's money for one year — budget with top-ups, issued to holders, redeemed, settled."""

    policy = models.ForeignKey(SupportPolicy, verbose_name=_("政策"), on_delete=models.PROTECT,
                               related_name="funds")
    year = models.PositiveSmallIntegerField(_("年度"))
    budget_fen = models.BigIntegerField(_("预算（分）"), default=0, editable=False)
    issued_fen = models.BigIntegerField(_("已发放（分）"), default=0, editable=False)
    redeemed_fen = models.BigIntegerField(_("已核销（分）"), default=0, editable=False)
    settled_fen = models.BigIntegerField(_("已结算（分）"), default=0, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("资金池")
        verbose_name_plural = _("资金池")
        ordering = ["-year", "policy", "id"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "year"], name="vfund_once_per_year"),
            models.CheckConstraint(condition=Q(settled_fen__gte=0), name="vfund_settled_nonneg"),
            models.CheckConstraint(condition=Q(redeemed_fen__gte=F("settled_fen")), name="vfund_settled_le_redeemed"),
            models.CheckConstraint(condition=Q(issued_fen__gte=F("redeemed_fen")), name="vfund_redeemed_le_issued"),
            models.CheckConstraint(condition=Q(budget_fen__gte=F("issued_fen")), name="vfund_issued_le_budget"),
        ]

    def __str__(self) -> str:
        return f"{self.policy} · {self.year}"

    @property
    def available_fen(self) -> int:
        return self.budget_fen - self.issued_fen

    @property
    def outstanding_fen(self) -> int:
        return self.issued_fen - self.redeemed_fen


class Merchant(models.Model):
    """商户/服务机构: an enterprise of the register that takes vouchers (its login redeems them)."""

    enterprise = models.OneToOneField("org.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT,
                                      related_name="voucher_merchant")
    kind = models.CharField(_("类型"), max_length=10, choices=MerchantKind.choices, default=MerchantKind.SHOP)
    categories = models.JSONField(_("经营范围"), default=list, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("商户")
        verbose_name_plural = _("商户")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.enterprise.name


class Enrolment(models.Model):
    """入驻: a merchant applies to take one fund's vouchers; staff approve, refuse or suspend."""

    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="enrolments")
    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="enrolments")
    status = models.CharField(_("状态"), max_length=10, choices=EnrolmentStatus.choices,
                              default=EnrolmentStatus.APPLIED, editable=False)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    applied_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("商户入驻")
        verbose_name_plural = _("商户入驻")
        ordering = ["fund", "merchant"]
        constraints = [models.UniqueConstraint(fields=["merchant", "fund"], name="venrolment_once")]

    def __str__(self) -> str:
        return f"{self.merchant} · {self.fund}"


class Application(models.Model):
    """申请: a talent or an enterprise applies under a policy with declared facts and documents."""

    policy = models.ForeignKey(SupportPolicy, verbose_name=_("政策"), on_delete=models.PROTECT,
                               related_name="applications")
    year = models.PositiveSmallIntegerField(_("年度"))
    applicant_person = models.ForeignKey("org.Person", verbose_name=_("申请人"), null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="voucher_applications")
    applicant_enterprise = models.ForeignKey("org.Enterprise", verbose_name=_("申请企业"), null=True, blank=True,
                                             on_delete=models.PROTECT, related_name="voucher_applications")
    facts = models.JSONField(_("申报信息"), default=dict, blank=True)
    eligibility = models.JSONField(_("资格核验"), default=dict, blank=True, editable=False)
    requested_fen = models.BigIntegerField(_("测算金额（分）"), default=0, editable=False)
    approved_fen = models.BigIntegerField(_("核定金额（分）"), null=True, blank=True, editable=False)
    status = models.CharField(_("状态"), max_length=10, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.SUBMITTED, editable=False)
    reason = models.CharField(_("审核意见"), max_length=500, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("申请时间"), default=timezone.now, editable=False)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    panel = models.ForeignKey("evaluation.Evaluation", verbose_name=_("评审会"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+", editable=False)
    subject = models.ForeignKey("evaluation.Subject", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", editable=False)

    LIVE = [ApplicationStatus.SUBMITTED, ApplicationStatus.APPROVED, ApplicationStatus.ISSUED]

    class Meta:
        verbose_name = _("政策申请")
        verbose_name_plural = _("政策申请")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["status", "policy"])]
        constraints = [
            models.CheckConstraint(condition=(Q(applicant_person__isnull=False, applicant_enterprise__isnull=True)
                                              | Q(applicant_person__isnull=True, applicant_enterprise__isnull=False)),
                                   name="vapp_one_applicant"),
            models.CheckConstraint(condition=Q(approved_fen__isnull=True) | Q(approved_fen__gte=0),
                                   name="vapp_approved_nonneg"),
            models.UniqueConstraint(fields=["policy", "year", "applicant_person"], name="vapp_person_once",
                                    condition=Q(status__in=["submitted", "approved", "issued"],
                                                applicant_person__isnull=False)),
            models.UniqueConstraint(fields=["policy", "year", "applicant_enterprise"], name="vapp_enterprise_once",
                                    condition=Q(status__in=["submitted", "approved", "issued"],
                                                applicant_enterprise__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.applicant_person or self.applicant_enterprise} · {self.policy}"

    @property
    def applicant(self):
        return self.applicant_person or self.applicant_enterprise


class ApplicationDocument(models.Model):
    """申请材料: an uploaded file (image or PDF, checked by core.uploads) of an application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    name = models.CharField(_("材料名称"), max_length=120)
    file = models.CharField(_("文件"), max_length=200)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["application", "id"]

    def __str__(self) -> str:
        return self.name


class Voucher(models.Model):
    """人才券: value a holder may spend at the fund's approved merchants within its validity."""

    fund = models.ForeignKey(Fund, verbose_name=_("资金池"), on_delete=models.PROTECT, related_name="vouchers")
    parent = models.ForeignKey("self", verbose_name=_("母券"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    application = models.OneToOneField(Application, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="voucher")
    holder_person = models.ForeignKey("org.Person", verbose_name=_("持券人"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="vouchers")
    holder_enterprise = models.ForeignKey("org.Enterprise", verbose_name=_("持券企业"), null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="vouchers")
    kind = models.CharField(_("券类型"), max_length=10, choices=VoucherKind.choices, default=VoucherKind.BUDGET)
    code = models.CharField(_("券号"), max_length=24, unique=True, editable=False)
    value_fen = models.BigIntegerField(_("面额（分）"), editable=False)
    balance_fen = models.BigIntegerField(_("余额（分）"), editable=False)
    spent_fen = models.BigIntegerField(_("已用（分）"), default=0, editable=False)
    released_fen = models.BigIntegerField(_("退回（分）"), default=0, editable=False)
    split_fen = models.BigIntegerField(_("拆出（分）"), default=0, editable=False)
    valid_from = models.DateField(_("生效日期"))
    valid_until = models.DateField(_("有效期至"))
    categories = models.JSONField(_("可用范围"), default=list, blank=True)
    merchants = models.ManyToManyField(Merchant, verbose_name=_("指定商户"), blank=True, related_name="vouchers")
    status = models.CharField(_("状态"), max_length=10, choices=VoucherStatus.choices, default=VoucherStatus.ACTIVE,
                              editable=False)
    issued_at = models.DateTimeField(_("发放时间"), default=timezone.now, editable=False)
    expiring_notified = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("人才券")
        verbose_name_plural = _("人才券")
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["status", "valid_until"]), models.Index(fields=["fund", "status"])]
        constraints = [
            models.CheckConstraint(condition=(Q(holder_person__isnull=False, holder_enterprise__isnull=True)
                                              | Q(holder_person__isnull=True, holder_enterprise__isnull=False)),
                                   name="voucher_one_holder"),
            models.CheckConstraint(condition=Q(value_fen__gt=0), name="voucher_value_positive"),
            models.CheckConstraint(condition=Q(balance_fen__gte=0) & Q(spent_fen__gte=0) & Q(released_fen__gte=0)
                                   & Q(split_fen__gte=0), name="voucher_parts_nonneg"),
            models.CheckConstraint(condition=Q(value_fen=F("balance_fen") + F("spent_fen") + F("released_fen")
                                               + F("split_fen")), name="voucher_parts_add_up"),
            models.CheckConstraint(condition=Q(valid_until__gte=F("valid_from")), name="voucher_dates"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def holder(self):
        return self.holder_person or self.holder_enterprise


class Redemption(models.Model):
    """核销: a merchant asks for an amount of a voucher, the holder confirms; the money is then pending and is
    settled to the merchant after the policy's N working days unless held for review. Reversals are entries."""

    voucher = models.ForeignKey(Voucher, verbose_name=_("人才券"), on_delete=models.PROTECT,
                                related_name="redemptions")
    fund = models.ForeignKey(Fund, verbose_name=_("资金池"), on_delete=models.PROTECT, related_name="redemptions")
    merchant = models.ForeignKey(Merchant, verbose_name=_("商户"), on_delete=models.PROTECT,
                                 related_name="redemptions")
    amount_fen = models.BigIntegerField(_("金额（分）"))
    key = models.CharField(max_length=40, unique=True, editable=False)
    status = models.CharField(_("状态"), max_length=10, choices=RedemptionStatus.choices,
                              default=RedemptionStatus.REQUESTED, editable=False)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    requested_at = models.DateTimeField(_("发起时间"), default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True, editable=False)
    settle_on = models.DateField(_("应结算日"), null=True, blank=True, editable=False)
    settled_at = models.DateTimeField(_("结算时间"), null=True, blank=True, editable=False)
    review_note = models.CharField(_("复核说明"), max_length=300, blank=True, editable=False)

    class Meta:
        verbose_name = _("核销记录")
        verbose_name_plural = _("核销记录")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["fund", "status"]), models.Index(fields=["status", "settle_on"]),
                   models.Index(fields=["voucher", "status"])]
        constraints = [models.CheckConstraint(condition=Q(amount_fen__gt=0), name="vredemption_positive")]

    def __str__(self) -> str:
        return f"{self.voucher} · {self.amount_fen}"


class FundEntry(models.Model):
    """资金流水: one movement of a fund's money, append-only (a reversal is a new entry; on PostgreSQL a trigger
    refuses UPDATE and DELETE). The fund's counters are the sums of its entries by kind."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("类型"), max_length=10, choices=EntryKind.choices)
    amount_fen = models.BigIntegerField(_("金额（分）"))
    voucher = models.ForeignKey(Voucher, null=True, blank=True, on_delete=models.PROTECT, related_name="entries")
    redemption = models.ForeignKey(Redemption, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="entries")
    note = models.CharField(_("说明"), max_length=300, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now, editable=False)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")

    class Meta:
        verbose_name = _("资金流水")
        verbose_name_plural = _("资金流水")
        ordering = ["fund", "at", "id"]
        indexes = [models.Index(fields=["fund", "kind"]), models.Index(fields=["fund", "at"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="ventry_positive"),
            models.UniqueConstraint(fields=["redemption", "kind"], name="ventry_once_per_redemption",
                                    condition=Q(redemption__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.fund} · {self.get_kind_display()} · {self.amount_fen}"
