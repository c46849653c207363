"""Forms of the key projects: new project, signing, milestone done, a difficulty from the phone."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bole.core.forms import DateInput
from bole.org.pickers import OFFICE_UNITS, PickField, PickMultipleField, bind_pickers
from bole.org.selectors import region_list

from .choices import ProjectKind


class ProjectForm(forms.Form):
    name = forms.CharField(label=_("项目名称"), max_length=150)
    kind = forms.ChoiceField(label=_("项目类型"), choices=ProjectKind.choices)
    investment = forms.DecimalField(label=_("总投资（亿元）"), min_value=0, max_digits=10, decimal_places=2)
    region = forms.ModelChoiceField(label=_("所在区划"), queryset=None)
    unit = PickField(OFFICE_UNITS, label=_("责任单位"))
    leads = PickMultipleField("section-leaders", label=_("领办领导"))
    is_major = forms.BooleanField(label=_("重大项目"), required=False)
    description = forms.CharField(label=_("项目简介"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["region"].queryset = region_list(user=user).filter(level__in=["county", "town"])
        bind_pickers(self, user)


class SignForm(forms.Form):
    signed_on = forms.DateField(label=_("签约日期"), widget=DateInput())


class MilestoneDoneForm(forms.Form):
    done_on = forms.DateField(label=_("完成日期"), widget=DateInput())
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class DifficultyForm(forms.Form):
    title = forms.CharField(label=_("难题"), max_length=200)
    category = forms.ModelChoiceField(label=_("类别"), queryset=None, required=False)
    description = forms.CharField(label=_("具体情况"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
