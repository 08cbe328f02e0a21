"""Reads about accounts: each user's landing page, who must use two-factor authentication,
and with what."""

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Count, Q
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from relance.accounts.choices import Role
from relance.core.models import Entity

# Where each role starts its day (URL names): the rest start on the customer list.
LANDING_PAGES = {Role.COLLECTOR: "agenda:index", Role.CREDIT_MANAGER: "analytics:index"}
DEFAULT_LANDING_PAGE = "customers:list"


def landing_page(user) -> str:
    """The URL name of `user`'s start page: the agenda for a collector, the charts for a
    credit manager, the customer list for the others."""
    return LANDING_PAGES.get(user.role, DEFAULT_LANDING_PAGE)


# The roles an entity's "two-factor authentication required" applies to (and superusers).
TWO_FACTOR_ROLES = frozenset({Role.ADMINISTRATOR, Role.CREDIT_MANAGER})


def two_factor_required(user) -> bool:
    """Whether the user is an administrator or credit manager of an entity that requires
    two-factor authentication (an entity they see)."""
    if not (user.is_superuser or user.role in TWO_FACTOR_ROLES):
        return False
    return Entity.objects.visible_to(user).filter(two_factor_required=True).exists()


def authenticator_for(user) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if they set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_two_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def verification_devices(user) -> list:
    """The devices a code is checked against: the authenticator app, then recovery codes."""
    return [
        *TOTPDevice.objects.filter(user=user, confirmed=True),
        *StaticDevice.objects.filter(user=user, confirmed=True),
    ]


def users_seeing(entity=None):
    """Active users who see `entity`; without one, those who see every entity (what a
    scenario shared by all entities asks of its responsibles)."""
    users = get_user_model().objects.filter(is_active=True)
    sees_all = Q(is_superuser=True) | Q(role=Role.ADMINISTRATOR) | Q(all_entities=True)
    if entity is not None:
        return users.filter(sees_all | Q(entities=entity)).distinct()
    total = Entity.objects.count()
    listed = users.annotate(listed=Count("entities")).filter(listed=total).values("pk")
    return users.filter(sees_all | Q(pk__in=listed))


def users_taking_work(entity=None):
    """The users work in `entity` may be given to: those who see it, except read-only ones."""
    return users_seeing(entity).exclude(Q(role=Role.READ_ONLY) & Q(is_superuser=False))


def api_tokens_of(user):
    """The user's API tokens, the active ones first (what the security page lists)."""
    from relance.accounts.models import ApiToken

    return ApiToken.objects.filter(user=user).order_by(
        models.F("revoked_at").desc(nulls_first=True), "-created_at", "-id"
    )
