from rest_framework import serializers

from relance.core.api.views import VisibleReadOnlyViewSet
from relance.scenarios.models import Scenario, Step


class StepSerializer(serializers.ModelSerializer):
    class Meta:
        model = Step
        fields = ["id", "position", "name", "channel", "mode", "anchor", "offset_days"]


class ScenarioSerializer(serializers.ModelSerializer):
    steps = StepSerializer(many=True, read_only=True)

    class Meta:
        model = Scenario
        fields = ["id", "entity", "name", "description", "min_amount", "steps", "updated_at"]


class ScenarioViewSet(VisibleReadOnlyViewSet):
    """Scenarios shared by every entity (`entity` null) and those of the user's entities."""

    queryset = Scenario.objects.prefetch_related("steps")
    serializer_class = ScenarioSerializer
