from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    ACTION_CONFIRMED = "action_confirmed", _("Action confirmed")
    ACTION_DONE = "action_done", _("Action done")
    ACTION_SKIPPED = "action_skipped", _("Action skipped")
    ACTION_RETRIED = "action_retried", _("Action retried")
    ACTION_RESCHEDULED = "action_rescheduled", _("Action rescheduled")
    ACTION_REASSIGNED = "action_reassigned", _("Action reassigned")
    CALL_OUTCOME = "call_outcome", _("Call outcome")
    MESSAGE_SENT_BY_USER = "message_sent_by_user", _("Message sent by a user")
    IMPORT_CHANGED = "import_changed", _("Changed by an import")
    CONTACT_CHANGED = "contact_changed", _("Contact added or changed")
    CREDIT_COVER_CHANGED = "credit_cover_changed", _("Credit insurance or guarantee changed")
    PORTAL_OPENED = "portal_opened", _("Customer page opened")
    PORTAL_ANSWER = "portal_answer", _("Answer on the customer page")
    PORTAL_LINKS_REVOKED = "portal_links_revoked", _("Customer page links revoked")
    PORTAL_LINK_RESENT = "portal_link_resent", _("Customer page link sent again")
    EMAIL_BOUNCED = "email_bounced", _("Email bounced")
    FALLBACK_CREATED = "fallback_created", _("Fallback of a bounced email")
    REPLY_PAUSED = "reply_paused", _("Automatic messages paused by a reply")
    REPLY_RESUMED = "reply_resumed", _("Automatic messages resumed")
    ASSISTANT_DECIDED = "assistant_decided", _("Assistant's reading decided")
