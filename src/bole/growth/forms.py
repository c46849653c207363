"""Forms of the growth pages: they validate input; the services do the writing."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bole.core.forms import DateInput
from bole.org.pickers import PickField, bind_pickers

from .pickers import YOUNG_CADRES

DATE = DateInput()


class RecordForm(forms.Form):
    person = PickField(YOUNG_CADRES, label=_("选调生"))
    cohort = forms.IntegerField(label=_("届别（入职年份）"), min_value=2000, max_value=2100)
    started_on = forms.DateField(label=_("入职日期"), widget=DATE)
    mentor = PickField("county-people", label=_("导师"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        bind_pickers(self, user)


class EvidenceForm(forms.Form):
    evidence = forms.CharField(label=_("佐证材料"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence_file = forms.FileField(label=_("佐证附件（可选）"), required=False)
    done_on = forms.DateField(label=_("完成日期"), widget=DATE, required=False)


class PostingForm(forms.Form):
    place = forms.CharField(label=_("蹲苗地点"), max_length=100)
    role = forms.CharField(label=_("担任职务"), max_length=60, required=False)
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE, required=False)


class ItemForm(forms.Form):
    name = forms.CharField(label=_("事项"), max_length=60)
    description = forms.CharField(label=_("要求"), max_length=300, required=False)
    due_months = forms.IntegerField(label=_("完成时限（入职后月数）"), min_value=1, max_value=120, initial=24)
    sort = forms.IntegerField(label=_("排序"), min_value=0, initial=0)
