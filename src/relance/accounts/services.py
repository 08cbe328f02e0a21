"""Writes about accounts: two-factor authentication (an authenticator app, TOTP, with
single-use recovery codes, both from django-otp), lifting login lockouts, API tokens.

A code is checked outside any transaction that could roll back: django-otp counts the
failures on the device (and slows the next tries down), and that count must stay.
"""

import math
import re
from datetime import timedelta

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from relance.accounts.audit import security_event_record
from relance.accounts.models import ApiToken
from relance.accounts.selectors import two_factor_required, verification_devices
from relance.accounts.tokens import token_matches, token_new, token_prefix

WRONG_CODE = gettext_lazy(
    "This code is not valid: type the 6 digits your app shows now, or a recovery code."
)


def _clean_token(token: str) -> str:
    """Codes are read as people type them: spaces and dashes dropped, any case."""
    return re.sub(r"[\s-]", "", token or "").lower()


def two_factor_verify(*, user, token: str, request=None):
    """The device (authenticator app or recovery codes) that accepts `token`; a recovery
    code is spent by its use. Refused with the reason: a wrong code, or too many wrong codes
    in a row (django-otp then makes each device wait, doubling the wait at each failure)."""
    devices = verification_devices(user)
    token = _clean_token(token)
    if token:
        for device in devices:
            if device.verify_token(token):
                return device
    security_event_record(user=user, event="two-factor code refused", request=request)
    wait = _wait_seconds(devices)
    if wait:
        message = _("Too many wrong codes: wait %(seconds)s seconds, then type the new code.")
        raise ValidationError({"token": message % {"seconds": wait}})
    raise ValidationError({"token": WRONG_CODE})


def _wait_seconds(devices) -> int:
    """How long until the first of the devices accepts codes again (0: now)."""
    now = timezone.now()
    waits = []
    for device in devices:
        allowed, data = device.verify_is_allowed()
        if allowed:
            return 0
        until = (data or {}).get("locked_until")
        waits.append(math.ceil((until - now).total_seconds()) if until else 1)
    return max(1, min(waits)) if waits else 0


def two_factor_enrolment_start(*, user) -> TOTPDevice:
    """The authenticator the user is setting up: the same one until it is confirmed, so
    that reloading the page shows the same QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(
        user=user, name=_("Authenticator app"), confirmed=False
    )


def two_factor_enable(*, user, token: str, request=None) -> tuple[TOTPDevice, list[str]]:
    """Confirm the authenticator being set up with a code it shows; returns it and the new
    recovery codes (shown once: only the user keeps them)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(_clean_token(token)):
        raise ValidationError({"token": WRONG_CODE})
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(user)
        security_event_record(user=user, actor=user, event="two-factor enabled", request=request)
    return device, codes


def _new_recovery_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": "Recovery codes", "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _index in range(settings.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def recovery_codes_regenerate(*, user, request=None) -> list[str]:
    """New recovery codes in place of the old ones (which stop working)."""
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValidationError(_("Set up two-factor authentication first."))
    codes = _new_recovery_codes(user)
    security_event_record(
        user=user, actor=user, event="recovery codes regenerated", request=request
    )
    return codes


def two_factor_disable(*, user, token: str | None = None, acting_user=None, request=None) -> None:
    """Remove the user's authenticator and recovery codes. The user turns it off with a
    current code; an administrator (`acting_user`, in the admin) without one, for a user
    who lost their phone and codes. Refused where an entity requires it of the user."""
    if acting_user is None or acting_user == user:
        if two_factor_required(user):
            raise ValidationError(
                _("An entity you work for requires two-factor authentication: it stays on.")
            )
        two_factor_verify(user=user, token=token or "", request=request)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        security_event_record(
            user=user, actor=acting_user or user, event="two-factor disabled", request=request
        )


def user_unlock(*, username: str = "", ip_address: str = "", acting_user=None) -> int:
    """Lift the login lockout of a username and/or an address at once (instead of waiting
    for the cool-off); returns how many failed-attempt records were removed."""
    if not username and not ip_address:
        raise ValidationError(_("Give a username or an address to unlock."))
    count = 0
    if username:
        count += axes_reset(username=username)
    if ip_address:
        count += axes_reset(ip=ip_address)
    user = get_user_model().objects.filter(username=username).first() if username else None
    security_event_record(
        user=user, actor=acting_user, event="unlocked", unlocked_address=ip_address or None
    )
    return count


# API tokens ------------------------------------------------------------------------------

# last_used_at is written at most this often per token: not one UPDATE per request.
TOKEN_USE_RESOLUTION = timedelta(minutes=1)


@transaction.atomic
def api_token_create(*, user, name: str, request=None) -> tuple[ApiToken, str]:
    """A new token of `user`, and its secret: shown once, since only its digest is kept."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Name the token (what it is for).")})
    if not user.is_active:
        raise ValidationError(_("An inactive user cannot have API tokens."))
    secret, prefix, digest = token_new()
    token = ApiToken.objects.create(user=user, name=name[:100], prefix=prefix, digest=digest)
    security_event_record(
        user=user, actor=user, event="API token created", request=request, token=prefix
    )
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken, acting_user, request=None) -> ApiToken:
    """Revoke `token`: from now on it answers 401. Revoking twice changes nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        security_event_record(
            user=token.user,
            actor=acting_user,
            event="API token revoked",
            request=request,
            token=token.prefix,
        )
    return token


def api_token_authenticate(presented: str) -> ApiToken | None:
    """The active token `presented` is, with its user (active), or None; notes its use."""
    prefix = token_prefix(presented)
    if prefix is None:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(prefix=prefix, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None or not token_matches(presented, token.digest):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_USE_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
