"""Forms of the ledger pages: manual posting, decisions and reversals."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bole.org.models import id_number_digest
from bole.org.selectors import person_list

from .models import PointCategory


class PostForm(forms.Form):
    """Post points by hand (mechanisms post through the service directly)."""

    id_number = forms.CharField(label=_("身份证号"), max_length=18)
    period = forms.CharField(label=_("周期"), max_length=6, help_text=_("如 2024Q1 或 2024"))
    category = forms.ModelChoiceField(label=_("类别"), queryset=PointCategory.objects.filter(is_active=True))
    points = forms.DecimalField(label=_("分值"), max_digits=8, decimal_places=2)
    reason = forms.CharField(label=_("事由"), max_length=300)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_id_number(self):
        value = self.cleaned_data["id_number"].strip().upper()
        person = person_list(user=self.user).filter(id_digest=id_number_digest(value)).first()
        if person is None:
            raise forms.ValidationError(_("找不到该人员，或不在您的管辖范围内"))
        self.cleaned_data["person"] = person
        return value


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("冲正原因"), max_length=300)
