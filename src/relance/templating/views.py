"""Template pages: the list, a read-only page, the editor (with its hashtag picker), and the
preview against any customer the user may see."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F, OuterRef, ProtectedError, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from relance.core.choices import Language
from relance.core.params import choice_param, id_param
from relance.customers.models import Customer
from relance.ledger.choices import ItemKind
from relance.ledger.models import Item
from relance.templating import selectors, services
from relance.templating.choices import Channel
from relance.templating.context import signing_user
from relance.templating.forms import TemplateForm
from relance.templating.hashtags import by_category
from relance.templating.permissions import can_manage_templates, require_template_manager
from relance.templating.render import RenderError, render_context
from relance.templating.sms import sms_length


def template_list(request):
    context = {
        "templates": selectors.template_list(request.user),
        "channels": Channel.choices,
        "can_manage": can_manage_templates(request.user),
    }
    return render(request, "templating/template_list.html", context)


def template_detail(request, pk: int):
    template = selectors.template_detail(request.user, pk)
    context = {
        "template": template,
        "variants": template.variants_by_language.values(),
        "can_manage": can_manage_templates(request.user),
    }
    return render(request, "templating/template_detail.html", context)


def _editor(request, form, template=None):
    context = {
        "form": form,
        "template": template,
        "channel": form.channel,
        "channel_label": Channel(form.channel).label,
        "is_rich": form.channel in (Channel.EMAIL, Channel.LETTER),
        "hashtag_groups": _picker_groups(request.LANGUAGE_CODE),
    }
    return render(request, "templating/template_form.html", context)


def _picker_groups(language: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """(category label, [(hashtag, description)]) in the user's language, for the picker."""
    code = language or "en"
    return [
        (label, [(tag.name, tag.description(code)) for tag in hashtags])
        for _category, label, hashtags in by_category()
    ]


def _save(request, form, save):
    """Run `save(settings, variants)`; on a ValidationError put its messages on the form."""
    try:
        return save(form.settings_data(), form.variants_data())
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return None


def template_new(request, channel: str):
    require_template_manager(request.user)
    if channel not in Channel.values:
        raise Http404("unknown channel")
    form = TemplateForm(request.POST or None, user=request.user, channel=channel)
    if request.method == "POST" and form.is_valid():
        template = _save(
            request,
            form,
            lambda settings, variants: services.template_create(
                channel=channel, variants=variants, acting_user=request.user, **settings
            ),
        )
        if template is not None:
            messages.success(request, _("Template saved."))
            return redirect("templating:edit", pk=template.pk)
    return _editor(request, form)


def template_edit(request, pk: int):
    require_template_manager(request.user)
    template = selectors.template_detail(request.user, pk)
    form = TemplateForm(
        request.POST or None, user=request.user, channel=template.channel, instance=template
    )
    if request.method == "POST" and form.is_valid():
        saved = _save(
            request,
            form,
            lambda settings, variants: services.template_update(
                template=template, variants=variants, acting_user=request.user, **settings
            ),
        )
        if saved is not None:
            messages.success(request, _("Template saved."))
            return redirect("templating:edit", pk=template.pk)
    return _editor(request, form, template)


@require_POST
def template_delete_view(request, pk: int):
    require_template_manager(request.user)
    template = selectors.template_detail(request.user, pk)
    try:
        services.template_delete(template=template, acting_user=request.user)
    except ProtectedError:
        messages.error(request, _("This template is used by a scenario step: it stays."))
        return redirect("templating:detail", pk=pk)
    messages.success(request, _("Template deleted."))
    return redirect("templating:list")


def sms_length_view(request):
    """The length and parts of an SMS text as typed, for the editor (htmx)."""
    text = request.POST.get("text", "") if request.method == "POST" else ""
    return render(request, "templating/_sms_length.html", {"length": sms_length(text)})


def _preview_customer(request, template):
    """The customer chosen for the preview (visible to the user), else the visible customer
    with the oldest overdue invoice, so that the first preview shows a real reminder."""
    customers = Customer.objects.visible_to(request.user).select_related("entity", "collector")
    if template.entity_id:
        customers = customers.filter(entity_id=template.entity_id)
    customer_id = id_param(request.GET, "customer")
    if customer_id is not None:
        return customers.get_for_user(request.user, pk=customer_id)
    overdue = Item.objects.filter(
        customer=OuterRef("pk"), kind=ItemKind.INVOICE, open_amount__gt=0
    ).order_by("due_date")
    return (
        customers.annotate(oldest_due=Subquery(overdue.values("due_date")[:1]))
        .order_by(F("oldest_due").asc(nulls_last=True), "name", "id")
        .first()
    )


def _preview_rendered(request, template, customer):
    language = choice_param(request.GET, "language", Language.values)
    ctx = selectors.customer_context(customer, user=signing_user(template, request.user))
    return render_context(template, ctx, language=language)


def template_preview(request, pk: int):
    template = selectors.template_detail(request.user, pk)
    customer = _preview_customer(request, template)
    context = {"template": template, "customer": customer, "languages": Language.choices}
    if customer is not None:
        try:
            context["rendered"] = _preview_rendered(request, template, customer)
        except RenderError as error:
            context["error"] = str(error)
    return render(request, "templating/template_preview.html", context)


def preview_customer_search(request, pk: int):
    template = selectors.template_detail(request.user, pk)
    customers = selectors.preview_customers(request.user, request.GET.get("q", ""), template)
    context = {"template": template, "customers": customers}
    return render(request, "templating/_preview_customers.html", context)


@xframe_options_sameorigin  # shown in the preview page's frame
def template_preview_pdf(request, pk: int):
    template = selectors.template_detail(request.user, pk)
    if template.channel != Channel.LETTER:
        raise Http404("not a letter")
    customer = _preview_customer(request, template)
    if customer is None:
        raise Http404("no customer to preview")
    from relance.templating.letters import letters_pdf

    pdf = letters_pdf([_preview_rendered(request, template, customer)])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="preview-{template.pk}.pdf"'
    return response
