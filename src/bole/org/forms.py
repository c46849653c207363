"""Edit forms of the registers; foreign-key choices limited to the user's scope."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import Enterprise, Person, Region, Unit
from .pickers import PickField, bind_pickers


class ScopedForm(forms.ModelForm):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Units are many: searched with a picker in the user's scope rather than listed.
        for name in ("unit", "parent") if self._meta.model is not Region else ():
            if name in self.fields:
                old = self.fields[name]
                self.fields[name] = PickField("units", label=old.label, required=old.required)
        bind_pickers(self, user)
        if "region" in self.fields:
            self.fields["region"].queryset = selectors.region_list(user=user)
        if "parent" in self.fields and self._meta.model is Region:
            self.fields["parent"].queryset = selectors.region_list(user=user).exclude(level="village")


class PersonForm(ScopedForm):
    class Meta:
        model = Person
        fields = [
            "name", "id_number", "phone", "unit", "position", "rank", "political_status",
            "is_cadre", "is_section_leader", "is_young_cadre", "is_party_member", "is_talent", "is_expert",
        ]


class PersonEditForm(PersonForm):
    """The phone is not filled in (a full number is shown only by the logged reveal): typing one replaces it,
    leaving the box empty keeps the current one."""

    class Meta(PersonForm.Meta):
        fields = [f for f in PersonForm.Meta.fields if f != "id_number"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["phone"] = ""
        if self.instance.phone:
            self.fields["phone"].widget.attrs["placeholder"] = _("当前号码 %(phone)s；留空则不变") % {
                "phone": self.instance.phone_masked}

    def clean_phone(self):
        return self.cleaned_data.get("phone") or self.instance.phone


class UnitForm(ScopedForm):
    class Meta:
        model = Unit
        fields = ["name", "short_name", "kind", "region", "parent", "sort"]


class EnterpriseForm(ScopedForm):
    class Meta:
        model = Enterprise
        fields = ["name", "credit_code", "industry", "region", "contact_name", "contact_phone", "address"]


class EnterpriseEditForm(EnterpriseForm):
    class Meta(EnterpriseForm.Meta):
        fields = [f for f in EnterpriseForm.Meta.fields if f != "credit_code"]


class RegionForm(ScopedForm):
    class Meta:
        model = Region
        fields = ["code", "name", "kind", "parent"]

