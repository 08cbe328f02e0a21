"""Checks on a template's text before it is saved."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from relance.templating.hashtags import unknown_hashtags


def hashtag_errors(text: str, *, is_html: bool) -> list[str]:
    """One message per unknown hashtag of `text`, with the closest known one when there is."""
    messages = []
    for name, suggestion in unknown_hashtags(text, is_html=is_html):
        if suggestion:
            messages.append(
                _("#%(name)s: did you mean #%(suggestion)s?")
                % {"name": name, "suggestion": suggestion}
            )
        else:
            messages.append(_("#%(name)s: unknown hashtag") % {"name": name})
    return messages


def validate_hashtags(text: str, *, is_html: bool) -> None:
    messages = hashtag_errors(text, is_html=is_html)
    if messages:
        raise ValidationError(messages)
