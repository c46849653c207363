"""Forms of the home-branch pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bole.core.forms import DateInput
from bole.org.pickers import PickField, bind_pickers

from .pickers import PARTY_MEMBERS


class AdoptForm(forms.Form):
    """Who adopts one stairwell: a party member searched in the admin's scope, and from when."""

    person = PickField(PARTY_MEMBERS, label=_("认领党员"))
    start_on = forms.DateField(label=_("认领日期"), required=False, widget=DateInput())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        bind_pickers(self, user)


class IssueForm(forms.Form):
    title = forms.CharField(label=_("议题"), max_length=200)
    description = forms.CharField(label=_("议题说明"), widget=forms.Textarea(attrs={"rows": 3}))
