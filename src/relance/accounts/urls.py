from django.urls import path

from relance.accounts import views

app_name = "accounts"
urlpatterns = [
    path("security/", views.security, name="security"),
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("two-factor/setup/", views.two_factor_setup, name="two-factor-setup"),
    path("two-factor/verify/", views.two_factor_verify, name="two-factor-verify"),
    path("two-factor/recovery-codes/", views.recovery_codes_regenerate, name="recovery-codes"),
    path("two-factor/disable/", views.two_factor_disable, name="two-factor-disable"),
    path("api-tokens/", views.api_token_create, name="api-token-create"),
    path("api-tokens/<int:pk>/revoke/", views.api_token_revoke, name="api-token-revoke"),
]
