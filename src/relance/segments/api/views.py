from rest_framework import serializers

from relance.core.api.views import VisibleReadOnlyViewSet
from relance.segments.models import Segment


class SegmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Segment
        fields = [
            "id",
            "entity",
            "name",
            "description",
            "priority",
            "scenario",
            "criteria",
            "is_active",
            "computed_at",
        ]


class SegmentViewSet(VisibleReadOnlyViewSet):
    queryset = Segment.objects.all()
    serializer_class = SegmentSerializer
