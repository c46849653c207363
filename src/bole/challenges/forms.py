"""Forms of the challenge pages: they validate input; the services do the writing."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bole.core.forms import DateInput
from bole.evaluation.choices import Verdict
from bole.org.pickers import PickField, PickMultipleField, bind_pickers

from .choices import ChallengeField, Closure

DATE = DateInput()


class ChallengeForm(forms.Form):
    title = forms.CharField(label=_("榜单名称"), max_length=120)
    field = forms.ChoiceField(label=_("领域"), choices=ChallengeField.choices)
    publisher_unit = PickField("units", label=_("发榜单位"))
    goal = forms.CharField(label=_("攻坚目标"), widget=forms.Textarea(attrs={"rows": 3}))
    criteria = forms.CharField(label=_("验收标准"), widget=forms.Textarea(attrs={"rows": 3}))
    incentive_points = forms.DecimalField(label=_("激励积分"), min_value=0, max_digits=6, decimal_places=2,
                                          initial=5)
    incentive_text = forms.CharField(label=_("其他激励"), max_length=200, required=False)
    pay_per_milestone = forms.BooleanField(label=_("按节点分段计分"), required=False)
    team_allowed = forms.BooleanField(label=_("允许团队揭榜"), required=False)
    apply_until = forms.DateField(label=_("揭榜截止日期"), widget=DATE)
    deadline = forms.DateField(label=_("完成期限"), widget=DATE)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        bind_pickers(self, user)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("节点名称"), max_length=120)
    due_date = forms.DateField(label=_("节点期限"), widget=DATE)
    points = forms.DecimalField(label=_("节点积分"), min_value=0, max_digits=6, decimal_places=2, required=False)


class ApplyForm(forms.Form):
    plan = forms.CharField(label=_("攻坚方案"), widget=forms.Textarea(attrs={"rows": 5}))
    members = PickMultipleField("county-people", label=_("团队成员（姓名，多人用逗号分隔）"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        bind_pickers(self, user)


class ReportForm(forms.Form):
    milestone = forms.ModelChoiceField(label=_("节点"), queryset=None, required=False)
    text = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 4}))
    for_acceptance = forms.BooleanField(label=_("提请验收该节点"), required=False)

    def __init__(self, *args, challenge=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = challenge.milestones.exclude(status="accepted")
        self.fields["milestone"].label_from_instance = lambda m: f"{m.title}（{m.due_date:%Y-%m-%d}）"


class PanelForm(forms.Form):
    person = PickField("county-people", label=_("验收组成员（姓名）"))
    is_chair = forms.BooleanField(label=_("组长"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        bind_pickers(self, user)


class SignoffForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)
    verdict = forms.ChoiceField(label=_("意见"), choices=Verdict.choices)
    comment = forms.CharField(label=_("验收意见"), max_length=300, required=False)


class CloseForm(forms.Form):
    """Ending a challenge: `to` offers only the closing moves open from its status (`moves`)."""

    TARGETS = (("failed", _("未完成")), ("withdrawn", _("撤榜/放弃")))

    to = forms.ChoiceField(label=_("结束为"), choices=TARGETS)
    closure = forms.ChoiceField(label=_("结束情形"), choices=Closure.choices)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def __init__(self, *args, moves=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(to, label) for to, label in self.TARGETS if to in moves]
