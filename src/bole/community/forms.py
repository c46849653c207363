"""Forms of the home-branch pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bole.org.models import Person


class AdoptForm(forms.Form):
    person = forms.ModelChoiceField(label=_("认领党员"), queryset=Person.objects.filter(is_party_member=True,
                                                                                      is_active=True))
    start_on = forms.DateField(label=_("认领日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class IssueForm(forms.Form):
    title = forms.CharField(label=_("议题"), max_length=200)
    description = forms.CharField(label=_("议题说明"), widget=forms.Textarea(attrs={"rows": 3}))
