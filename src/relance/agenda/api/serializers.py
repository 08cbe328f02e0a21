from rest_framework import serializers

from relance.agenda.models import Action, CustomerResponse


class ActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Action
        fields = [
            "id",
            "entity",
            "customer",
            "scenario",
            "step_position",
            "step_name",
            "channel",
            "mode",
            "status",
            "reason",
            "planned_by",
            "reference",
            "created_on",
            "due_date",
            "finished_on",
            "responsible",
            "note",
            "error_message",
            "tracking_number",
            "carrier",
            "updated_at",
        ]


class ResponseSerializer(serializers.ModelSerializer):
    class Meta:
        model = CustomerResponse
        fields = [
            "id",
            "entity",
            "customer",
            "action",
            "received_at",
            "channel",
            "author",
            "body",
            "kind",
            "items",
            "handled_at",
            "handled_by",
        ]
