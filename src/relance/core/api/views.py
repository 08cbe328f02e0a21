"""The base of every API viewset: its rows are those the user may see, through the model's
`visible_to` (core/querysets.py), so a row of another entity answers 404 as a missing one."""

from django import forms
from rest_framework import exceptions, serializers, viewsets

from relance.core.models import Entity


class VisibleViewSetMixin:
    """`queryset` narrowed to what `request.user` sees; declare `queryset` on the model's
    scoped manager (an EntityScopedQuerySet)."""

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)


class VisibleReadOnlyViewSet(VisibleViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class EntitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Entity
        fields = ["id", "slug", "name", "country", "currency", "language", "time_zone"]


class EntityViewSet(VisibleReadOnlyViewSet):
    """The entities (companies) the user works for."""

    queryset = Entity.objects.all()
    serializer_class = EntitySerializer


def visible_related(field: serializers.RelatedField, model_queryset, request):
    """A writable relation's choices narrowed to what the request's user sees."""
    field.queryset = model_queryset.visible_to(request.user) if request else model_queryset.none()
    return field


FORM_FIELD_TYPES = {
    forms.DateField: serializers.DateField,
    forms.IntegerField: serializers.IntegerField,
    forms.BooleanField: serializers.BooleanField,
}


def form_serializer(form_class: type[forms.Form]) -> type[serializers.Serializer]:
    """The request body of an operation whose page form parses it, for the schema: the API
    validates with the page's form itself (the same rules and messages), this only says
    what it takes."""
    fields = {}
    for name, field in form_class.base_fields.items():
        kind = next(
            (api for form, api in FORM_FIELD_TYPES.items() if isinstance(field, form)),
            serializers.CharField,
        )
        options = {"required": field.required, "help_text": str(field.label or "")}
        if kind is serializers.CharField:
            options["allow_blank"] = not field.required
        fields[name] = kind(**options)
    return type(f"{form_class.__name__}Body", (serializers.Serializer,), fields)


def form_data(form_class: type[forms.Form], data, **kwargs) -> dict:
    """`data` cleaned by the page's form, or a 400 naming each field and reason."""
    form = form_class(data, **kwargs)
    if not form.is_valid():
        raise exceptions.ValidationError(
            {
                field: [error["message"] for error in errors]
                for field, errors in form.errors.get_json_data().items()
            }
        )
    return form.cleaned_data
