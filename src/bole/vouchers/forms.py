"""Input of the voucher pages: amounts in 元 to whole fen, and the application form's declared facts."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bole.core.forms import DateInput

from .models import SupportPolicy

MAX_FEN = 10**14


def parse_yuan(raw, field: str = "amount") -> int:
    """"12.5" 元 → 1250 fen; a ValidationError on `field` for anything that is not a positive amount with at most
    two decimals."""
    text = str(raw or "").strip().replace(",", "").replace("，", "")
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("请输入金额（元），如 128.50")}) from None
    if not value.is_finite() or value <= 0 or value * 100 > MAX_FEN or value != value.quantize(Decimal("0.01")):
        raise ValidationError({field: _("金额须大于零，最多两位小数")})
    return int(value * 100)


class YuanField(forms.CharField):
    """An amount in 元, cleaned to whole fen."""

    def __init__(self, **kw):
        kw.setdefault("max_length", 20)
        super().__init__(**kw)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def clean(self, value):
        value = super().clean(value)
        if value in ("", None):
            return None
        try:
            return parse_yuan(value, "amount")
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["amount"]) from None


class ApplyForm(forms.Form):
    """What an applicant declares that no register holds; the documents are checked by core.uploads."""

    employees = forms.IntegerField(label=gettext_lazy("从业人数"), min_value=0, max_value=10**7, required=False)
    revenue_wan = forms.DecimalField(label=gettext_lazy("上年营业收入（万元）"), min_value=0, max_digits=14, decimal_places=2,
                                     required=False)
    equipment_cost = YuanField(label=gettext_lazy("研发设备购置金额（元）"), required=False)
    service_cost = YuanField(label=gettext_lazy("研发服务合同金额（元）"), required=False)

    def declared(self) -> dict:
        d = self.cleaned_data
        out = {k: d[k] for k in ("employees", "equipment_cost", "service_cost") if d.get(k) is not None}
        if d.get("revenue_wan") is not None:
            out["revenue_wan"] = float(d["revenue_wan"])
        return out


class TopupForm(forms.Form):
    amount = YuanField(label=gettext_lazy("追加金额（元）"))
    note = forms.CharField(label=gettext_lazy("说明"), max_length=200, required=False)


class IssueForm(forms.Form):
    amount = YuanField(label=gettext_lazy("每张面额（元）"))
    valid_until = forms.DateField(label=gettext_lazy("有效期至"), widget=DateInput())


class PayForm(forms.Form):
    amount = YuanField(label=gettext_lazy("核销金额（元）"))
    key = forms.CharField(widget=forms.HiddenInput, max_length=40)


class SplitForm(forms.Form):
    """拆分子券: part of a voucher's balance to a talent the holding enterprise employs, ending no later than it."""

    recipient = forms.TypedChoiceField(label=gettext_lazy("子券持有人"), coerce=int, empty_value=None)
    amount = YuanField(label=gettext_lazy("子券面额（元）"))
    valid_until = forms.DateField(label=gettext_lazy("子券有效期至"), required=False,
                                  help_text=gettext_lazy("不填则与母券相同；不能晚于母券"),
                                  widget=DateInput())

    def __init__(self, *args, recipients=(), **kw):
        super().__init__(*args, **kw)
        self.fields["recipient"].choices = [("", "——")] + [(p.pk, p.name) for p in recipients]


# --- policies: the article, its criteria as rows, its amount rule --------------------------------------------

NUMERIC_FACTS = {"age", "employees", "revenue_wan", "equipment_cost", "service_cost", "talents_employed"}
FORMULA_KINDS = [("fixed", gettext_lazy("固定金额")), ("share", gettext_lazy("按申报金额比例（封顶）")),
                 ("by_fact", gettext_lazy("按条件取值（如按人才层次）"))]
SHARE_BASES = [("service_cost", gettext_lazy("研发服务合同金额")), ("equipment_cost", gettext_lazy("研发设备购置金额"))]


def _number(text: str):
    value = Decimal(text)
    return int(value) if value == value.to_integral_value() else float(value)


