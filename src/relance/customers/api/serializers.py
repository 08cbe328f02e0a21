from rest_framework import serializers

from relance.customers.models import Contact, Customer


class CustomerSerializer(serializers.ModelSerializer):
    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = Customer
        fields = [
            "id",
            "entity",
            "external_id",
            "name",
            "legal_id",
            "postal_code",
            "city",
            "country",
            "language",
            "currency",
            "collector",
            "category",
            "tags",
            "custom_field_data",
            "credit_limit",
            "on_hold",
            "hold_reason",
            "hold_until",
            "scenario",
            "created_at",
            "updated_at",
        ]


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = [
            "id",
            "customer",
            "external_id",
            "first_name",
            "last_name",
            "job_title",
            "email",
            "phone",
            "mobile",
            "postal_code",
            "city",
            "country",
            "is_collection",
            "is_billing",
            "is_legal",
            "is_other",
            "updated_at",
        ]
