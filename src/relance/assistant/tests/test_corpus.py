"""The committed corpus is what build.py writes, big and varied enough, split honestly."""

import collections
import json

from relance.assistant.choices import Document, Intent
from relance.assistant.corpus import build
from relance.assistant.model import CORPUS, corpus_rows
from relance.portal.choices import DisputeReason


def test_the_committed_corpus_is_exactly_what_the_builder_writes():
    written = [json.dumps(row, ensure_ascii=False) for row in build.build()]
    assert CORPUS.read_text(encoding="utf-8").splitlines() == written


def test_size_languages_labels_and_dates():
    rows = corpus_rows()
    assert len(rows) >= 2000
    assert len({row["text"] for row in rows}) == len(rows)
    by_language = collections.Counter(row["language"] for row in rows)
    assert set(by_language) == {"fr", "en", "de", "es"} and min(by_language.values()) >= 500
    assert {row["intent"] for row in rows} == set(Intent.values)
    disputes = {row["dispute_reason"] for row in rows if row["intent"] == "dispute"}
    assert disputes == set(DisputeReason.values)
    documents = {row["document"] for row in rows if row["intent"] == "copy_request"}
    assert documents == set(Document.values)
    assert sum(bool(row["date"]) for row in rows) >= 500
    assert any("a écrit :" in row["text"] for row in rows)  # quoted history
    assert any("Forwarded message" in row["text"] for row in rows)


def test_the_held_out_split_shares_no_phrase_family_with_training():
    rows = corpus_rows()
    train = {row["family"] for row in rows if row["split"] == "train"}
    test = {row["family"] for row in rows if row["split"] == "test"}
    assert train and test and not train & test
    tested = {
        (row["intent"], row["dispute_reason"], row["document"])
        for row in rows
        if row["split"] == "test"
    }
    trained = {
        (row["intent"], row["dispute_reason"], row["document"])
        for row in rows
        if row["split"] == "train"
    }
    assert tested <= trained  # every held-out label has families to learn from


def test_the_hard_cases_are_labelled_by_the_issues_rules():
    by_text = {row["text"]: row for row in corpus_rows()}

    def labels(fragment: str) -> set:
        return {
            (row["intent"], row["dispute_reason"] or row["document"])
            for text, row in by_text.items()
            if fragment in text
        }

    assert labels("once we receive a corrected invoice") == {("dispute", "price")}
    assert labels("as soon as you send us a duplicate") == {("copy_request", "invoice")}
    assert labels("once we get internal sign-off") == {("promise", "")}
    assert labels("We never received invoice") == {("copy_request", "invoice")}
    assert labels("We never received the goods") == {("dispute", "not_received")}
    assert labels("there must be a mistake in your books") == {("dispute", "already_paid")}
    assert labels("The transfer for invoice") == {("payment_made", "")}
    assert labels("out of the office and will be back") == {("out_of_office", "")}
