"""The account pages: security (password, two-factor authentication), the second step of a
login, and the login page as a lockout shows it."""

import math
from base64 import b32encode

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from relance.accounts import selectors, services
from relance.accounts.forms import ApiTokenForm, StyledPasswordChangeForm, TokenForm
from relance.accounts.lockout import locked_until
from relance.accounts.models import ApiToken
from relance.accounts.signals import ENROL, PENDING_KEY, VERIFY


def home(request):
    """The start page ("/", and where a login without `next` lands), by role."""
    return redirect(selectors.landing_page(request.user))


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if safe else reverse("home")


def _verified(request, device) -> None:
    """The session passed its second factor: it may open every page."""
    otp_login(request, device)
    request.session.pop(PENDING_KEY, None)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            for message in messages_:
                form.add_error(field if field in form.fields else None, message)
    else:
        form.add_error(None, error)


def security(request, disable_form=None, api_token_form=None):
    user = request.user
    context = {
        "has_two_factor": selectors.has_two_factor(user),
        "required": selectors.two_factor_required(user),
        "codes_left": selectors.recovery_codes_left(user),
        "disable_form": disable_form or TokenForm(),
        "api_tokens": selectors.api_tokens_of(user),
        "api_token_form": api_token_form or ApiTokenForm(),
    }
    status = 400 if disable_form or api_token_form else 200
    return render(request, "accounts/security.html", context, status=status)


def _qr_svg(device) -> str:
    # segno draws the otpauth:// URL as an inline SVG: no image request, no third party.
    return mark_safe(segno.make(device.config_url, error="m").svg_inline(scale=4, border=2))


def two_factor_setup(request):
    """Set up an authenticator app: scan the code, type the code it shows, keep the
    recovery codes (shown once)."""
    pending = request.session.get(PENDING_KEY)
    if selectors.has_two_factor(request.user) and pending != ENROL:
        return redirect("accounts:security")
    device = services.two_factor_enrolment_start(user=request.user)
    form = TokenForm(request.POST or None)
    if form.is_valid():
        try:
            device, codes = services.two_factor_enable(
                user=request.user, token=form.cleaned_data["token"], request=request
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            _verified(request, device)
            context = {"codes": codes, "next": _next_url(request)}
            return render(request, "accounts/recovery_codes.html", context)
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr": _qr_svg(device),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "required": pending == ENROL,
        "next": request.GET.get("next", ""),
    }
    return render(
        request, "accounts/two_factor_setup.html", context, status=400 if form.errors else 200
    )


def two_factor_verify(request):
    """The second step of a login, for a user with an authenticator app."""
    if request.session.get(PENDING_KEY) != VERIFY:
        return redirect(_next_url(request))
    form = TokenForm(request.POST or None)
    if form.is_valid():
        try:
            device = services.two_factor_verify(
                user=request.user, token=form.cleaned_data["token"], request=request
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            _verified(request, device)
            return redirect(_next_url(request))
    context = {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")}
    return render(
        request, "accounts/two_factor_verify.html", context, status=400 if form.errors else 200
    )


@require_POST
def recovery_codes_regenerate(request):
    try:
        codes = services.recovery_codes_regenerate(user=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accounts:security")
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


@require_POST
def two_factor_disable(request):
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            services.two_factor_disable(
                user=request.user, token=form.cleaned_data["token"], request=request
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Two-factor authentication is off."))
            return redirect("accounts:security")
    return security(request, disable_form=form)


@require_POST
def api_token_create(request):
    """A new API token, its secret shown on the page that answers (and never again)."""
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            token, secret = services.api_token_create(
                user=request.user, name=form.cleaned_data["name"], request=request
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            context = {"token": token, "secret": secret}
            return render(request, "accounts/api_token_created.html", context)
    return security(request, api_token_form=form)


@require_POST
def api_token_revoke(request, pk: int):
    """Revoke one of the user's tokens (another user's answers 404, as a missing one)."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.api_token_revoke(token=token, acting_user=request.user, request=request)
    messages.success(request, _("The token %(name)s is revoked.") % {"name": token.name})
    return redirect("accounts:security")


class PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):
    form_class = StyledPasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:security")
    success_message = gettext_lazy("Your password was changed.")


def locked_out(request, original_response=None, credentials=None):
    """The login page of a locked username or address (django-axes' AXES_LOCKOUT_CALLABLE):
    it says so, and when to try again."""
    until = locked_until(request, credentials)
    if until is None:  # the lock ended meanwhile: let the form say what went wrong
        return original_response
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    message = _(
        "Too many failed logins for this account or from your address: logging in is "
        "locked until %(time)s (%(minutes)s min). An administrator can unlock it sooner."
    ) % {"time": time_format(timezone.localtime(until), "H:i"), "minutes": minutes}
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    context = {"form": form, "lockout_message": message, "next": request.POST.get("next", "")}
    return render(request, "registration/login.html", context, status=429)
