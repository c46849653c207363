"""Forms of 强村六式: pairing a 强村局长, the head's log and problems, operation teams and their reports."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bole.core.forms import DateInput
from bole.org.pickers import PEOPLE, SECTION_LEADERS, PickField, PickMultipleField, bind_pickers

from .choices import EventKind, LogKind
from .models import Indicator


class PatronForm(forms.Form):
    """Pair a county department head with this village for a term."""

    person = PickField(SECTION_LEADERS, label=_("强村局长（县级部门领导干部）"))
    start = forms.DateField(label=_("结对起始"), widget=DateInput())
    end = forms.DateField(label=_("结对截止"), widget=DateInput())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        bind_pickers(self, user)


class PatronLogForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=[(LogKind.VISIT, LogKind.VISIT.label),
                                                      (LogKind.ACTION, LogKind.ACTION.label)])
    on = forms.DateField(label=_("日期"), widget=DateInput())
    summary = forms.CharField(label=_("内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ProblemForm(forms.Form):
    """A problem the head raises: it goes to the 强村难题 desk."""

    title = forms.CharField(label=_("问题"), max_length=200)
    category = forms.ModelChoiceField(label=_("类别"), queryset=None, required=False)
    description = forms.CharField(label=_("问题说明"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, categories=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories


class TeamForm(forms.Form):
    """An operation team's contract."""

    company = forms.CharField(label=_("运营公司"), max_length=100)
    members = forms.CharField(label=_("团队成员"), max_length=300, required=False)
    start = forms.DateField(label=_("合同起始"), widget=DateInput())
    end = forms.DateField(label=_("合同截止"), widget=DateInput())
    fee = forms.DecimalField(label=_("服务费（万元/年）"), min_value=0, max_digits=8, decimal_places=2)
    income_target = forms.DecimalField(label=_("经营性收入目标（万元）"), min_value=0, max_digits=8,
                                       decimal_places=2)
    is_pilot = forms.BooleanField(label=_("试点"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("合同截止日期不能早于起始日期"))
        return data


class ReportForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("月份"), min_value=1, max_value=12)
    summary = forms.CharField(label=_("工作内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    income = forms.FloatField(label=_("带来经营性收入（万元）"), min_value=0, max_value=100000)


class ReviewForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)


class EventForm(forms.Form):
    """A 强村论坛 or 强村大会: the villages typed by name (one a line), the people searched."""

    county = forms.ModelChoiceField(label=_("县（区）"), queryset=None)
    kind = forms.ChoiceField(label=_("类型"), choices=EventKind.choices)
    title = forms.CharField(label=_("名称"), max_length=120)
    on = forms.DateField(label=_("日期"), widget=DateInput())
    place = forms.CharField(label=_("地点"), max_length=120)
    agenda = forms.CharField(label=_("议程（每行一项）"), max_length=10000, required=False,
                             widget=forms.Textarea(attrs={"rows": 5}))
    villages = forms.CharField(label=_("参加的村（每行一个，或用顿号分隔）"), max_length=5000, required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))
    people = PickMultipleField(PEOPLE, label=_("参加人员"), required=False)

    def __init__(self, *args, user=None, counties=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties
        bind_pickers(self, user)


class HonoursForm(forms.Form):
    county = forms.ModelChoiceField(label=_("县（区）"), queryset=None)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    top = forms.IntegerField(label=_("指数前列名额"), min_value=1, max_value=50, initial=10)
    rises = forms.IntegerField(label=_("进步最快名额"), min_value=0, max_value=50, initial=3)

    def __init__(self, *args, counties=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties


class IndicatorForm(forms.ModelForm):
    """An indicator's configuration (the county's department)."""

    class Meta:
        model = Indicator
        fields = ["code", "name", "unit", "direction", "weight", "denominator", "scale", "lo", "hi", "target",
                  "in_index", "sort", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Indicator.objects.filter(is_active=True).order_by("sort", "id")
        if self.instance.pk:
            qs = qs.exclude(pk=self.instance.pk)
            self.fields["code"].disabled = True
        self.fields["denominator"].queryset = qs

    def validate_unique(self):
        """The service checks the row (and the database the unique columns) when it saves."""
