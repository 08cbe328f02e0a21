import io

import pytest
from django.core.management import CommandError, call_command

from relance.banking.models import Statement
from relance.banking.tests.conftest import SAMPLES

pytestmark = pytest.mark.django_db


def test_bank_import_prints_the_counts(acme, books):
    out = io.StringIO()
    path = str(SAMPLES / "camt053.001.02.xml")
    call_command("bank", "import", path, entity="acme-fr", stdout=out)
    assert out.getvalue().strip() == "5 lines: 3 matched, 0 suggested, 1 unmatched"


def test_bank_import_of_a_malformed_file_names_each_problem(acme, books):
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("bank", "import", str(SAMPLES / "malformed/mt940-bad-lines.sta"), stderr=err)
    assert err.getvalue().splitlines()[0].startswith("line 8 (:61:)")
    assert not Statement.objects.exists()


def test_bank_import_names_an_unknown_entity(acme, books):
    with pytest.raises(CommandError, match="No entity 'nope': acme-fr"):
        call_command("bank", "import", str(SAMPLES / "mt940.sta"), entity="nope")
