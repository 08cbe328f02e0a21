"""Bulk upserts of customers, contacts and items: the file importers' checks and writes
(ledger/importers) over JSON records, all or nothing per request, each problem named
`items[N].field: reason`."""

import re

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from relance.accounts.api.permissions import CanImportOrReadOnly
from relance.core.api.idempotency import idempotent
from relance.core.api.views import visible_related
from relance.core.models import Entity
from relance.ledger.importers import IMPORTERS
from relance.ledger.services import records_import

MAX_RECORDS = 10_000


class RecordsField(serializers.ListField):
    """A list of objects, passed on as they came: the importers check their values (and
    name each problem `items[N].column`). DRF's ListField of DictField would copy each
    object through a field per value, a tenth of the request's time at 10,000 objects;
    an item that is not an object still gets DictField's own message."""

    def run_child_validation(self, data):
        errors = {}
        for index, item in enumerate(data):
            if type(item) is not dict:
                try:
                    self.child.run_validation(item)
                except ValidationError as exc:
                    errors[index] = exc.detail
        if errors:
            raise ValidationError(errors)
        return data if isinstance(data, list) else list(data)


class BulkRequestSerializer(serializers.Serializer):
    entity = serializers.PrimaryKeyRelatedField(queryset=Entity.objects.none())
    items = RecordsField(
        child=serializers.DictField(),
        max_length=MAX_RECORDS,
        allow_empty=False,
        help_text="One object per row, keyed by the import file's column names.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        visible_related(self.fields["entity"], Entity.objects, self.context.get("request"))


BulkOutcomeSerializer = inline_serializer(
    "BulkOutcome",
    {
        "rows": serializers.IntegerField(),
        "created": serializers.IntegerField(),
        "updated": serializers.IntegerField(),
        "unchanged": serializers.IntegerField(),
        "dry_run": serializers.BooleanField(),
    },
)


# An importer names the earlier row of a duplicate by its place in the file; here it is an item.
IN_THE_FILE = re.compile(r"in the file \(first at row (\d+)\)")


def error_line(error: dict, records: list[dict]) -> str:
    """An importer's error as `items[N].column: reason`; a column's own error (unknown,
    missing) names the first record that has it, or the first record."""
    row, column = error["row"], error["column"]
    reason = IN_THE_FILE.sub(r"in the request (first at items[\1])", error["reason"])
    if row is None and column:
        row = next((index for index, record in enumerate(records) if column in record), 0)
    if row is None:
        return reason
    return f"items[{row}].{column}: {reason}" if column else f"items[{row}]: {reason}"


class BulkUpsertView(APIView):
    """POST `{"entity": id, "items": [{column: value, ...}, ...]}`; `?dry_run=true` checks
    without writing."""

    kind = ""
    permission_classes = [*APIView.permission_classes, CanImportOrReadOnly]

    @extend_schema(
        request=BulkRequestSerializer,
        responses={200: BulkOutcomeSerializer},
        parameters=[OpenApiParameter("dry_run", bool, description="Check, write nothing.")],
    )
    @idempotent
    def post(self, request):
        body = BulkRequestSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        records = body.validated_data["items"]
        dry_run = request.query_params.get("dry_run", "").lower() in ("1", "true", "yes")
        token = getattr(request.auth, "prefix", "")
        outcome = records_import(
            kind=self.kind,
            records=records,
            entity=body.validated_data["entity"],
            acting_user=request.user,
            dry_run=dry_run,
            via=f"API {token}".strip(),
        )
        if outcome.errors:
            raise ValidationError([error_line(error, records) for error in outcome.errors])
        counts = {"rows": outcome.rows, "created": outcome.created, "updated": outcome.updated}
        return Response({**counts, "unchanged": outcome.unchanged, "dry_run": dry_run})


def bulk_views() -> dict[str, type[BulkUpsertView]]:
    """One view per importer, by its kind (the URL prefix of its resource too)."""
    return {
        kind: type(f"{kind.title()}BulkUpsertView", (BulkUpsertView,), {"kind": kind})
        for kind in IMPORTERS
    }
