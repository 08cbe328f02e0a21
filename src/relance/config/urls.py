from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required, login_required
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from relance.accounts import views as account_views
from relance.core.health import healthz
from relance.delivery.webhooks import webhook_urls

# A parameter refused by a view (core.params.InvalidParameter) answers 400 within the layout.
handler400 = "relance.core.views.bad_request"

urlpatterns = [
    path("", account_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("relance.accounts.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("healthz", healthz, name="healthz"),
    path("customers/", include("relance.customers.urls")),
    path("ledger/", include("relance.ledger.urls")),
    path("bank/", include("relance.banking.urls")),
    path("templates/", include("relance.templating.urls")),
    path("scenarios/", include("relance.scenarios.urls")),
    path("segments/", include("relance.segments.urls")),
    path("agenda/", include("relance.agenda.urls")),
    path("assistant/", include("relance.assistant.urls")),
    path("inbox/", include("relance.inbound.urls")),
    path("delivery/", include("relance.delivery.urls")),
    path("analytics/", include("relance.analytics.urls")),
    path("insights/", include("relance.insights.urls")),
    path("alerts/", include("relance.alerts.urls")),
    path("webhooks/", include("relance.webhooks.urls")),
    path("audit/", include("relance.audit.urls")),
    path("p/", include("relance.portal.urls")),
    path("payments/", include("relance.payments.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("relance.config.api_urls")),
    # DRF views skip LoginRequiredMiddleware: login_required sends visitors to the login page.
    # The split view serves its start-up script as a file, for the Content-Security-Policy.
    path("api/schema/", login_required(SpectacularAPIView.as_view()), name="api-schema"),
    path(
        "api/docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
]

# The email provider's tracking webhook (delivery/webhooks.py): that provider's only, and
# only with a basic-auth secret, since an event names its message by a guessable key.
if settings.ANYMAIL.get("WEBHOOK_SECRET"):
    urlpatterns.append(path("anymail/", include(webhook_urls())))
