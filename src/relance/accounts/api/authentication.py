"""API authentication by personal token (`Authorization: Bearer rl_…`), and the rate
limit per token. A token acts as its user: the same role, the same entities."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, throttling
from rest_framework.settings import api_settings

from relance.accounts.services import api_token_authenticate

KEYWORD = "Bearer"


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`request.user` is the token's user and `request.auth` the ApiToken. A missing header
    leaves the request to the next class (the browser's session)."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the header as `Authorization: Bearer <token>`.")
            )
        try:
            presented = header[1].decode()
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("This token is not valid.")) from exc
        token = api_token_authenticate(presented)
        if token is None:
            raise exceptions.AuthenticationFailed(_("This token is not valid or was revoked."))
        return token.user, token

    def authenticate_header(self, request) -> str:
        # A 401 (not 403) with the scheme to use.
        return f'{KEYWORD} realm="api"'


class ApiTokenRateThrottle(throttling.SimpleRateThrottle):
    """Requests per token (REST_FRAMEWORK's DEFAULT_THROTTLE_RATES["api_token"]); a browser
    session counts per user."""

    scope = "api_token"

    def get_rate(self):
        # Read at each request (the base class keeps the rates of import time).
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None  # refused anyway (401)
        token = getattr(request.auth, "prefix", None)
        ident = f"token:{token}" if token else f"user:{request.user.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The token as drf-spectacular documents it (bearer scheme in the OpenAPI schema)."""

    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "rl_<prefix>_<secret>"}
