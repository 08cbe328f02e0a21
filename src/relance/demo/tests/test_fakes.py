"""The demo's made-up names read as a native writes them."""

import random

import pytest

from relance.demo import fakes, words


@pytest.mark.parametrize(
    "city, written",
    [
        ("Angers", "d'Angers"),
        ("Orléans", "d'Orléans"),
        ("Évry", "d'Évry"),
        ("Le Havre", "du Havre"),
        ("Le Mans", "du Mans"),
        ("Les Sables-d'Olonne", "des Sables-d'Olonne"),
        ("La Rochelle", "de La Rochelle"),
        ("Paris", "de Paris"),
        ("Haguenau", "de Haguenau"),
    ],
)
def test_de_before_a_french_town_elides_and_contracts(city, written):
    assert fakes.french_of(city) == written


def test_no_public_body_of_the_demo_reads_de_before_a_vowel_or_an_article():
    rng = random.Random(3)
    names = {
        fakes.company_name(rng, "FR", "Public sector", city)
        for _code, city in words.FR_CITIES
        for _ in range(3)
    }
    assert any("d'Angers" in name for name in names)
    wrong = [n for n in names if any(f" de {v}" in n for v in ("A", "E", "É", "I", "O", "Le "))]
    assert wrong == []
