"""Errors as RFC 9457 problem details (`application/problem+json`): `type`, `title`,
`status`, `detail`, and for invalid input `errors`, one "path: reason" line per problem,
the path naming the row and field (`items[3].due_date: Enter a valid date.`)."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import ngettext
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "https://relance.invalid/problems/"  # names, not pages: RFC 9457 §3.1.1


def error_lines(detail, path: str = "") -> list[str]:
    """DRF's nested error detail flattened to "path: reason" lines."""
    if isinstance(detail, dict):
        lines = []
        for key, value in detail.items():
            if key in ("non_field_errors", "__all__"):
                lines += error_lines(value, path)
            else:
                lines += error_lines(value, f"{path}.{key}" if path else str(key))
        return lines
    if isinstance(detail, list):
        if all(not isinstance(value, dict | list) for value in detail):
            return [f"{path}: {value}" if path else str(value) for value in detail]
        lines = []
        for index, value in enumerate(detail):
            if value:
                lines += error_lines(value, f"{path}[{index}]")
        return lines
    return [f"{path}: {detail}" if path else str(detail)]


def problem_response(status_code: int, title: str, detail: str = "", **extra) -> Response:
    slug = title.lower().replace(" ", "-") if status_code != 400 else "invalid-input"
    body = {"type": TYPE_BASE + slug, "title": title, "status": status_code}
    if detail:
        body["detail"] = detail
    body.update(extra)
    return Response(body, status=status_code, content_type=PROBLEM_CONTENT_TYPE)


TITLES = {
    400: "Invalid input",
    401: "Not authenticated",
    403: "Permission denied",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    415: "Unsupported media type",
    422: "Unprocessable content",
    429: "Too many requests",
}


def _as_drf(exc):
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        return exceptions.ValidationError(detail)
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, PermissionDenied):
        return exceptions.PermissionDenied(*exc.args)
    return exc


def problem_exception_handler(exc, context):
    """DRF's handler (headers such as WWW-Authenticate and Retry-After kept), its body
    rewritten as a problem."""
    exc = _as_drf(exc)
    response = exception_handler(exc, context)
    if response is None:
        return None
    code = response.status_code
    title = TITLES.get(code, "Error")
    if isinstance(exc, exceptions.ValidationError):
        lines = error_lines(exc.detail)
        detail = ngettext(
            "%(count)s problem in the input: nothing was written.",
            "%(count)s problems in the input: nothing was written.",
            len(lines),
        ) % {"count": len(lines)}
        problem = problem_response(code, title, detail, errors=lines)
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else ""
        problem = problem_response(code, title, str(detail))
    for header, value in response.headers.items():
        if header.lower() not in ("content-type", "content-length"):
            problem[header] = value
    return problem
