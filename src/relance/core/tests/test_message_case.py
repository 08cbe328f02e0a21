"""Every message shown to a user starts with a capital letter.

The source of src/relance is read with `ast`: the texts given to django.contrib.messages,
to ValidationError (forms, models, services, DRF), to a form's add_error, to
PermissionDenied and CommandError, to an API answer's "detail", and every gettext_noop
(the errors stored now and translated when shown). A text counts from its gettext msgid,
or the literal itself when it is not translated; placeholders such as "%(name)s" at the
start are left alone, since the value decides.
"""

import ast
from pathlib import Path

import relance

SOURCE = Path(relance.__file__).parent
MESSAGE_FUNCTIONS = {"success", "error", "info", "warning", "debug", "add_message"}
EXCEPTIONS = {"ValidationError", "PermissionDenied", "CommandError", "APIException"}
GETTEXT = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy"}
# Texts that really start lowercase: none yet ("msgid": "why").
ALLOWED: dict[str, str] = {}


def _name(node) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _text(node) -> str | None:
    """The msgid or literal a message argument starts with, if it can be read."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp):  # _("… %(x)s") % {...}
        return _text(node.left)
    if isinstance(node, ast.JoinedStr) and node.values:
        return _text(node.values[0])
    if isinstance(node, ast.Call) and _name(node.func) in GETTEXT and node.args:
        return _text(node.args[0])
    if isinstance(node, ast.Call) and _name(node.func) in {"pgettext", "pgettext_lazy"}:
        return _text(node.args[1]) if len(node.args) > 1 else None
    if isinstance(node, ast.Call) and _name(node.func).isupper() and node.args:
        return _text(node.args[0])  # self.style.SUCCESS(…)
    if isinstance(node, ast.Call) and _name(node.func) == "format_lazy" and node.args:
        return _text(node.args[0])
    return None


def _messages(call: ast.Call) -> list[ast.AST]:
    """The arguments of `call` that are shown to a user as a message."""
    func, name = call.func, _name(call.func)
    if name in MESSAGE_FUNCTIONS and _name(getattr(func, "value", None)) == "messages":
        return call.args[2:3] if name == "add_message" else call.args[1:2]
    if name in EXCEPTIONS:
        first = call.args[:1]
        if first and isinstance(first[0], ast.Dict):  # ValidationError({"field": message})
            first = list(first[0].values)
        # ValidationError([message, …]), or {"field": [message, …]}
        first = [e for n in first for e in (n.elts if isinstance(n, ast.List) else [n])]
        keywords = [k.value for k in call.keywords if k.arg in ("message", "detail")]
        return first + keywords
    if name == "add_error":
        return call.args[1:2]
    if name == "gettext_noop":
        return [call]
    if name == "write" and _name(getattr(func, "value", None)) in ("stdout", "stderr"):
        return call.args[:1]  # a command's output
    if name == "Response" and call.args and isinstance(call.args[0], ast.Dict):
        pairs = zip(call.args[0].keys, call.args[0].values, strict=True)
        return [v for k, v in pairs if isinstance(k, ast.Constant) and k.value == "detail"]
    return []


def lowercase_messages() -> list[str]:
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            for argument in _messages(node):
                text = _text(argument)
                if not text or text in ALLOWED:
                    continue
                first = text.lstrip()[:1]
                if first.isalpha() and first.islower():
                    where = f"{path.relative_to(SOURCE)}:{node.lineno}"
                    found.append(f"{where}: {text!r}")
    return found


def test_messages_start_with_a_capital():
    found = lowercase_messages()
    assert not found, "\n".join(found)


def test_the_scan_sees_messages():
    """The scan reads the calls it is meant to: a lowercase message of each kind is found."""
    source = """
messages.success(request, _("saved."))
raise ValidationError(_("not a number: %(v)s") % {"v": 1})
raise ValidationError({"day": _("not a day"), "x": [_("nor this")]})
form.add_error("x", gettext_lazy("too long"))
ERROR = gettext_noop("no connector")
return Response({"detail": _("not yours")}, status=400)
raise CommandError(f"missing {x}")
self.stdout.write(self.style.SUCCESS(f"wrote {n} rows"))
"""
    tree = ast.parse(source)
    texts = [
        _text(argument)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        for argument in _messages(node)
    ]
    expected = ["saved.", "not a number: %(v)s", "too long", "no connector", "not yours"]
    expected += ["not a day", "nor this", "missing ", "wrote "]
    assert sorted(filter(None, texts)) == sorted(expected)
