"""The REST API, version 1 (docs/api.md): one router over every app's viewsets."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from relance.agenda.api.views import ActionViewSet, ResponseViewSet
from relance.core.api.views import EntityViewSet
from relance.customers.api.views import ContactViewSet, CustomerViewSet
from relance.engine.api.views import EngineRunViewSet
from relance.insights.api.views import CustomerRiskViewSet, EntityInsightsViewSet
from relance.ledger.api.bulk import bulk_views
from relance.ledger.api.views import ItemViewSet
from relance.scenarios.api.views import ScenarioViewSet
from relance.segments.api.views import SegmentViewSet

router = SimpleRouter()
router.register("entities", EntityViewSet)
router.register("customers", CustomerViewSet)
router.register("contacts", ContactViewSet)
router.register("items", ItemViewSet)
router.register("actions", ActionViewSet)
router.register("responses", ResponseViewSet)
router.register("scenarios", ScenarioViewSet)
router.register("segments", SegmentViewSet)
router.register("engine-runs", EngineRunViewSet)
router.register("insights", EntityInsightsViewSet, basename="insights")
router.register("customer-risks", CustomerRiskViewSet)

app_name = "api"
# Before the router's: its detail routes would take "bulk" for an id.
urlpatterns = [
    *(
        path(f"{kind}/bulk/", view.as_view(), name=f"{kind}-bulk")
        for kind, view in bulk_views().items()
    ),
    *router.urls,
]
