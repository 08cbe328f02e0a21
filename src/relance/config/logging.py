"""Secrets in URLs never reach a log line.

A provider's status callback authenticates with a token in its path
(/delivery/callbacks/<id>/<token>/), and a query string may carry a token, key or signature:
whoever reads the access log must not be able to replay them. `RedactSecrets` (a logging
filter, set on the console handlers, django.server and django.request in settings.LOGGING)
and `GunicornLogger` (gunicorn's `logger_class`, for its access log, which Django's logging
settings never see) write them as `[redacted]`.
"""

import logging
import re

from gunicorn.glogging import Logger

REDACTED = "[redacted]"
# A path segment that is a secret, after the part of the path that says so.
SECRET_PATHS = [re.compile(r"(/delivery/callbacks/\d+/)[^/?#\s\"']+")]
# Query parameters whose name says they hold a secret.
SECRET_QUERY = re.compile(
    r"([?&;][\w.\-]*(?:token|key|secret|signature|password|passwd|sig)[\w.\-]*=)[^&;#\s\"']*",
    re.IGNORECASE,
)


def redact(text: str) -> str:
    """`text` with the secrets of the URLs it contains replaced by [redacted]."""
    for pattern in SECRET_PATHS:
        text = pattern.sub(rf"\g<1>{REDACTED}", text)
    return SECRET_QUERY.sub(rf"\g<1>{REDACTED}", text)


class RedactSecrets(logging.Filter):
    """Rewrites a record's message without the URL secrets; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is the handler's to report, as it was
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


class GunicornLogger(Logger):
    """gunicorn's logger, with the access log's fields (request line, path, query, headers
    such as the referer) redacted. In gunicorn's config: `logger_class =
    "relance.config.logging.GunicornLogger"`."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            name: redact(value) if isinstance(value, str) else value
            for name, value in atoms.items()
        }
