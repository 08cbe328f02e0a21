"""The Insights figures through the API, read-only: per entity the receivables and aging
of the latest snapshot day, the monthly figures (DSO, ADD, CEI, overdue ratio) and the
13-week cash forecast; per customer the risk scores. Everything here is what the insights
pages already compute (selectors.py, forecast.py, risk.py): this only serializes it."""

from datetime import date

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers

from relance.core.api.views import VisibleReadOnlyViewSet
from relance.core.models import Entity
from relance.insights import forecast, selectors
from relance.insights.models import CustomerRisk

# The monthly figures go back this many months, the month of the latest day included.
MONTHS = 12


def _money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=16, decimal_places=2, **kwargs)


def _figure() -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=9, decimal_places=1, allow_null=True)


class BalanceSerializer(serializers.Serializer):
    day = serializers.DateField(allow_null=True, help_text="The snapshot day read.")
    open_amount = _money()
    overdue = _money()
    not_due = _money()
    d1_30 = _money()
    d31_60 = _money()
    d61_90 = _money()
    d90_plus = _money()
    credits = _money(help_text="Open credit notes and unapplied payments.")


class MonthSerializer(serializers.Serializer):
    month = serializers.DateField(help_text="Its first day.")
    end = serializers.DateField(help_text="Its last day, or the latest day of a month not over.")
    days = serializers.IntegerField()
    sales = _money()
    dso_countback = _figure()
    dso_simple = _figure()
    best_possible_dso = _figure()
    add = _figure()
    cei = _figure()
    overdue_ratio = _figure()


class WeekSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="< 0 a past week, 0 this week, 1–12 the next.")
    start = serializers.DateField()
    expected = _money()
    received = _money()


class CurrencyForecastSerializer(serializers.Serializer):
    currency = serializers.CharField()
    weeks = WeekSerializer(many=True)
    later = _money()
    disputed = _money()
    open_total = _money()


class ForecastSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    entity_days_late = _figure()
    currencies = CurrencyForecastSerializer(many=True)


class EntityInsightsSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="entity.pk", help_text="The entity's id.")
    entity = serializers.IntegerField(source="entity.pk")
    currency = serializers.CharField()
    day = serializers.DateField(allow_null=True, help_text="The latest snapshot day written.")
    balance = BalanceSerializer(allow_null=True)
    months = MonthSerializer(many=True)
    forecast = ForecastSerializer()


def entity_insights(entity: Entity) -> dict:
    """The figures of the entity in its own currency: those of the dashboard for the last
    MONTHS months to the latest snapshot day (none before the first snapshot), and the
    cash forecast as of the entity's today."""
    day = selectors.latest_snapshot_day(entity)
    months, balance = [], None
    if day is not None:
        start = selectors.add_months(selectors.month_start(day), 1 - MONTHS)
        months = selectors.monthly_figures(entity, start, day)
        balance = months[-1].closing
    return {
        "entity": entity,
        "currency": entity.currency,
        "day": day,
        "balance": balance,
        "months": months,
        "forecast": forecast.cash_forecast(entity),
    }


class EntityInsightsViewSet(VisibleReadOnlyViewSet):
    """The insights figures of each entity the user sees (`/insights/{entity id}/`)."""

    queryset = Entity.objects.all()
    serializer_class = EntityInsightsSerializer
    filter_backends = []

    def get_serializer(self, instance=None, *args, **kwargs):
        if instance is not None:
            many = kwargs.get("many", False)
            instance = [entity_insights(e) for e in instance] if many else entity_insights(instance)
        return super().get_serializer(instance, *args, **kwargs)


class RiskPartsSerializer(serializers.ModelSerializer):
    class Meta:
        model = CustomerRisk
        fields = [
            "id",
            "customer",
            "entity",
            "day",
            "score",
            "days_late",
            "dso",
            "lateness",
            "overdue_share",
            "trend",
            "disputes",
            "credit_use",
        ]


def _param_id(request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    if not raw.isdigit():
        raise exceptions.ValidationError({name: [f"{raw[:20]!r} is not an id"]})
    return int(raw)


def _param_day(request, name: str) -> date | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        message = f"{raw[:20]!r} is not a date (YYYY-MM-DD)"
        raise exceptions.ValidationError({name: [message]}) from exc


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("customer", OpenApiTypes.INT, description="One customer's scores."),
            OpenApiParameter("day", OpenApiTypes.DATE, description="The scores of that day."),
        ]
    )
)
class CustomerRiskViewSet(VisibleReadOnlyViewSet):
    """Customers' risk scores (0–100) and their parts, one row per customer and snapshot
    day, as written by the daily snapshot (docs/insights.md, "Risk score")."""

    queryset = CustomerRisk.objects.all()
    serializer_class = RiskPartsSerializer
    filter_backends = []

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action != "list":
            return queryset
        customer, day = _param_id(self.request, "customer"), _param_day(self.request, "day")
        if customer is not None:
            queryset = queryset.filter(customer_id=customer)
        if day is not None:
            queryset = queryset.filter(day=day)
        return queryset
