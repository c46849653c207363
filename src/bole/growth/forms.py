"""Forms of the growth pages: they validate input; the services do the writing."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

DATE = forms.DateInput(attrs={"type": "date"})


class RecordForm(forms.Form):
    person = forms.ModelChoiceField(label=_("选调生"), queryset=None)
    cohort = forms.IntegerField(label=_("届别（入职年份）"), min_value=2000, max_value=2100)
    started_on = forms.DateField(label=_("入职日期"), widget=DATE)
    mentor = forms.CharField(label=_("导师（姓名）"), max_length=50, required=False)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


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
