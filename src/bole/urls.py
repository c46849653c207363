"""URL map: pages under /, the REST API under /api/v1/; each app adds the urls its AppConfig declares."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from bole.core import account_views, job_views, plugins
from bole.core import views as core_views

from .api import api

urlpatterns = [
    path("login/", account_views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", account_views.account, name="account"),
    path("account/password/", account_views.PasswordChangeView.as_view(), name="password-change"),
    path("account/tokens/<int:pk>/revoke/", account_views.token_revoke, name="token-revoke"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("audit/", core_views.audit_list, name="audit"),
    path("notices/", core_views.inbox, name="inbox"),
    path("notices/<int:pk>/read/", core_views.notification_read, name="inbox-read"),
    path("notices/read-all/", core_views.notification_read_all, name="inbox-read-all"),
    path("jobs/", job_views.job_list, name="jobs"),
    path("jobs/<int:pk>/", job_views.job_detail, name="job-detail"),
    path("jobs/<int:pk>/progress/", job_views.job_progress, name="job-progress"),
    path("jobs/<int:pk>/result/", job_views.job_result, name="job-result"),
    path("jobs/<int:pk>/confirm/", job_views.job_confirm, name="job-confirm"),
]
urlpatterns += plugins.urlpatterns()

handler400 = "bole.core.errors.bad_request"
handler403 = "bole.core.errors.permission_denied"
handler404 = "bole.core.errors.page_not_found"
handler500 = "bole.core.errors.server_error"
