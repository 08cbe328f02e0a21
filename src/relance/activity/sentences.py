"""Events in words: a sentence per kind, built from the event's data in the active language
(the data is stored once, in no language)."""

from datetime import date

from django.core.exceptions import FieldDoesNotExist
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from relance.activity.choices import EventKind

# What an items import counts as changed, by the item's field.
ITEM_FIELDS = {
    "amount": gettext_lazy("amount"),
    "open_amount": gettext_lazy("open amount"),
    "due_date": gettext_lazy("due date"),
    "disputed": gettext_lazy("dispute"),
    "promise_date": gettext_lazy("promised date"),
}


def _day(value: str) -> str:
    return date_format(date.fromisoformat(value)) if value else ""


def _channel(value: str) -> str:
    from relance.scenarios.choices import StepChannel

    return str(StepChannel(value).label) if value in StepChannel.values else value


def _outcome(value: str) -> str:
    from relance.agenda.choices import CallOutcome

    return str(CallOutcome(value).label) if value in CallOutcome.values else value


def _action_sentence(kind: str, data: dict) -> str:
    words = {"step": data.get("step", ""), "channel": _channel(data.get("channel", ""))}
    if kind == EventKind.ACTION_CONFIRMED:
        return _("Confirmed “%(step)s” (%(channel)s)") % words
    if kind == EventKind.ACTION_DONE:
        if data.get("tracking_number"):
            words["number"] = data["tracking_number"]
            return _("Marked “%(step)s” (%(channel)s) done, tracking number %(number)s") % words
        return _("Marked “%(step)s” (%(channel)s) done") % words
    if kind == EventKind.ACTION_SKIPPED:
        return _("Skipped “%(step)s” (%(channel)s)") % words
    if kind == EventKind.ACTION_RETRIED:
        return _("Put “%(step)s” (%(channel)s) back in line after an error") % words
    if kind == EventKind.ACTION_RESCHEDULED:
        words.update(old=_day(data.get("from", "")), new=_day(data.get("to", "")))
        return _("Rescheduled “%(step)s” (%(channel)s) from %(old)s to %(new)s") % words
    if kind == EventKind.ACTION_REASSIGNED:
        words["name"] = data.get("to", "")
        return _("Gave “%(step)s” (%(channel)s) to %(name)s") % words
    if kind == EventKind.CALL_OUTCOME:
        words["outcome"] = _outcome(data.get("outcome", ""))
        if data.get("promise_date"):
            words["day"] = _day(data["promise_date"])
            return _("Call “%(step)s”: %(outcome)s, by %(day)s") % words
        if data.get("dispute_reason"):
            words["reason"] = data["dispute_reason"]
            return _("Call “%(step)s”: %(outcome)s (%(reason)s)") % words
        return _("Call “%(step)s”: %(outcome)s") % words
    if kind == EventKind.EMAIL_BOUNCED:
        words.update(address=data.get("address", ""), reason=data.get("reason", ""))
        return _("The email “%(step)s” to %(address)s bounced: %(reason)s") % words
    if kind == EventKind.FALLBACK_CREATED:
        words["address"] = data.get("address", "")
        return _("“%(step)s” by %(channel)s instead: the email to %(address)s bounced") % words
    if kind == EventKind.MESSAGE_SENT_BY_USER and data.get("channel") == "letter":
        words["subject"] = data.get("subject", "")
        return _("Printed a letter to post: “%(subject)s”") % words
    if kind == EventKind.MESSAGE_SENT_BY_USER:
        if data.get("subject"):
            words["subject"] = data["subject"]
            return _("Sent a message by %(channel)s: “%(subject)s”") % words
        return _("Sent a message by %(channel)s") % words
    return str(EventKind(kind).label) if kind in EventKind.values else kind


def _added(kind: str, count: int) -> str:
    # Literal calls, so that makemessages finds them.
    if kind == "invoice":
        text = ngettext("%(count)s invoice added", "%(count)s invoices added", count)
    elif kind == "credit_note":
        text = ngettext("%(count)s credit note added", "%(count)s credit notes added", count)
    else:
        text = ngettext("%(count)s payment added", "%(count)s payments added", count)
    return text % {"count": count}


def _item_changes(data: dict) -> list[str]:
    added = data.get("added", {})
    parts = [
        _added(kind, added[kind])
        for kind in ("invoice", "credit_note", "payment")
        if added.get(kind)
    ]
    if data.get("changed"):
        count = data["changed"]
        text = ngettext("%(count)s item changed", "%(count)s items changed", count)
        fields = data.get("fields", {})
        detail = [
            f"{ITEM_FIELDS[name]} ×{fields[name]}" for name in ITEM_FIELDS if fields.get(name)
        ]
        parts.append(text % {"count": count} + (f" ({', '.join(detail)})" if detail else ""))
    if data.get("settled"):
        count = data["settled"]
        text = ngettext("%(count)s invoice settled", "%(count)s invoices settled", count)
        parts.append(text % {"count": count})
    return parts


def _contact_changes(data: dict) -> list[str]:
    parts = []
    if data.get("added"):
        count = data["added"]
        parts.append(
            ngettext("%(count)s contact added", "%(count)s contacts added", count)
            % {"count": count}
        )
    if data.get("changed"):
        count = data["changed"]
        parts.append(
            ngettext("%(count)s contact changed", "%(count)s contacts changed", count)
            % {"count": count}
        )
    return parts


