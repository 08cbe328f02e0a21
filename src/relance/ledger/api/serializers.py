from rest_framework import serializers

from relance.ledger.models import Item


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = Item
        fields = [
            "id",
            "entity",
            "customer",
            "kind",
            "number",
            "issue_date",
            "due_date",
            "amount",
            "open_amount",
            "currency",
            "disputed",
            "dispute_reason",
            "promise_date",
            "blocked",
            "settled_on",
            "updated_at",
        ]
