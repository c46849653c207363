"""Forms of the assessment's admin pages: they check the input; the services do the writing."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.forms import fields_for_model
from django.utils.translation import gettext_lazy as _

from bole.ledger.models import PointCategory
from bole.org.models import Region
from bole.org.pickers import PickField, bind_pickers

from .choices import Target
from .compute import GRADE_BASIC, GRADE_COMPETENT, GRADE_EXCELLENT, GRADE_FAIL
from .models import Indicator, Scheme
from .pickers import SUBJECTS, subjects_source
from .services import metric_choices_text

SCHEME_FIELDS = ["name", "target", "region", "period_kind", "grouping", "excellent_min_total", "basic_threshold",
                 "fail_threshold", "quota_rounding", "decimals", "doc_prefix", "issuer", "is_active", "replaces"]
INDICATOR_FIELDS = ["code", "name", "kind", "weight", "direction", "normalisation", "missing", "metric",
                    "categories"]

# One line of help under each setting; the page's 名词解释 says more.
SCHEME_HELP = {
    "name": _("如“2024年度科级领导干部奔跑赶超积分制考核”"),
    "target": _("参加本方案排名的人员范围"),
    "period_kind": _("每轮考核的时间段：季度或年度"),
    "grouping": _("名次、标准化和优秀名额都在组内计算"),
    "excellent_min_total": _("总分低于此分不评为优秀；留空不设"),
    "quota_rounding": _("名额只往下取：四舍五入超过比例时按向下取整"),
    "decimals": _("总分保留的小数位数，一般为 2"),
    "doc_prefix": _("考核结果通报的文号前缀，如“德组通”"),
    "issuer": _("通报落款的发文机关"),
}
INDICATOR_HELP = {
    "code": _("英文字母、数字或连字符，方案内唯一，如 unit、task"),
    "name": _("通报和得分明细中显示的名称"),
    "kind": _("数值从哪里来：单位考评、任务、测评、积分、导入数值或机制数据"),
    "weight": _("在总分中所占的份量，各项合计 100"),
    "direction": _("越低越好的指标（如扣分次数）数值小者得分高"),
    "normalisation": _("把原始数值换算成 0–100 的方法，见下方名词解释"),
    "missing": _("某人没有该项数值时如何计分"),
}


class SchemeForm(forms.Form):
    """A scheme's settings; the share of 优秀 is typed as a percentage, tie-breakers as indicator codes."""

    excellent_pct = forms.DecimalField(
        label=_("优秀比例（%）"), min_value=0, max_value=20, max_digits=4, decimal_places=2, initial=15,
        help_text=_("一般不超过 15%，最多 20%"),
        error_messages={"max_value": _("优秀比例不得超过 %(limit_value)s%%"), "min_value": _("优秀比例不能为负数")})
    tie_breakers = forms.CharField(label=_("同分比较指标"), required=False, max_length=200,
                                   help_text=_("填写指标代码，按先后顺序比较，多个用空格或逗号分隔"))

    field_order = ["name", "target", "region", "period_kind", "grouping", "excellent_pct", "excellent_min_total",
                   "basic_threshold", "fail_threshold", "quota_rounding", "tie_breakers", "decimals", "doc_prefix",
                   "issuer", "replaces", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for_model(Scheme, fields=SCHEME_FIELDS))
        self.fields["decimals"] = forms.IntegerField(label=_("保留小数位"), min_value=0, max_value=4, initial=2)
        # A scheme covers the whole instance or one province, city or county (a county's own 奔跑赶超).
        self.fields["region"].queryset = Region.objects.filter(level__in=["province", "city", "county"])
        for name, text in SCHEME_HELP.items():
            if name in self.fields and not self.fields[name].help_text:
                self.fields[name].help_text = text
        self.order_fields(self.field_order)

    @staticmethod
    def initial_of(scheme: Scheme) -> dict:
        data = {f: getattr(scheme, f) for f in SCHEME_FIELDS}
        data["excellent_pct"] = (scheme.excellent_share * 100).normalize()
        data["tie_breakers"] = " ".join(scheme.tie_breakers or [])
        return data

    def clean_tie_breakers(self) -> list[str]:
        return [c for c in re.split(r"[\s,，、;；]+", self.cleaned_data.get("tie_breakers") or "") if c]

    def scheme_data(self) -> dict:
        """The cleaned values as the scheme services take them."""
        data = {f: self.cleaned_data[f] for f in SCHEME_FIELDS}
        data["excellent_share"] = (self.cleaned_data["excellent_pct"] / Decimal(100)).quantize(Decimal("0.01"))
        data["tie_breakers"] = self.cleaned_data["tie_breakers"]
        return data


