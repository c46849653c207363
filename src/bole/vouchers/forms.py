"""Input of the voucher pages: amounts in 元 to whole fen, and the application form's declared facts."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
    valid_until = forms.DateField(label=gettext_lazy("有效期至"), widget=forms.DateInput(attrs={"type": "date"}))


class PayForm(forms.Form):
    amount = YuanField(label=gettext_lazy("核销金额（元）"))
    key = forms.CharField(widget=forms.HiddenInput, max_length=40)


class SplitForm(forms.Form):
    """拆分子券: part of a voucher's balance to a talent the holding enterprise employs, ending no later than it."""

    recipient = forms.TypedChoiceField(label=gettext_lazy("子券持有人"), coerce=int, empty_value=None)
    amount = YuanField(label=gettext_lazy("子券面额（元）"))
    valid_until = forms.DateField(label=gettext_lazy("子券有效期至"), required=False,
                                  help_text=gettext_lazy("不填则与母券相同；不能晚于母券"),
                                  widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, recipients=(), **kw):
        super().__init__(*args, **kw)
        self.fields["recipient"].choices = [("", "——")] + [(p.pk, p.name) for p in recipients]