def _field_labels(model, names: list[str]) -> str:
    labels = []
    for name in names:
        try:
            labels.append(str(model._meta.get_field(name).verbose_name))
        except FieldDoesNotExist:  # renamed or removed since: its name still says something
            labels.append(name)
    return ", ".join(labels)


def _customer_fields(names: list[str]) -> str:
    from relance.customers.models import Customer

    return _field_labels(Customer, names)


def _contact_sentence(data: dict) -> str:
    from relance.customers.models import Contact

    words = {
        "name": data.get("contact", ""),
        "fields": _field_labels(Contact, data.get("fields", [])),
    }
    if data.get("created"):
        return _("Added the contact %(name)s") % words
    return _("Changed the contact %(name)s: %(fields)s") % words


def _import_sentence(data: dict) -> str:
    words = {"file": data.get("file", "")}
    what = data.get("import")
    if what == "customers":
        if data.get("created"):
            return _("Customer created by the import “%(file)s”") % words
        words["fields"] = _customer_fields(data.get("fields", []))
        return _("Import “%(file)s” changed %(fields)s") % words
    parts = _contact_changes(data) if what == "contacts" else _item_changes(data)
    words["changes"] = ", ".join(parts)
    return _("Import “%(file)s”: %(changes)s") % words


def _portal_answer_sentence(data: dict) -> str:
    from relance.agenda.choices import ResponseKind

    answer = data.get("answer", "")
    words = {"answer": str(ResponseKind(answer).label) if answer in ResponseKind.values else answer}
    if data.get("items"):
        words["items"] = ", ".join(data["items"])
        return _("On the customer page: %(answer)s (%(items)s)") % words
    return _("On the customer page: %(answer)s") % words


def _pause_sentence(kind: str, data: dict) -> str:
    if kind == EventKind.REPLY_PAUSED:
        words = {"author": data.get("author", ""), "day": _day(data.get("until", ""))}
        return (
            _(
                "Reply received from %(author)s: automatic messages paused until a collector "
                "handles it, at the latest on %(day)s"
            )
            % words
        )
    return _("Automatic messages resumed")


def _assistant_sentence(data: dict) -> str:
    from relance.assistant.choices import Intent, ProposalStatus

    intent = data.get("intent", "")
    words = {
        "intent": str(Intent(intent).label) if intent in Intent.values else intent,
        "items": ", ".join(data.get("items") or []) or "—",
        "day": _day(data.get("date") or ""),
    }
    status = data.get("status", "")
    if status == ProposalStatus.DISMISSED:
        return _("Assistant's reading dismissed (%(intent)s)") % words
    if words["day"]:
        return _("Answer recorded with the assistant: %(intent)s (%(items)s), %(day)s") % words
    return _("Answer recorded with the assistant: %(intent)s (%(items)s)") % words


def _hold_sentence(kind: str, data: dict) -> str:
    if kind == EventKind.CUSTOMER_RELEASED:
        if data.get("ended"):
            return _("Hold ended on %(day)s") % {"day": _day(data["ended"])}
        return _("Released from hold")
    words = {"reason": data.get("reason", ""), "day": _day(data.get("until", ""))}
    if words["day"]:
        return _("Put on hold until %(day)s: %(reason)s") % words
    return _("Put on hold: %(reason)s") % words


def _scenario_sentence(data: dict) -> str:
    if data.get("to"):
        return _("Scenario set by hand: %(name)s") % {"name": data["to"]}
    return _("Scenario set by hand removed: the segment's applies again")


def _items_sentence(kind: str, data: dict) -> str:
    words = {"items": ", ".join(data.get("items") or []) or "—"}
    if kind == EventKind.DISPUTE_OPENED:
        words["reason"] = data.get("reason", "")
        return _("Dispute opened on %(items)s: %(reason)s") % words
    if kind == EventKind.DISPUTE_CLEARED:
        return _("Dispute cleared on %(items)s") % words
    words["day"] = _day(data.get("promise_date", ""))
    return _("Promise to pay %(items)s by %(day)s") % words


CUSTOMER_SENTENCES = {
    EventKind.CUSTOMER_HELD: _hold_sentence,
    EventKind.CUSTOMER_RELEASED: _hold_sentence,
    EventKind.SCENARIO_SET: lambda kind, data: _scenario_sentence(data),
    EventKind.DISPUTE_OPENED: _items_sentence,
    EventKind.DISPUTE_CLEARED: _items_sentence,
    EventKind.PROMISE_RECORDED: _items_sentence,
}


def describe(event) -> str:
    if event.kind in CUSTOMER_SENTENCES:
        return CUSTOMER_SENTENCES[event.kind](event.kind, event.data)
    if event.kind == EventKind.CREDIT_COVER_CHANGED:
        fields = _customer_fields(event.data.get("fields", []))
        return _("Changed the credit insurance and guarantee: %(fields)s") % {"fields": fields}
    if event.kind == EventKind.ASSISTANT_DECIDED:
        return _assistant_sentence(event.data)
    if event.kind in (EventKind.REPLY_PAUSED, EventKind.REPLY_RESUMED):
        return _pause_sentence(event.kind, event.data)
    if event.kind == EventKind.PORTAL_ANSWER:
        return _portal_answer_sentence(event.data)
    if event.kind == EventKind.IMPORT_CHANGED:
        return _import_sentence(event.data)
    if event.kind == EventKind.CONTACT_CHANGED:
        return _contact_sentence(event.data)
    return _action_sentence(event.kind, event.data)
