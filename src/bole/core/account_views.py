"""Sign-in and 我的账号: the login page (audited, throttled by django-axes), the password change page, and
the user's own API tokens."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .signin import login_failed, login_succeeded, password_change, password_rules_text
from .tokens import api_token_get, api_token_issue, api_token_revoke, api_tokens_of

TOKEN_DAYS = (30, 90, 180, 365)


class SignInView(auth_views.LoginView):
    """Django's login page; every sign-in and every refused attempt gets an audit row."""

    template_name = "core/login.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        login_succeeded(user=form.get_user(), request=self.request)
        return response

    def form_invalid(self, form):
        # A locked-out attempt comes here too (axes refused it in authenticate); its middleware then answers
        # with the lockout page.
        login_failed(username=form.data.get("username", ""), request=self.request,
                     locked=bool(getattr(self.request, "axes_locked_out", False)))
        return super().form_invalid(form)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Every signed-in user changes their own password (old one first; the password rules apply)."""

    template_name = "core/password_change.html"
    success_url = reverse_lazy("account")

    def form_valid(self, form):
        user = self.request.user
        password_change(user=user, password=form.cleaned_data["new_password1"], actor=user)
        update_session_auth_hash(self.request, user)  # this session stays; the user's other sessions end
        messages.success(self.request, _("密码已修改"))
        return redirect(self.success_url)

    def get_context_data(self, **kwargs):
        return super().get_context_data(rules=password_rules_text(), **kwargs)


class TokenForm(forms.Form):
    """Issuing an API token: what it is for and how long it lasts."""

    label = forms.CharField(label=gettext_lazy("用途"), max_length=100,
                            widget=forms.TextInput(attrs={"placeholder": gettext_lazy("例如：统计报表同步")}))
    days = forms.TypedChoiceField(label=gettext_lazy("有效期"), coerce=int, initial=settings.BOLE_API_TOKEN_DAYS,
                                  choices=lambda: [(d, _("%(d)d 天") % {"d": d}) for d in TOKEN_DAYS])


def _account_page(request, *, form, raw_token: str = "", status: int = 200):
    now = timezone.now()
    tokens = [(t, t.is_usable(now)) for t in api_tokens_of(user=request.user)]
    return render(request, "core/account.html", {"tokens": tokens, "form": form, "raw_token": raw_token},
                  status=status)


@login_required
@never_cache
def account(request):
    """我的账号: who I am, the password change link, my API tokens (issue, revoke)."""
    if request.method == "POST":
        form = TokenForm(request.POST)
        if not form.is_valid():
            return _account_page(request, form=form, status=400)
        _token, raw = api_token_issue(
            user=request.user, label=form.cleaned_data["label"],
            expires=timezone.now() + dt.timedelta(days=form.cleaned_data["days"]), actor=request.user)
        # The raw token is shown on this response only; it is stored as a digest and cannot be shown again.
        return _account_page(request, form=TokenForm(), raw_token=raw)
    return _account_page(request, form=TokenForm())


@login_required
@require_POST
def token_revoke(request, pk):
    """Revoke one of my tokens."""
    token = api_token_revoke(token=api_token_get(user=request.user, pk=pk), actor=request.user)
    messages.success(request, _("已撤销令牌 %(t)s") % {"t": token})
    return redirect("account")
