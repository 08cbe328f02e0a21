"""Writes about accounts: two-factor authentication (an authenticator app, TOTP, with
single-use recovery codes, both from django-otp) and lifting login lockouts.

A code is checked outside any transaction that could roll back: django-otp counts the
failures on the device (and slows the next tries down), and that count must stay.
"""

import math
import re

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
from relance.accounts.selectors import two_factor_required, verification_devices

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
