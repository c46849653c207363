"""Forms of the evaluation pages: they validate input; the services do the writing."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bole.org.pickers import OFFICE_UNITS, PickField, bind_pickers

from .choices import AggregationRule, EvaluationKind, GroupCode, SubjectKind, Verdict
from .pickers import JUDGE_LOGINS


class EvaluationForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=120)
    kind = forms.ChoiceField(label=_("类型"), choices=EvaluationKind.choices)
    unit = PickField(OFFICE_UNITS, label=_("组织单位"), required=False, help_text=_("单位管理员只能在本单位范围内创建"))
    subject_kind = forms.ChoiceField(label=_("对象类型"), choices=SubjectKind.choices, initial=SubjectKind.PERSON)
    rule = forms.ChoiceField(label=_("计分规则"), choices=[("", _("按类型自动选择（推荐）")), *AggregationRule.choices],
                             required=False)
    trim_k = forms.IntegerField(label=_("去掉最高/最低分个数"), min_value=0, max_value=5, initial=1)
    allow_unknown = forms.BooleanField(label=_("允许选择“不了解”"), required=False, initial=True)
    block_own_unit = forms.BooleanField(label=_("评委回避本单位选手"), required=False, initial=True)
    description = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        bind_pickers(self, user)


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("指标名称"), max_length=60)
    max_score = forms.FloatField(label=_("满分"), min_value=0.5, initial=10)
    weight = forms.FloatField(label=_("权重"), min_value=0, initial=1)


class GroupForm(forms.Form):
    code = forms.ChoiceField(label=_("测评人类别"), choices=[c for c in GroupCode.choices if c[0] != GroupCode.JUDGE])
    weight = forms.FloatField(label=_("权重"), min_value=0, initial=0.25)
    expected_count = forms.IntegerField(label=_("应到人数"), min_value=0, initial=0)


class SubjectForm(forms.Form):
    person = PickField("people", label=_("人员"), required=False)
    label = forms.CharField(label=_("名称（非人员对象填写）"), required=False, max_length=120)
    panel = forms.CharField(label=_("评审组"), required=False, max_length=20)

    def clean(self):
        data = super().clean()
        if not data.get("person") and not data.get("label"):
            raise forms.ValidationError(_("请填写人员或名称"))
        return data

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        bind_pickers(self, user)


class JudgeForm(forms.Form):
    user = PickField(JUDGE_LOGINS, label=_("评委账号"))
    panel = forms.CharField(label=_("评审组"), required=False, max_length=20)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        bind_pickers(self, user)


class TokensForm(forms.Form):
    group = forms.ChoiceField(label=_("测评人类别"))
    count = forms.IntegerField(label=_("数量"), min_value=1, max_value=5000, initial=10)

    def __init__(self, *args, evaluation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [(g.pk, g.name) for g in evaluation.groups.all()] if evaluation else []


class SignoffForm(forms.Form):
    verdict = forms.ChoiceField(label=_("意见"), choices=Verdict.choices, widget=forms.RadioSelect)
    opinion = forms.CharField(label=_("评审意见"), max_length=300, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}), help_text=_("不通过时必填"))
