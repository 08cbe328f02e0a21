import datetime

import pytest
from django.utils import translation

from relance.customers.filtersets import CustomerFilterSet
from relance.customers.models import Customer, CustomField


@pytest.mark.django_db
def test_a_custom_date_filter_writes_iso_dates_in_french(alice):
    CustomField.objects.create(name="opened", label="Opened", type="date")
    filterset = CustomerFilterSet({}, queryset=Customer.objects.all(), user=alice)
    widget = filterset.form.fields["cf_opened"].widget
    with translation.override("fr"):
        # An <input type="date"> takes yyyy-mm-dd only: "23/11/2026" would be dropped.
        assert widget.format_value(datetime.date(2026, 11, 23)) == "2026-11-23"
        assert 'type="date"' in widget.render("cf_opened", datetime.date(2026, 11, 23))
