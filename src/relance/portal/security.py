"""What every portal response carries and every portal post goes through."""

import functools

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.decorators import decorator_from_middleware
from django.views.decorators.csrf import csrf_exempt
from django_ratelimit.core import is_ratelimited

from relance.portal.services import token_hash

HEADERS = {"Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex, nofollow"}


def _by_token(group, request) -> str:
    return token_hash(request.resolver_match.kwargs.get("token", ""))


def over_the_limit(request) -> bool:
    """True from the post after PORTAL_POST_RATE, per link and per address (both counted)."""
    rate = settings.PORTAL_POST_RATE
    token = is_ratelimited(request, group="portal-token", key=_by_token, rate=rate, increment=True)
    ip = is_ratelimited(request, group="portal-ip", key="ip", rate=rate, increment=True)
    return token or ip


class PortalCsrfMiddleware(CsrfViewMiddleware):
    """Django's CSRF check, for pages sent with `Referrer-Policy: no-referrer`: on them a
    browser posts the page's own forms with `Origin: null` and no Referer, which the stock
    check refuses. A null origin is accepted only when the browser also says the post comes
    from this very origin (`Sec-Fetch-Site: same-origin`, a header pages cannot forge); the
    CSRF token is checked as always."""

    def _origin_verified(self, request):
        if request.META.get("HTTP_ORIGIN") == "null":
            return request.META.get("HTTP_SEC_FETCH_SITE") == "same-origin"
        return super()._origin_verified(request)


portal_csrf = decorator_from_middleware(PortalCsrfMiddleware)


def portal_view(view):
    """A public page: no login, no referrer sent on (the token is in the URL), not indexed,
    its own 404 and 429 pages (with those headers too), posts rate-limited and checked by
    PortalCsrfMiddleware instead of the site-wide CSRF middleware."""
    protected = portal_csrf(view)

    @csrf_exempt
    @login_not_required
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "POST" and over_the_limit(request):
            response = render(request, "portal/limited.html", status=429)
        else:
            try:
                response = protected(request, *args, **kwargs)
            except Http404:
                with translation.override(request.GET.get("lang") or translation.get_language()):
                    response = render(request, "portal/invalid.html", status=404)
        for name, value in HEADERS.items():
            response.headers[name] = value
        response.headers["Cache-Control"] = "no-store, private"
        return response

    return wrapped