def _items(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[、,，;；\s]+", text or "") if p.strip()]


class CriterionForm(forms.Form):
    """One row of 申请条件: a fact, an operator, a value (a list separated by 、 or commas; two dates for 在期间内)."""

    fact = forms.ChoiceField(label=gettext_lazy("条件项"), required=False)
    op = forms.ChoiceField(label=gettext_lazy("比较"), required=False)
    value = forms.CharField(label=gettext_lazy("取值"), max_length=300, required=False)

    def __init__(self, *args, **kw):
        from .choices import FACTS, OP_LABELS  # noqa: PLC0415 - labels, read at form time

        super().__init__(*args, **kw)
        self.fields["fact"].choices = [("", "——"), *FACTS.items()]
        self.fields["op"].choices = [("", "——"), *OP_LABELS.items()]

    def criterion(self) -> dict | None:
        """The row as the engine's {"fact", "op", "value"}, None when blank; ValidationError on the value."""
        d = self.cleaned_data
        fact, op, raw = d.get("fact"), d.get("op"), (d.get("value") or "").strip()
        if not fact and not op and not raw:
            return None
        if not fact or not op:
            raise ValidationError(_("请选择条件项和比较方式"))
        try:
            if op in ("in", "not_in", "prefix"):
                value = _items(raw)
                if not value:
                    raise ValidationError(_("请填写取值，多个用顿号分隔"))
                if fact in NUMERIC_FACTS:
                    value = [_number(v) for v in value]
            elif op == "between":
                value = _items(raw)
                if len(value) != 2:
                    raise ValidationError(_("在期间内须填写两个日期，如 2026-01-01、2026-12-31"))
            elif op == "true":
                value = raw not in ("否", "false", "0")
            elif op in ("gte", "lte") or fact in NUMERIC_FACTS:
                value = _number(raw)
            else:
                if not raw:
                    raise ValidationError(_("请填写取值"))
                value = raw
        except (InvalidOperation, ValueError):
            raise ValidationError(_("“%(v)s”不是数字") % {"v": raw}) from None
        return {"fact": fact, "op": op, "value": value}


CriteriaFormSet = forms.formset_factory(CriterionForm, extra=3, max_num=30, validate_max=True)


class PolicyForm(forms.ModelForm):
    """政策条款: the article's fields, its amount rule as fields (the criteria are rows of their own)."""

    categories = forms.MultipleChoiceField(label=gettext_lazy("可用范围"), required=False,
                                           widget=forms.CheckboxSelectMultiple)
    formula_kind = forms.ChoiceField(label=gettext_lazy("金额规则"), choices=FORMULA_KINDS)
    amount = YuanField(label=gettext_lazy("固定金额（元）"), required=False)
    base = forms.ChoiceField(label=gettext_lazy("比例的基数"), choices=SHARE_BASES, required=False)
    share = forms.DecimalField(label=gettext_lazy("支持比例（0–1，如 0.5）"), min_value=Decimal("0.0001"),
                               max_value=1, max_digits=6, decimal_places=4, required=False)
    cap = YuanField(label=gettext_lazy("封顶金额（元，可不填）"), required=False)
    by_fact = forms.ChoiceField(label=gettext_lazy("按哪一项取值"), required=False)
    amounts = forms.CharField(label=gettext_lazy("各取值的金额（元），每行一项，如 national=5000"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    class Meta:
        model = SupportPolicy
        fields = ["name", "document", "article", "kind", "holder_kind", "description", "needs_application",
                  "panel_review", "voucher_kind", "categories", "validity_days", "settle_days", "valid_from",
                  "valid_until", "is_active"]
        widgets = {"valid_from": DateInput(),
                   "valid_until": DateInput(),
                   "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kw):
        from .choices import FACTS, Category  # noqa: PLC0415

        super().__init__(*args, **kw)
        self.fields["categories"].choices = Category.choices
        self.fields["by_fact"].choices = [("", "——"), *FACTS.items()]
        f = (self.instance.formula or {}) if self.instance.pk else {}
        if f and not self.is_bound:
            self.initial.update({"formula_kind": f.get("kind"), "base": f.get("base"), "share": f.get("share"),
                                 "by_fact": f.get("fact")})
            if f.get("kind") == "fixed":
                self.initial["amount"] = _yuan_text(f.get("amount"))
            if f.get("cap") is not None:
                self.initial["cap"] = _yuan_text(f["cap"])
            if f.get("kind") == "by_fact":
                self.initial["amounts"] = "\n".join(f"{k}={_yuan_text(v)}" for k, v in f.get("amounts", {}).items())

    def formula(self) -> dict:
        """The amount rule for the engine, or ValidationError naming the field."""
        d = self.cleaned_data
        kind = d.get("formula_kind")
        if kind == "fixed":
            if d.get("amount") is None:
                raise ValidationError({"amount": _("固定金额须填写")})
            return {"kind": "fixed", "amount": d["amount"]}
        if kind == "share":
            if d.get("share") is None:
                raise ValidationError({"share": _("请填写支持比例")})
            return {"kind": "share", "base": d.get("base") or "service_cost", "share": str(d["share"]),
                    "cap": d.get("cap")}
        if not d.get("by_fact"):
            raise ValidationError({"by_fact": _("请选择按哪一项取值")})
        amounts = {}
        for line in (d.get("amounts") or "").splitlines():
            if not line.strip():
                continue
            key, sep, value = line.partition("=")
            if not sep or not key.strip():
                raise ValidationError({"amounts": _("“%(l)s”应写成 取值=金额") % {"l": line.strip()}})
            try:
                amounts[key.strip()] = parse_yuan(value, "amounts")
            except ValidationError:
                raise ValidationError({"amounts": _("“%(l)s”的金额有误") % {"l": line.strip()}}) from None
        if not amounts:
            raise ValidationError({"amounts": _("请至少填写一项取值的金额")})
        return {"kind": "by_fact", "fact": d["by_fact"], "amounts": amounts, "default": 0}


def _yuan_text(fen) -> str:
    if fen is None:
        return ""
    return f"{int(fen) // 100}.{int(fen) % 100:02d}"


class FundForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=2000, max_value=2100)
    budget = YuanField(label=gettext_lazy("年度预算（元）"))
