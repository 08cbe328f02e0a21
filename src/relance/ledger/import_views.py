"""The import pages: upload, (for a file with other columns) the columns matched to
Relance's fields, a checked preview with every error, confirm, progress, history."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from relance.core.background import run_in_background
from relance.ledger.choices import ImportStatus
from relance.ledger.forms import ColumnMappingForm, ImportUploadForm
from relance.ledger.importers import IMPORTERS, import_columns, read_kind_preview
from relance.ledger.importers.mapping import file_header, has_relance_columns
from relance.ledger.importers.readers import ImportFileError
from relance.ledger.importers.synonyms import FIELD_LABELS
from relance.ledger.models import ImportBatch
from relance.ledger.selectors import column_mapping_proposal
from relance.ledger.services import (
    import_error_lines,
    import_mapping_confirm,
    import_summary_display,
)
from relance.ledger.tasks import import_progress, import_run

PREVIEW_ROWS = 10


def _require_import_right(user) -> None:
    if not user.can_import:
        raise PermissionDenied(_("Only administrators and credit managers import files."))


def import_list(request):
    batches = ImportBatch.objects.visible_to(request.user).select_related("entity", "started_by")[
        :100
    ]
    return render(request, "ledger/imports/list.html", {"batches": batches})


def import_new(request):
    _require_import_right(request.user)
    form = ImportUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = ImportBatch.objects.create(
            entity=form.cleaned_data["entity"],
            kind=form.cleaned_data["kind"],
            file_name=upload.name,
            dry_run=True,
            status=ImportStatus.RUNNING,
            started_by=request.user,
            upload=upload,
        )
        if batch.kind in IMPORTERS and _needs_mapping(batch):  # a smart upload
            ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.MAPPING)
            return redirect("ledger:import-columns", pk=batch.pk)
        run_in_background(import_run, batch.pk, True)
        return redirect("ledger:import-detail", pk=batch.pk)
    return render(request, "ledger/imports/new.html", {"form": form, "columns": import_columns()})


def _needs_mapping(batch) -> bool:
    """A CSV or XLSX whose header is not mostly Relance's columns: they are matched first.
    (A FEC or an e-invoice has a reader of its own.)"""
    header = file_header(batch.upload.path, batch.file_name)
    importer = IMPORTERS[batch.kind]
    accepted = (*importer.required_columns, *importer.optional_columns)
    return header is not None and not has_relance_columns(
        header, importer.required_columns, accepted
    )


def import_columns_view(request, pk):
    """Match the file's columns to Relance's fields: the proposal (or the entity's saved
    mapping for these headers) as one select per column; htmx re-checks the choices on
    each change; a valid mapping is saved and the file checked through it."""
    batch = ImportBatch.objects.get_for_user(request.user, pk=pk)
    _require_import_right(request.user)
    if batch.status != ImportStatus.MAPPING:
        return redirect("ledger:import-detail", pk=batch.pk)
    try:
        proposal = column_mapping_proposal(
            entity=batch.entity, kind=batch.kind, path=batch.upload.path, file_name=batch.file_name
        )
    except ImportFileError as exc:
        messages.error(request, str(exc))
        return redirect("ledger:import-new")
    headers = [column.header for column in proposal.columns]
    initial = {f"column_{column.index}": column.field for column in proposal.columns}
    initial |= {
        "date_order": proposal.date_order,
        "decimal_separator": proposal.decimal_separator,
    }
    # Always bound: a proposal that misses a required field says so before anything else.
    data = request.POST if request.method == "POST" else initial
    form = ColumnMappingForm(data, kind=batch.kind, headers=headers)
    valid = form.is_valid()
    if request.method == "POST":
        if request.htmx:
            return render(request, "ledger/imports/_mapping_status.html", {"form": form})
        if valid:
            confirmed = import_mapping_confirm(
                batch=batch,
                headers=headers,
                mapping=form.cleaned_data["mapping"],
                acting_user=request.user,
            )
            if confirmed is not None:
                run_in_background(import_run, batch.pk, True)
            return redirect("ledger:import-detail", pk=batch.pk)
    fields = [field for _index, field in form.column_fields()]
    rows = list(zip(proposal.columns, fields, strict=True))
    context = {"batch": batch, "form": form, "proposal": proposal, "rows": rows}
    return render(request, "ledger/imports/columns.html", context)


def import_detail(request, pk):
    batch = ImportBatch.objects.get_for_user(request.user, pk=pk)
    if batch.status == ImportStatus.MAPPING:
        return redirect("ledger:import-columns", pk=batch.pk)
    context = {"batch": batch, "progress": import_progress(batch.pk)}
    if batch.mapping:
        context["mapped_columns"] = mapped_columns(batch)
    if batch.status != ImportStatus.RUNNING:
        context.update(
            summary=import_summary_display(batch) if batch.status != ImportStatus.FAILED else "",
            error_lines=import_error_lines(batch),
            can_confirm=batch.status == ImportStatus.PREVIEWED and request.user.can_import,
        )
        if batch.status == ImportStatus.PREVIEWED and batch.upload:
            context["header"], context["rows"] = read_kind_preview(
                batch.kind, batch.upload.path, file_name=batch.file_name, limit=PREVIEW_ROWS
            )
    return render(request, "ledger/imports/detail.html", context)


def import_progress_view(request, pk):
    """The progress bar, polled by htmx; once the run ends the page reloads to its results."""
    batch = ImportBatch.objects.get_for_user(request.user, pk=pk)
    response = render(
        request,
        "ledger/imports/_progress.html",
        {"batch": batch, "progress": import_progress(batch.pk)},
    )
    if batch.status != ImportStatus.RUNNING:
        response["HX-Refresh"] = "true"
    return response


@require_POST
def import_confirm(request, pk):
    _require_import_right(request.user)
    batch = ImportBatch.objects.get_for_user(request.user, pk=pk)
    updated = ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.PREVIEWED).update(
        status=ImportStatus.RUNNING, dry_run=False, started_by=request.user
    )
    if not updated:  # confirmed twice, or not a clean preview: never import a file twice
        messages.warning(request, _("This import was already confirmed or has errors."))
        return redirect("ledger:import-detail", pk=batch.pk)
    run_in_background(import_run, batch.pk, False)
    return redirect("ledger:import-detail", pk=batch.pk)


def mapped_columns(batch: ImportBatch) -> list[tuple[str, str, str]]:
    """(file column, field, field label) of a smart upload's mapping, for its detail page."""
    header = file_header(batch.upload.path, batch.file_name) if batch.upload else None
    fields = batch.mapping.get("fields", [])
    header = header if header and len(header) == len(fields) else [""] * len(fields)
    return [
        (str(name), field, FIELD_LABELS.get(field, field))
        for name, field in zip(header, fields, strict=True)
        if field
    ]
