"""Forms of the awards: new round, nomination, objection, answer."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import NominationKind, ObjectionStatus


class RoundForm(forms.Form):
    period = forms.CharField(label=_("季度"), max_length=6, help_text=_("如 2025Q1"))
    nominate_until = forms.DateField(label=_("提名截止"), required=False,
                                     widget=forms.DateInput(attrs={"type": "date"}))
    star_quota = forms.IntegerField(label=_("担当之星名额"), min_value=1, initial=10)
    team_quota = forms.IntegerField(label=_("担当团队名额"), min_value=0, initial=3)
    star_points = forms.DecimalField(label=_("担当之星积分"), min_value=0, initial=3)
    team_points = forms.DecimalField(label=_("担当团队成员积分"), min_value=0, initial=2)
    publicity_days = forms.IntegerField(label=_("公示天数"), min_value=1, initial=5)


class NominationForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=NominationKind.choices)
    unit = forms.ModelChoiceField(label=_("推荐单位"), queryset=None)
    person = forms.ModelChoiceField(label=_("被提名人（担当之星）"), queryset=None, required=False)
    team_name = forms.CharField(label=_("团队名称（担当团队）"), max_length=100, required=False)
    members = forms.ModelMultipleChoiceField(label=_("团队成员"), queryset=None, required=False)
    deeds = forms.CharField(label=_("主要事迹"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from bole.org.selectors import person_list, unit_list

        self.fields["unit"].queryset = unit_list(user=user).order_by("path")
        people = person_list(user=user).filter(is_active=True).order_by("unit__path", "id")
        self.fields["person"].queryset = people
        self.fields["members"].queryset = people


class ObjectionForm(forms.Form):
    nomination = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("异议理由"), widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(label=_("答复结果"), choices=[(ObjectionStatus.DISMISSED, _("异议不成立")),
                                                          (ObjectionStatus.UPHELD, _("异议成立，取消表彰"))])
    answer = forms.CharField(label=_("答复意见"), widget=forms.Textarea(attrs={"rows": 3}))
