"""Engine runs through the API: their history and summaries, and a run started on demand
by the same Celery task as `relance run` (engine/tasks.py: engine_run)."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.response import Response

from relance.accounts.api.permissions import CanImportOrReadOnly
from relance.core.api.idempotency import idempotent
from relance.core.api.views import VisibleReadOnlyViewSet, visible_related
from relance.core.models import Entity
from relance.engine.models import EngineRun
from relance.engine.tasks import engine_run


class EngineRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = EngineRun
        fields = [
            "id",
            "entity",
            "day",
            "kind",
            "dry_run",
            "status",
            "started_at",
            "finished_at",
            "counts",
            "error",
        ]


class EngineRunRequestSerializer(serializers.Serializer):
    entity = serializers.PrimaryKeyRelatedField(queryset=Entity.objects.none())
    day = serializers.DateField(required=False, help_text="Default: the entity's today.")
    dry_run = serializers.BooleanField(default=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        visible_related(self.fields["entity"], Entity.objects, self.context.get("request"))


class EngineRunViewSet(mixins.CreateModelMixin, VisibleReadOnlyViewSet):
    """Runs of the engine, the latest first in their summaries; POST starts one (for
    administrators and credit managers, who may import)."""

    queryset = EngineRun.objects.all()
    serializer_class = EngineRunSerializer
    permission_classes = [*VisibleReadOnlyViewSet.permission_classes, CanImportOrReadOnly]

    def get_serializer_class(self):
        return EngineRunRequestSerializer if self.action == "create" else EngineRunSerializer

    @extend_schema(
        request=EngineRunRequestSerializer,
        responses={
            202: inline_serializer(
                "EngineRunQueued",
                {
                    "entity": serializers.IntegerField(),
                    "day": serializers.DateField(allow_null=True),
                    "dry_run": serializers.BooleanField(),
                    "task_id": serializers.CharField(),
                },
            )
        },
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entity, day = serializer.validated_data["entity"], serializer.validated_data.get("day")
        dry_run = serializer.validated_data["dry_run"]
        result = engine_run.delay(entity.pk, day.isoformat() if day else None, dry_run)
        body = {
            "entity": entity.pk,
            "day": day.isoformat() if day else None,
            "dry_run": dry_run,
            "task_id": result.id,
        }
        return Response(body, status=status.HTTP_202_ACCEPTED)
