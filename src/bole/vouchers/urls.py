from django.urls import path

from . import views

urlpatterns = [
    path("vouchers/", views.home, name="vouchers-home"),
    path("vouchers/policies/<int:pk>/", views.policy_detail, name="vouchers-policy"),
    path("vouchers/policies/new/", views.policy_create, name="vouchers-policy-create"),
    path("vouchers/policies/<int:pk>/edit/", views.policy_edit, name="vouchers-policy-edit"),
    path("vouchers/policies/<int:pk>/fund/", views.policy_fund, name="vouchers-policy-fund"),
    path("vouchers/policies/<int:pk>/panel/", views.policy_panel, name="vouchers-policy-panel"),
    path("vouchers/policies/<int:pk>/apply/", views.apply, name="vouchers-apply"),
    path("vouchers/applications/", views.application_list, name="vouchers-applications"),
    path("vouchers/applications/<int:pk>/", views.application_detail, name="vouchers-application"),
    path("vouchers/applications/<int:pk>/transition/", views.application_transition,
         name="vouchers-application-transition"),
    path("vouchers/funds/<int:pk>/", views.fund_detail, name="vouchers-fund"),
    path("vouchers/funds/<int:pk>/topup/", views.fund_topup, name="vouchers-fund-topup"),
    path("vouchers/funds/<int:pk>/issue/", views.fund_issue, name="vouchers-fund-issue"),
    path("vouchers/funds/<int:pk>/enrol/", views.fund_enrol, name="vouchers-fund-enrol"),
    path("vouchers/enrolments/<int:pk>/", views.enrolment_decide, name="vouchers-enrolment"),
    path("vouchers/v/<int:pk>/", views.voucher_detail, name="vouchers-voucher"),
    path("vouchers/v/<int:pk>/split/", views.voucher_split, name="vouchers-voucher-split"),
    path("vouchers/pay/<str:token>/", views.pay, name="vouchers-pay"),
    path("vouchers/merchant/", views.merchant, name="vouchers-merchant"),
    path("vouchers/redemptions/<int:pk>/", views.redemption_detail, name="vouchers-redemption"),
    path("vouchers/redemptions/<int:pk>/answer/", views.redemption_answer, name="vouchers-redemption-answer"),
    path("vouchers/redemptions/<int:pk>/review/", views.redemption_review, name="vouchers-redemption-review"),
    path("vouchers/transactions/", views.transactions, name="vouchers-transactions"),
    path("vouchers/reports/", views.reports, name="vouchers-reports"),
    path("vouchers/reports/export/", views.reports_export, name="vouchers-reports-export"),
]
