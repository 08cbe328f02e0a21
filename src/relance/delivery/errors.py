"""Why an action is in error, in the reader's language.

Errors are stored in English, as the engine's contract words them (exports, logs and
scripts read them); each is one of the known sentences below, some ending with the mail
server's or the provider's own words. `error_display` translates the known sentence and
keeps those words as they came."""

from functools import cache

from django.utils.translation import gettext

REASON = "{reason}"


@cache
def _known() -> tuple[str, ...]:
    from relance.delivery import bounces, connectors, email, protocol, services
    from relance.delivery.adapters import base

    return (
        email.NO_COLLECTION_CONTACT,
        email.NO_EMAIL,
        email.INVALID_EMAIL,
        bounces.EMAIL_BOUNCED,
        email.NO_TEMPLATE,
        email.REFUSED,
        email.UNREACHABLE,
        email.PROVIDER_REFUSED,
        email.PROVIDER_UNREACHABLE,
        connectors.NO_MOBILE,
        connectors.INVALID_MOBILE,
        connectors.NO_ADDRESS,
        connectors.UNDELIVERED,
        base.REFUSED,
        base.TIMEOUT,
        base.UNREACHABLE,
        base.FAILED,
        services.UNCONFIRMED,
        protocol.NOT_AUTOMATIC,
        *protocol.NO_CONNECTOR.values(),
    )


def error_display(message: str) -> str:
    """`message` translated when it is a known sentence; as stored otherwise."""
    # Errors stored before the sentences started with a capital read as today's.
    stored = message[:1].upper() + message[1:]
    for sentence in _known():
        if sentence.endswith(REASON):
            prefix = sentence.removesuffix(REASON)
            if stored.startswith(prefix):
                return gettext(sentence).format(reason=stored.removeprefix(prefix))
        elif stored == sentence:
            return gettext(sentence)
    return message
