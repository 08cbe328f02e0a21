"""A session that still owes its second factor reaches only the pages that settle it."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from relance.accounts.signals import ENROL, PENDING_KEY

# The pages a pending session may open besides the one it is sent to.
ALWAYS_OPEN = ("logout", "set_language")


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        pending = request.session.get(PENDING_KEY) if hasattr(request, "session") else None
        if pending and request.user.is_authenticated:
            target = reverse(
                "accounts:two-factor-setup" if pending == ENROL else "accounts:two-factor-verify"
            )
            open_paths = {target, *(reverse(name) for name in ALWAYS_OPEN)}
            if request.path not in open_paths:
                return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
