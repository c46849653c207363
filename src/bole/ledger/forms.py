"""Forms of the ledger pages: manual posting, decisions and reversals."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bole.org.pickers import PickField, bind_pickers

from .models import PointCategory


class PostForm(forms.Form):
    """Post points by hand (mechanisms post through the service directly); the person is searched in scope."""

    person = PickField("people", label=_("人员"))
    period = forms.CharField(label=_("周期"), max_length=6, help_text=_("如 2024Q1 或 2024"))
    category = forms.ModelChoiceField(label=_("类别"), queryset=PointCategory.objects.filter(is_active=True))
    points = forms.DecimalField(label=_("分值"), max_digits=8, decimal_places=2)
    reason = forms.CharField(label=_("事由"), max_length=300)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        bind_pickers(self, user)


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("冲正原因"), max_length=300)
