"""What happens around a login: the second factor it still owes, and the security events
of the audit trail (logins from the form, failures, lockouts)."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from relance.accounts.audit import security_event_record
from relance.accounts.lockout import locked_until
from relance.accounts.selectors import has_two_factor, two_factor_required

# What a freshly logged-in session must do before anything else: "verify" (type a code) or
# "enrol" (set up an authenticator). Kept in the session so that a page costs no query.
PENDING_KEY = "relance_two_factor"
VERIFY, ENROL = "verify", "enrol"


def two_factor_pending(user) -> str:
    if has_two_factor(user):
        return VERIFY
    if two_factor_required(user):
        return ENROL
    return ""


def _user_named(username):
    if not username:
        return None
    return get_user_model().objects.filter(username=username).first()


@receiver(user_logged_in, dispatch_uid="relance_login")
def _logged_in(sender, request, user, **kwargs):
    pending = two_factor_pending(user)
    if pending:
        request.session[PENDING_KEY] = pending
    else:
        request.session.pop(PENDING_KEY, None)
    # A login through a form (not a test's or a script's force_login) is an event.
    if request.method == "POST":
        security_event_record(user=user, actor=user, event="logged in", request=request)


@receiver(user_login_failed, dispatch_uid="relance_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    if request is None or getattr(request, "axes_locked_out", False):
        return  # a refusal during a lockout is recorded as such below
    security_event_record(
        user=_user_named(credentials.get("username")), event="login failed", request=request
    )


@receiver(user_locked_out, dispatch_uid="relance_locked_out")
def _locked_out(sender, request, username, ip_address, **kwargs):
    # The failure that reached the limit carries its count; later refusals do not.
    starts = getattr(request, "axes_failures_since_start", None) is not None
    until = locked_until(request)
    security_event_record(
        user=_user_named(username),
        event="locked out" if starts else "login refused: locked out",
        ip_address=ip_address,
        until=until.isoformat() if until else None,
    )
