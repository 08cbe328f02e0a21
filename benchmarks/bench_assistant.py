"""The assistant (issue M2.4): trained on the corpus's training families, it reads every
held-out message as in production (cleaning, classifier, rules, dates, amounts, invoice
numbers among the customer's open items); prints the time per message (mean and p95,
target under 20 ms on one CPU core) and the evaluation's figures. No database, no network."""

import os

TARGET_MS = 20


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relance.config.settings")
    import django

    django.setup()
    from relance.assistant.evaluation import evaluate, report

    figures = evaluate()
    for line in report(figures):
        print(line)
    verdict = "met" if figures.p95_ms < TARGET_MS else "MISSED"
    print(
        f"assistant: {figures.test_count} messages, mean {figures.mean_ms:.2f} ms, "
        f"p95 {figures.p95_ms:.2f} ms a message; target under {TARGET_MS} ms: {verdict}"
    )
