"""The customer's page: thin views over portal.selectors and portal.services."""

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from relance.portal import selectors, services
from relance.portal.choices import LinkState
from relance.portal.forms import FORMS
from relance.portal.payments import pay_now, start_checkout
from relance.portal.security import portal_view
from relance.templating.hashtags import file_data_uri, text_colour_on

ANSWERS = {
    "paid": lambda link, data, ids: services.portal_payment_announce(
        link=link,
        item_ids=ids,
        paid_on=data["paid_on"],
        amount=data["amount"],
        reference=data["reference"],
        proof=data.get("proof"),
    ),
    "promise": lambda link, data, ids: services.portal_promise_record(
        link=link, item_ids=ids, promise_date=data["promise_date"], amount=data["amount"]
    ),
    "dispute": lambda link, data, ids: services.portal_dispute_open(
        link=link,
        item_ids=ids,
        reason=data["reason"],
        text=data["text"],
        attachment=data.get("attachment"),
    ),
    "comment": lambda link, data, ids: services.portal_comment_add(
        link=link, item_ids=ids, body=data["body"]
    ),
    "callback": lambda link, data, ids: services.portal_callback_request(
        link=link, day=data["day"], slot=data["slot"], phone=data["phone"]
    ),
    "contact": lambda link, data, ids: services.portal_contact_propose(link=link, contact=data),
}


def _form(kind: str, customer, *args):
    # Six forms on one page: ids prefixed by their kind, so that each label has its field.
    return FORMS[kind](*args, customer=customer, auto_id=f"id_{kind}_%s")


def _valid_link(request, token):
    """The link of `token` and the page's language; anything but a valid link is 404 here
    (the page itself explains expiry)."""
    resolved = services.portal_link_resolve(token)
    if not resolved.valid:
        raise Http404
    link = resolved.link
    language = selectors.page_language(request.GET.get("lang", ""), link.customer)
    return link, language


def _page(request, token, link, language, *, forms=None, status=200, done=""):
    customer = link.customer
    context = {
        "token": token,
        "entity": customer.entity,
        "customer": customer,
        "language": language,
        "other_languages": selectors.other_languages(language, customer),
        "forms": {name: _form(name, customer) for name in FORMS} | (forms or {}),
        "done": done,
        "pay": pay_now(customer),
        "logo": file_data_uri(customer.entity.logo),
        "brand_text": text_colour_on(customer.entity.brand_color or "#0d6efd"),
        **selectors.page_context(customer, language),
    }
    return render(request, "portal/page.html", context, status=status)


@portal_view
@require_GET
def page(request, token):
    resolved = services.portal_link_resolve(token)
    if resolved.state in (LinkState.EXPIRED, LinkState.REVOKED):
        customer = resolved.link.customer
        language = selectors.page_language(request.GET.get("lang", ""), customer)
        with translation.override(language):
            context = {"token": token, "language": language, "state": resolved.state}
            return render(request, "portal/expired.html", context, status=410)
    link, language = _valid_link(request, token)
    services.portal_link_open(link=link)
    with translation.override(language):
        return _page(request, token, link, language, done=request.GET.get("done", ""))


@portal_view
@require_POST
def answer(request, token, kind):
    link, language = _valid_link(request, token)
    if kind not in FORMS:
        raise Http404
    with translation.override(language):
        form = _form(kind, link.customer, request.POST, request.FILES)
        if form.is_valid():
            data = dict(form.cleaned_data)
            ids = [item.pk for item in data.pop("items", None) or []]
            try:
                ANSWERS[kind](link, data, ids)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                query = urlencode({"lang": language, "done": kind})
                return redirect(f"{reverse('portal:page', args=[token])}?{query}#done")
        return _page(request, token, link, language, forms={kind: form}, status=400)


@portal_view
@require_GET
def statement(request, token):
    from relance.delivery.statement import statement_pdf
    from relance.templating.selectors import customer_context

    link, language = _valid_link(request, token)
    customer = link.customer
    ctx = customer_context(customer)
    pdf = statement_pdf(ctx, language)
    name = f"statement-{customer.external_id}-{ctx.today.isoformat()}.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@portal_view
@require_GET
def invoice_pdf(request, token, item_id):
    link, _language = _valid_link(request, token)
    item = selectors.item_pdf(link.customer, item_id)
    if item is None:
        raise Http404
    try:
        handle = item.pdf.open("rb")
    except OSError:
        raise Http404 from None
    return FileResponse(
        handle, as_attachment=True, filename=f"{item.number}.pdf", content_type="application/pdf"
    )


@portal_view
@require_POST
def resend(request, token):
    """A fresh link by email for an expired or revoked one; the answer is the same whether
    an address was known or not (it tells nothing about the account)."""
    resolved = services.portal_link_resolve(token)
    if resolved.state not in (LinkState.EXPIRED, LinkState.REVOKED):
        raise Http404
    language = selectors.page_language(request.POST.get("lang", ""), resolved.link.customer)
    services.portal_fresh_link_send(link=resolved.link, language=language)
    with translation.override(language):
        return render(request, "portal/resent.html", {"language": language})


@portal_view
@require_POST
def checkout(request, token):
    link, language = _valid_link(request, token)
    ids = [value for value in request.POST.getlist("items") if value.isdigit()]
    base = request.build_absolute_uri(reverse("portal:page", args=[token]))
    url = start_checkout(link.customer, ids, base, language)
    if url is None:
        raise Http404
    return redirect(url)


@require_POST
def revoke(request, pk):
    """A user's button on the customer page: every link of this customer stops working."""
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from relance.customers.models import Customer

    customer = Customer.objects.get_for_user(request.user, pk=pk)
    if not request.user.can_edit:
        raise PermissionDenied(_("Read-only users cannot revoke links."))
    count = services.portal_links_revoke(customer=customer, acting_user=request.user)
    text = ngettext("%(count)s link revoked.", "%(count)s links revoked.", count)
    messages.success(request, text % {"count": count})
    return redirect("customers:detail", pk=customer.pk)
