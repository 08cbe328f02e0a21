"""The import pages: upload, a checked preview with every error, confirm, progress, history."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from relance.core.background import run_in_background
from relance.ledger.choices import ImportStatus
from relance.ledger.forms import ImportUploadForm
from relance.ledger.importers import import_columns, read_kind_preview
from relance.ledger.models import ImportBatch
from relance.ledger.services import import_error_lines, import_summary_display
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
        run_in_background(import_run, batch.pk, True)
        return redirect("ledger:import-detail", pk=batch.pk)
    return render(request, "ledger/imports/new.html", {"form": form, "columns": import_columns()})


def import_detail(request, pk):
    batch = ImportBatch.objects.get_for_user(request.user, pk=pk)
    context = {"batch": batch, "progress": import_progress(batch.pk)}
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
