"""Forms of the awards: new round, nomination, objection, answer."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bole.core.forms import DateInput
from bole.org.pickers import PickField, PickMultipleField, bind_pickers

from .choices import NominationKind, ObjectionStatus
from .permissions import policy


class RoundForm(forms.Form):
    period = forms.CharField(label=_("季度"), max_length=6, help_text=_("如 2025Q1"))
    nominate_until = forms.DateField(label=_("提名截止"), required=False,
                                     widget=DateInput())
    star_quota = forms.IntegerField(label=_("担当之星名额"), min_value=1, initial=10)
    team_quota = forms.IntegerField(label=_("担当团队名额"), min_value=0, initial=3)
    star_points = forms.DecimalField(label=_("担当之星积分"), min_value=0, initial=3)
    team_points = forms.DecimalField(label=_("担当团队成员积分"), min_value=0, initial=2)
    publicity_days = forms.IntegerField(label=_("公示天数"), min_value=1, initial=5)


class NominationForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=NominationKind.choices)
    unit = PickField("units", label=_("推荐单位"))
    person = PickField("people", label=_("被提名人（担当之星）"), required=False)
    team_name = forms.CharField(label=_("团队名称（担当团队）"), max_length=100, required=False)
    members = PickMultipleField("people", label=_("团队成员"), required=False)
    deeds = forms.CharField(label=_("主要事迹"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        bind_pickers(self, user)
        if not self.is_bound and not policy.may(user, "manage"):
            # A town or department nominates in its own name: start from its top unit.
            self.initial.setdefault("unit", self.fields["unit"].queryset.order_by("path").first())


class ObjectionForm(forms.Form):
    nomination = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("异议理由"), widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(label=_("答复结果"), choices=[(ObjectionStatus.DISMISSED, _("异议不成立")),
                                                          (ObjectionStatus.UPHELD, _("异议成立，取消表彰"))])
    answer = forms.CharField(label=_("答复意见"), widget=forms.Textarea(attrs={"rows": 3}))
