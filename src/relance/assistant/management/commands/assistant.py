"""`relance assistant train` and `relance assistant evaluate`."""

from django.core.management.base import BaseCommand, CommandError

from relance.assistant import model
from relance.assistant.evaluation import evaluate, report
from relance.assistant.services import training_corrections


class Command(BaseCommand):
    help = (
        "train: retrain the assistant on the corpus and the collectors' corrections; "
        "evaluate: per-intent precision and recall on the corpus's held-out split."
    )

    def add_arguments(self, parser):
        parser.add_argument("verb", choices=["train", "evaluate"])
        parser.add_argument(
            "--terms", action="store_true", help="train: print each intent's heaviest features"
        )

    def handle(self, *args, verb, terms=False, **options):
        if verb == "evaluate":
            figures = evaluate()
            for line in report(figures):
                self.stdout.write(line)
            return
        rows = model.corpus_rows()
        if not rows:
            raise CommandError(f"The corpus {model.CORPUS} is empty.")
        corrections = training_corrections()
        assistant = model.train(rows, corrections)
        path = model.save(assistant)
        model.forget()
        self.stdout.write(
            f"Trained on {len(rows)} corpus messages and {len(corrections)} corrections: "
            f"model {assistant.version} saved to {path}"
        )
        if terms:
            for intent, words in assistant.top_terms().items():
                self.stdout.write(f"{intent}: {', '.join(words)}")
