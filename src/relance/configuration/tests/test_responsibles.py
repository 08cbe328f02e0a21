"""A configuration file cannot make a read-only user a step's responsible."""

import pytest

from relance.accounts.tests.factories import UserFactory
from relance.configuration.services import ConfigError, config_import
from relance.configuration.tests.test_config import STEPS, counts, mutate
from relance.configuration.tests.test_config import people as people  # the fixture


def test_a_read_only_responsible_is_refused_by_its_place_in_the_file(people):
    UserFactory(username="dave", role="read_only", all_entities=True)
    before = counts()
    with pytest.raises(ConfigError) as refused:
        config_import(text=mutate([((*STEPS, 1, "responsibles", "users"), ["dave"])]))
    assert refused.value.errors == [
        "scenarios[0].steps[1].responsibles.users: dave is read-only: a read-only user "
        "cannot be given work."
    ]
    assert counts() == before
