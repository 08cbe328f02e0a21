"""The Reply-To tag: it names the outbox key, and a forged or altered tag names nothing."""

from types import SimpleNamespace

import pytest

from relance.delivery.replyto import (
    base_address,
    key_from_tag,
    key_of_address,
    reply_address,
    reply_tag,
    tag_of,
)


def entity(email="relances@acme.example", plus=True):
    return SimpleNamespace(email=email, reply_plus_addressing=plus)


def test_the_reply_to_carries_the_outbox_key_back():
    address = reply_address(entity(), "action-42-3")
    assert address.startswith("relances+a42-3-") and address.endswith("@acme.example")
    assert key_of_address(address) == "action-42-3"
    assert key_of_address(address.upper()) == "action-42-3"  # a server that upper-cases
    assert base_address(address) == "relances@acme.example"


def test_without_plus_addressing_or_address_the_reply_to_is_the_entitys_address():
    assert reply_address(entity(plus=False), "action-42-3") == "relances@acme.example"
    assert reply_address(entity(email=""), "action-42-3") == ""
    assert reply_address(entity(), "not-an-outbox-key") == "relances@acme.example"


def test_an_address_already_tagged_keeps_its_tag_and_gets_ours_last():
    address = reply_address(entity(email="team+acme@example.org"), "action-7-1")
    assert address.startswith("team+acme+a7-1-")
    assert key_of_address(address) == "action-7-1"
    assert base_address(address) == "team+acme@example.org"


@pytest.mark.parametrize(
    "change",
    [
        lambda tag: tag.replace("a42-", "a43-"),  # another action, same signature
        lambda tag: tag.replace("-3-", "-4-"),  # another attempt
        lambda tag: tag[:-1] + ("a" if tag[-1] != "a" else "b"),  # one character of the HMAC
        lambda tag: tag[:-2],  # shortened
        lambda tag: "a42-3-" + "a" * 10,  # made up
    ],
)
def test_a_forged_tag_names_no_message(change):
    tag = reply_tag("action-42-3")
    assert key_from_tag(tag) == "action-42-3"
    assert key_from_tag(change(tag)) == ""


def test_the_signature_depends_on_the_secret_key(settings):
    tag = reply_tag("action-42-3")
    settings.SECRET_KEY = "another-server-" * 4
    assert key_from_tag(tag) == ""


def test_tags_of_addresses_that_have_none():
    assert tag_of("relances@acme.example") == ""
    assert tag_of("+x@acme.example") == ""
    assert key_of_address("relances+hello@acme.example") == ""
    assert base_address("<Relances+x@Acme.Example>") == "relances@acme.example"
