"""The held-out evaluation behind `relance assistant evaluate`, the tests and the bench:
train on the corpus's training families only, read every held-out message as in
production (with the customer's open items: the cited numbers among five others), and
measure."""

import random
import statistics
import time
from dataclasses import dataclass
from datetime import date

from sklearn.metrics import f1_score, precision_recall_fscore_support

from relance.assistant.choices import Intent
from relance.assistant.model import corpus_rows, train
from relance.assistant.reader import read

DISTRACTORS = ["F-2026-0001", "FA26-00002", "INV-10003", "2026-0004", "F000005"]


@dataclass
class Figures:
    train_count: int
    test_count: int
    per_intent: dict  # intent -> (precision, recall, f1, support)
    macro_f1: float
    dispute_reason_accuracy: float
    document_accuracy: float
    dated: int
    dates_exact: float
    invoices_exact: float
    amounts_exact: float
    mean_ms: float
    p95_ms: float
    train_seconds: float
    misses: list


def evaluate(rows_train=None, rows_test=None) -> Figures:
    rows_train = rows_train if rows_train is not None else corpus_rows("train")
    rows_test = rows_test if rows_test is not None else corpus_rows("test")
    started = time.perf_counter()
    assistant = train(rows_train)
    train_seconds = time.perf_counter() - started
    rng = random.Random(7)
    read(assistant, "warm-up: le 15 janvier, am 15. März", today=date(2026, 1, 1))
    truth, predicted, timings, misses = [], [], [], []
    reasons = documents = dated = dates_ok = invoices_ok = amounts_ok = 0
    reasons_n = documents_n = 0
    for row in rows_test:
        numbers = [*row["invoices"], *rng.sample(DISTRACTORS, 3)]
        reading = read(
            assistant,
            row["text"],
            today=date.fromisoformat(row["reference_date"]),
            language=row["language"],
            numbers=numbers,
        )
        timings.append(reading.elapsed_ms)
        truth.append(row["intent"])
        predicted.append(reading.intent)
        if reading.intent != row["intent"]:
            misses.append((row["id"], row["intent"], reading.intent))
        if row["intent"] == "dispute" and reading.intent == "dispute":
            reasons_n += 1
            reasons += reading.dispute_reason == row["dispute_reason"]
        if row["intent"] == "copy_request" and reading.intent == "copy_request":
            documents_n += 1
            documents += reading.document == row["document"]
        if row["date"]:
            dated += 1
            dates_ok += reading.date is not None and reading.date.isoformat() == row["date"]
        invoices_ok += sorted(reading.invoices) == sorted(row["invoices"])
        amounts_ok += [str(a) for a in reading.amounts][: len(row["amounts"])] == row["amounts"]
    labels = list(Intent.values)
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, predicted, labels=labels, zero_division=0
    )
    ordered = sorted(timings)
    return Figures(
        train_count=len(rows_train),
        test_count=len(rows_test),
        per_intent={
            label: (precision[k], recall[k], f1[k], int(support[k]))
            for k, label in enumerate(labels)
        },
        macro_f1=f1_score(truth, predicted, labels=labels, average="macro", zero_division=0),
        dispute_reason_accuracy=reasons / reasons_n if reasons_n else 0.0,
        document_accuracy=documents / documents_n if documents_n else 0.0,
        dated=dated,
        dates_exact=dates_ok / dated if dated else 0.0,
        invoices_exact=invoices_ok / len(rows_test),
        amounts_exact=amounts_ok / len(rows_test),
        mean_ms=statistics.fmean(timings),
        p95_ms=ordered[int(0.95 * (len(ordered) - 1))],
        train_seconds=train_seconds,
        misses=misses,
    )


def report(figures: Figures) -> list[str]:
    lines = [
        f"trained on {figures.train_count} messages in {figures.train_seconds:.1f} s, "
        f"evaluated on {figures.test_count} held-out messages (unseen phrase families)",
        f"{'intent':<16}{'precision':>10}{'recall':>8}{'F1':>7}{'n':>6}",
    ]
    for label, (p, r, f, n) in figures.per_intent.items():
        lines.append(f"{label:<16}{p:>10.3f}{r:>8.3f}{f:>7.3f}{n:>6}")
    lines += [
        f"macro-F1 {figures.macro_f1:.3f} (target 0.85)",
        f"dispute category right {figures.dispute_reason_accuracy:.1%}, "
        f"document right {figures.document_accuracy:.1%} "
        "(of the disputes and copy requests found)",
        f"dates exact {figures.dates_exact:.1%} of {figures.dated} messages stating one "
        "(target 90 %)",
        f"invoice numbers exact {figures.invoices_exact:.1%}, "
        f"amounts exact {figures.amounts_exact:.1%}",
        f"time per message: mean {figures.mean_ms:.2f} ms, p95 {figures.p95_ms:.2f} ms "
        "(target < 20 ms)",
    ]
    return lines