class IndicatorForm(forms.Form):
    """One indicator row of the scheme page (an "id" for indicators that already exist)."""

    id = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields.update(fields_for_model(Indicator, fields=INDICATOR_FIELDS))
        self.fields["weight"] = forms.DecimalField(label=_("权重"), min_value=0, max_value=100, max_digits=5,
                                                   decimal_places=2)
        self.fields["categories"].queryset = PointCategory.objects.order_by("code")
        self.fields["categories"].widget = forms.CheckboxSelectMultiple()
        self.fields["categories"].help_text = _("积分类指标必选")
        for name, text in INDICATOR_HELP.items():
            if name in self.fields and not self.fields[name].help_text:
                self.fields[name].help_text = text
        self.fields["categories"].label_from_instance = lambda c: f"{c.name}（{c.code}）"
        self.fields["metric"].help_text = _("%(help)s。可用的机制数据：%(codes)s") % {
            "help": self.fields["metric"].help_text, "codes": metric_choices_text()}

    def has_changed(self) -> bool:
        """A row without code, name or weight is blank (its selects always send some value) and is skipped."""
        return any(self[f].value() not in (None, "") for f in ("id", "code", "name", "weight"))

    @staticmethod
    def initial_of(indicator: Indicator) -> dict:
        data = {f: getattr(indicator, f) for f in INDICATOR_FIELDS if f != "categories"}
        return {**data, "id": indicator.pk, "categories": list(indicator.categories.all())}


def indicator_formset(data=None, *, initial=None, extra: int = 0) -> forms.BaseFormSet:
    """The indicator rows under the prefix "ind"; `extra` blank rows for new indicators."""
    cls = forms.formset_factory(IndicatorForm, extra=extra, can_delete=True)
    return cls(data, initial=initial, prefix="ind")


class RoundForm(forms.Form):
    """A new round: a scheme and a period code of the scheme's period type."""

    scheme = forms.ModelChoiceField(label=_("考核方案"), queryset=Scheme.objects.none())
    period = forms.CharField(label=_("周期"), max_length=6, help_text=_("季度考核如 2024Q1，年度考核如 2024"))
    title = forms.CharField(label=_("名称"), max_length=120, required=False, help_text=_("留空则按周期和方案自动命名"))

    def __init__(self, *args, schemes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = schemes if schemes is not None else Scheme.objects.filter(is_active=True)


class SourceForm(forms.Form):
    """Which evaluation (多维评议) feeds a multi-rater indicator of a round."""

    indicator = forms.ModelChoiceField(label=_("指标"), queryset=Indicator.objects.none())
    evaluation = forms.ModelChoiceField(label=_("测评"), queryset=None)

    def __init__(self, *args, indicators, evaluations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators
        self.fields["evaluation"].queryset = evaluations


class DecisionForm(forms.Form):
    """A decided grade for one person with its reason: 基本称职/不称职, or 优秀/称职 to settle a tie at the quota."""

    person = PickField(SUBJECTS[Target.SECTION_LEADER], label=_("人员"))  # replaced by the round's target
    grade = forms.ChoiceField(label=_("等次"), choices=[(g, _(g)) for g in (GRADE_BASIC, GRADE_FAIL, GRADE_EXCELLENT,
                                                                          GRADE_COMPETENT)])
    reason = forms.CharField(label=_("依据"), max_length=300, required=False,  # the service names what is missing
                             help_text=_("如：受到处分、问责，或经组织认定的情形"))

    def __init__(self, *args, user, target: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"] = PickField(subjects_source(target), label=self.fields["person"].label)
        bind_pickers(self, user)
