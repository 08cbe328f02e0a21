from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    TO_CONFIRM = "to_confirm", _("To confirm")
    CONFIRMED = "confirmed", _("Confirmed")
    ERROR = "error", _("Error")
    SENT = "sent", _("Sent")
    DONE = "done", pgettext_lazy("an action's status, like Sent", "Done")
    SKIPPED = "skipped", _("Skipped")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = frozenset(
    {ActionStatus.PLANNED, ActionStatus.TO_CONFIRM, ActionStatus.CONFIRMED, ActionStatus.ERROR}
)
FINISHED_STATUSES = frozenset({ActionStatus.SENT, ActionStatus.DONE, ActionStatus.SKIPPED})


class ActionReason(models.TextChoices):
    """Why an action was cancelled or skipped (the engine spec's words)."""

    NO_SCENARIO = "no scenario", _("no scenario")
    ON_HOLD = "on hold", _("on hold")
    SETTLED = "settled", _("settled")
    BELOW_THRESHOLD = "below threshold", _("below threshold")
    REFERENCE_CHANGED = "reference changed", _("reference changed")
    SCENARIO_CHANGED = "scenario changed", _("scenario changed")
    ALREADY_DUE = "already due", _("already due")
    BY_USER = "by user", _("by a user")
    BOUNCED = "bounced", _("email bounced")


class PlannedBy(models.TextChoices):
    """Which rule set the planned date (shown to collectors as the "why")."""

    ANCHOR = "anchor", _("the step's date (anchor + offset)")
    CONTACT_DELAY = "contact_delay", _("the minimum delay since the last contact")
    PREVIOUS_STEP = "previous_step", _("the previous step's date")
    REPEAT = "repeat", _("the repetition of the last step")
    USER = "user", _("a user who rescheduled it")
    FALLBACK = "fallback", _("the fallback of a bounced email")


class CallOutcome(models.TextChoices):
    """What a collector's call ended with."""

    REACHED = "reached", _("Reached")
    NOT_REACHED = "not_reached", _("Not reached")
    PROMISE = "promise", _("Promise to pay")
    DISPUTE = "dispute", _("Dispute")


class ResponseKind(models.TextChoices):
    """What a customer said or did (by email, on their page), or a collector's comment."""

    REPLY = "reply", _("Reply")
    COMMENT = "comment", _("Comment")
    PAYMENT_ANNOUNCED = "payment_announced", _("Payment announced")
    PROMISE = "promise", _("Promise to pay")
    DISPUTE = "dispute", _("Dispute")
    CALLBACK = "callback", _("Call-back request")
    CONTACT_CHANGE = "contact_change", _("New contact details")
    PAYMENT = "payment", _("Online payment")
    AUTO_REPLY = "auto_reply", _("Automatic reply")


class ResponseChannel(models.TextChoices):
    """Where a response came from: a message's channel, or the customer's page."""

    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    LETTER = "letter", _("Letter")
    REGISTERED_LETTER = "registered_letter", _("Registered letter")
    E_REGISTERED_LETTER = "e_registered_letter", _("Electronic registered letter")
    CALL = "call", _("Call")
    TASK = "task", _("Task")
    PORTAL = "portal", _("Customer page")


class AgendaTab(models.TextChoices):
    MANUAL = "manual", _("Manual actions")
    AUTOMATIC = "automatic", _("Automatic actions")
    HISTORY = "history", _("History")
    RESPONSES = "responses", _("Responses and comments")
    ERRORS = "errors", _("Engine errors")


CLOSED_STATUSES = FINISHED_STATUSES | {ActionStatus.CANCELLED}


# What a user decided about a response, kept in its `details` under OUTCOME_KEY.
OUTCOME_KEY = "outcome"
OUTCOME_ACCEPTED = "accepted"
OUTCOME_REJECTED = "rejected"
OUTCOME_UNDONE = "undone"
OUTCOME_ANSWERED = "answered"
