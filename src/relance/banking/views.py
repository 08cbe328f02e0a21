"""The bank statements' pages: the list, the upload, and the reconciliation screen of one
statement where a person allocates the credit lines the matching left."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from relance.banking import selectors
from relance.banking.choices import UploadStatus
from relance.banking.forms import AllocationForm, StatementUploadForm
from relance.banking.models import StatementUpload
from relance.banking.parsers import StatementError
from relance.banking.services import (
    line_allocate,
    statement_check,
    statement_counts,
    statement_import,
)
from relance.banking.tasks import statement_upload_run, upload_progress
from relance.core.background import run_in_background
from relance.core.params import int_param

LINES_PER_PAGE = 25


def _require_import_right(user) -> None:
    if not user.can_import:
        raise PermissionDenied(_("Only administrators and credit managers import statements."))


def _require_editor(user) -> None:
    if not user.can_edit:
        raise PermissionDenied(_("Read-only users cannot allocate payments."))


def statement_list(request):
    rows = selectors.statement_rows(request.user)
    return render(request, "banking/statement_list.html", {"rows": rows})


def statement_new(request):
    """Upload a statement. The file is read in the request: one that cannot be read (or was
    already imported) writes nothing and lists its problems at once. A statement of a few
    credit lines is then stored and matched in the request too; a longer one in the
    background, its page showing the phase until the reconciliation opens."""
    _require_import_right(request.user)
    form = StatementUploadForm(request.POST or None, request.FILES or None, user=request.user)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload, entity = form.cleaned_data["file"], form.cleaned_data["entity"]
        content, format = upload.read(), form.cleaned_data["format"]
        try:
            parsed = statement_check(
                entity=entity, content=content, file_name=upload.name, format=format
            )
            if sum(line.credit for line in parsed.lines) > settings.BANK_SYNC_IMPORT_LINES:
                return _import_in_background(request, entity, upload, format)
            statement = statement_import(
                entity=entity,
                content=content,
                file_name=upload.name,
                format=format,
                acting_user=request.user,
            )
        except StatementError as exc:
            problems = [str(problem) for problem in exc.problems]
        else:
            messages.success(request, _imported_message(statement))
            return redirect("banking:statement-detail", pk=statement.pk)
    return render(request, "banking/statement_new.html", {"form": form, "problems": problems})


def _import_in_background(request, entity, upload, format):
    upload.seek(0)
    pending = StatementUpload.objects.create(
        entity=entity,
        file_name=upload.name[:255],
        upload=upload,
        format=format,
        started_by=request.user,
    )
    run_in_background(statement_upload_run, pending.pk)
    return redirect("banking:upload-detail", pk=pending.pk)


def _imported_message(statement) -> str:
    counts = statement_counts(statement)
    return _(
        "%(file)s imported: %(lines)s lines, %(matched)s matched automatically, "
        "%(left)s to reconcile."
    ) % {
        "file": statement.file_name,
        "lines": counts.lines,
        "matched": counts.matched,
        "left": counts.suggested + counts.unmatched,
    }


def upload_detail(request, pk: int):
    """A statement imported in the background: its phase while it runs (polled by htmx),
    then its reconciliation screen, or its problems."""
    upload = StatementUpload.objects.get_for_user(request.user, pk=pk)
    if upload.status == UploadStatus.DONE and upload.statement_id:
        messages.success(request, _imported_message(upload.statement))
        return redirect("banking:statement-detail", pk=upload.statement_id)
    context = {"upload": upload, "phase": upload_progress(upload.pk)}
    return render(request, "banking/upload_detail.html", context)


def upload_progress_view(request, pk: int):
    upload = StatementUpload.objects.get_for_user(request.user, pk=pk)
    context = {"upload": upload, "phase": upload_progress(upload.pk)}
    response = render(request, "banking/_upload_progress.html", context)
    if upload.status != UploadStatus.RUNNING:
        response["HX-Refresh"] = "true"
    return response


def statement_detail(request, pk: int):
    """The reconciliation screen: the credit lines still to reconcile, a page at a time,
    each with its ranked suggestions and the manual allocation form."""
    statement = selectors.statement_for_user(request.user, pk)
    paginator = Paginator(selectors.lines_to_reconcile(statement), LINES_PER_PAGE)
    page = paginator.get_page(int_param(request.GET, "page", default=1))
    context = {
        "statement": statement,
        "counts": statement_counts(statement),
        "page": page,
        "rows": selectors.line_rows(list(page.object_list)),
        "can_allocate": request.user.can_edit,
    }
    return render(request, "banking/statement_detail.html", context)


def line_customers(request, pk: int):
    """The manual form's customer chooser (htmx): the line's entity's customers matching `q`."""
    line = selectors.line_for_user(request.user, pk)
    query = request.GET.get("q", "")[:100]
    customers = selectors.customer_choices(request.user, line, query)
    context = {"line": line, "customers": customers, "searched": True}
    return render(request, "banking/_customer_choices.html", context)


def line_items(request, pk: int):
    """The chosen customer's open items (htmx), to tick with the amount each is paid."""
    line = selectors.line_for_user(request.user, pk)
    customer_id = int_param(request.GET, "customer", default=0)
    customer = selectors.customer_of_line(request.user, line, customer_id)
    items = selectors.customer_open_items(customer, line) if customer else []
    context = {"line": line, "customer": customer, "items": items}
    return render(request, "banking/_open_items.html", context)


@require_POST
def line_allocate_view(request, pk: int):
    """Allocate a line (a suggestion's button or the manual form); htmx gets the line's row
    back, reconciled or with the reason it was refused."""
    _require_editor(request.user)
    line = selectors.line_for_user(request.user, pk)
    form = AllocationForm(request.POST, line=line, user=request.user)
    error = ""
    if form.is_valid():
        try:
            line_allocate(
                line=line,
                amounts=form.cleaned_data["amounts"],
                customer=form.cleaned_data["customer"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = form.errors_line()
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Line %(line)s allocated.") % {"line": line.position})
        return redirect("banking:statement-detail", pk=line.statement_id)
    return _line_row(request, line, error)


def _line_row(request, line, error: str):
    line.refresh_from_db()
    statement = selectors.statement_for_user(request.user, line.statement_id)
    reconciled = line.status not in selectors.TO_RECONCILE
    context = {
        "statement": statement,
        "counts": statement_counts(statement),
        "row": None if reconciled else selectors.line_rows([line])[0],
        "line": line,
        "allocations": line.allocations.select_related("item", "item__customer")
        if reconciled
        else [],
        "error": error,
        "can_allocate": request.user.can_edit,
        "oob_counts": True,
    }
    return render(request, "banking/_line_row.html", context)
