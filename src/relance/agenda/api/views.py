"""Actions and responses through the API: lists filtered as on the agenda, and the agenda's
operations, each parsed by the page's form and done by the same service."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action as operation
from rest_framework.response import Response

from relance.agenda import forms, services
from relance.agenda.api.serializers import ActionSerializer, ResponseSerializer
from relance.agenda.filtersets import ActionFilterSet, ResponseFilterSet
from relance.agenda.models import Action, CustomerResponse
from relance.core.api.idempotency import idempotent
from relance.core.api.views import VisibleReadOnlyViewSet, form_data, form_serializer


class ActionViewSet(VisibleReadOnlyViewSet):
    """Actions, filtered as in the agenda; complete, skip, reschedule and confirm as there."""

    queryset = Action.objects.all()
    serializer_class = ActionSerializer
    filterset_class = ActionFilterSet

    def _operate(self, request, form_class, service, **options):
        action = self.get_object()
        data = form_data(form_class, request.data) if form_class else {}
        done = service(action=action, acting_user=request.user, **data, **options)
        return Response(self.get_serializer(done).data)

    @extend_schema(request=form_serializer(forms.CompleteForm), responses=ActionSerializer)
    @operation(detail=True, methods=["post"])
    @idempotent
    def complete(self, request, pk=None):
        return self._operate(request, forms.CompleteForm, services.action_done)

    @extend_schema(request=form_serializer(forms.SkipForm), responses=ActionSerializer)
    @operation(detail=True, methods=["post"])
    @idempotent
    def skip(self, request, pk=None):
        return self._operate(request, forms.SkipForm, services.action_skip)

    @extend_schema(request=form_serializer(forms.RescheduleForm), responses=ActionSerializer)
    @operation(detail=True, methods=["post"])
    @idempotent
    def reschedule(self, request, pk=None):
        return self._operate(request, forms.RescheduleForm, services.action_reschedule)

    @extend_schema(request=None, responses=ActionSerializer)
    @operation(detail=True, methods=["post"])
    @idempotent
    def confirm(self, request, pk=None):
        return self._operate(request, None, services.action_confirm)


class ResponseViewSet(VisibleReadOnlyViewSet):
    """Customers' responses (emails, calls, portal messages), filtered as in the inbox."""

    queryset = CustomerResponse.objects.prefetch_related("items")
    serializer_class = ResponseSerializer
    filterset_class = ResponseFilterSet
