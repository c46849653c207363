"""Forms of the online end test: the quiz's name and window, and a question as staff type it."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from bole.core.forms import DateTimeInput

from .choices import QuestionKind
from .quizzes import MAX_OPTIONS, parse_key


class QuizForm(forms.Form):
    title = forms.CharField(label=_("测试名称"), max_length=120, required=False)
    opens_at = forms.DateTimeField(label=_("开始时间"), widget=DateTimeInput())
    closes_at = forms.DateTimeField(label=_("结束时间"), widget=DateTimeInput())

    def clean(self):
        d = super().clean()
        if d.get("opens_at") and d.get("closes_at") and d["closes_at"] <= d["opens_at"]:
            self.add_error("closes_at", _("结束时间须晚于开始时间"))
        return d


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("题型"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("题目"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    options = forms.CharField(label=_("选项（每行一个；判断题不填）"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 4}))
    key = forms.CharField(label=_("答案（如 A、ACD；判断题填“对”或“错”）"), max_length=20)
    points = forms.DecimalField(label=_("分值"), min_value=0.1, max_value=100, decimal_places=1, initial=5)

    def clean(self):
        d = super().clean()
        kind = d.get("kind")
        lines = [ln.strip() for ln in (d.get("options") or "").splitlines() if ln.strip()]
        if kind == QuestionKind.TRUE_FALSE:
            lines = ["", ""]
        elif kind and len(lines) < 2:
            self.add_error("options", _("选择题至少需要两个选项"))
        elif len(lines) > MAX_OPTIONS:
            self.add_error("options", _("选项最多 %(n)s 个") % {"n": MAX_OPTIONS})
        d["option_list"] = lines
        if "key" in d and kind and not self.errors.get("options"):
            try:
                d["key_list"] = parse_key(d["key"], len(lines))
            except ValidationError as exc:
                self.add_error("key", exc.message_dict["key"])
        return d
