import pytest
from django import forms

from relance.accounts.tests.factories import UserFactory


@pytest.fixture
def root(db, acme):
    """An administrator, also a superuser so that the Django admin lets her change anything."""
    return UserFactory(username="root", role="administrator", is_staff=True, is_superuser=True)


@pytest.fixture
def root_client(client, root):
    client.force_login(root)
    return client


def _form_data(form) -> dict:
    data = {}
    for bound in form:
        value, widget = bound.value(), bound.field.widget
        if isinstance(bound.field, forms.FileField):
            continue  # no file posted: the stored one stays
        if isinstance(widget, forms.MultiWidget):
            parts = value if isinstance(value, list) else widget.decompress(value)
            for index, part in enumerate(parts):
                data[f"{bound.html_name}_{index}"] = "" if part is None else str(part)
        elif value is not None and value is not False:
            data[bound.html_name] = value
    return data


def admin_change_data(client, url: str, **changes) -> dict:
    """What the admin's change form at `url` posts back as it is shown, with `changes`."""
    context = client.get(url).context
    data = _form_data(context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_form_data(formset.management_form))
        for form in formset.forms:
            data.update(_form_data(form))
    return {**data, **changes}
