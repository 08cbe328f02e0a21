"""The estimator: a small scikit-learn pipeline, TF-IDF word 1–2-grams and character
2–5-grams within word boundaries into a linear SVM (probabilities calibrated by 3-fold
cross-validation) for the intent, and two logistic regressions on the same features
(dispute category; document asked for). A message no intent claims with at least
OTHER_BELOW probability is read as "other". Inspectable: `top_terms()` lists each
intent's heaviest features.

They read the customer's own words, folded (lower case, no accents), digits masked (an
invoice number or an amount says nothing about the intent). Trained on the committed corpus
plus the collectors' corrections; saved with joblib at settings.ASSISTANT_MODEL_PATH, trained
on first use when the file is missing. No network, ever: the corpus is a local file.
"""

import hashlib
import json
import logging
import os
import re
import tempfile
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import joblib
import sklearn
from django.conf import settings
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from relance.assistant.extract import date_marker
from relance.assistant.text import fold, own_words

logger = logging.getLogger(__name__)
CORPUS = Path(__file__).with_name("corpus") / "messages.jsonl"
FORMAT = 4  # bump when the saved object's shape changes
# Below this probability for its best intent, a message says nothing the collector must act
# on: "other". Chosen with the SVM on the two family folds other than the held-out one
# (docs/assistant.md, "How the figure moved").
OTHER_BELOW = 0.4


def corpus_rows(split: str | None = None) -> list[dict]:
    """The committed corpus, or its `split` ("train" / "test")."""
    with CORPUS.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return [row for row in rows if split is None or row["split"] == split]


EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w-])\+?\d[\d .]{7,}\d(?![\w-])")
AMOUNT = re.compile(r"(?:€|eur\b|euros?\b|£|\$)\s?\d[\d.,  ]*|\d[\d.,  ]*\s?(?:€|eur\b|euros?\b|£)")
REFERENCE = re.compile(r"(?<![\w-])(?=[\w-]*\d)[a-z]{0,4}[-/]?\d[\w/-]{3,}\d(?![\w-])")


def features_text(text: str, *, today: date | None = None, language: str = "fr") -> str:
    """The customer's words as the pipelines see them: folded, an email address, a phone
    number, an amount, an invoice number each replaced by one marker word (what kind of
    thing is cited tells the intent; which one does not), other digits masked, and a word
    for the side of `today` the date it states is on (extract.date_marker)."""
    own = own_words(text)
    marker = date_marker(own, language=language, today=today) if today else ""
    words = fold(own)
    words = EMAIL.sub(" zzemail ", words)
    words = AMOUNT.sub(" zzamount ", words)
    words = PHONE.sub(" zzphone ", words)
    words = REFERENCE.sub(" zzinvoice ", words)
    return re.sub(r"\d", "0", words) + (f" {marker}" if marker else "")


def corpus_digest() -> str:
    return hashlib.sha256(CORPUS.read_bytes()).hexdigest()[:16]


def _features() -> FeatureUnion:
    return FeatureUnion(
        [
            ("words", TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True)),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True
                ),
            ),
        ]
    )


def _classifier() -> LogisticRegression:
    """The dispute category's and the document's (few classes, few examples each)."""
    return LogisticRegression(C=20, max_iter=2000, class_weight="balanced")


def _intent_classifier() -> CalibratedClassifierCV:
    return CalibratedClassifierCV(LinearSVC(C=0.5, class_weight="balanced", random_state=0), cv=3)


@dataclass
class Assistant:
    """The fitted pipeline (features, then the intent's classifier) and the two classifiers
    that read the same features for a dispute's category and a copy request's document
    (one transformation per message, the costly part)."""

    intent: Pipeline
    dispute_reason: LogisticRegression
    document: LogisticRegression
    version: str
    counts: dict

    def vector(self, text: str, *, today: date | None = None, language: str = "fr"):
        features = self.intent.named_steps["features"]
        return features.transform([features_text(text, today=today, language=language)])

    def predict(
        self, text: str, *, today: date | None = None, language: str = "fr"
    ) -> tuple[str, float, str, str]:
        """(intent, confidence, dispute_reason, document) for one message received on
        `today`; the category and the document are also read for the other intents (the
        rules after the classifier may turn a message into a dispute)."""
        vector = self.vector(text, today=today, language=language)
        classifier = self.intent.named_steps["classifier"]
        probabilities = classifier.predict_proba(vector)[0]
        best = probabilities.argmax()
        intent = str(classifier.classes_[best])
        if probabilities[best] < OTHER_BELOW:
            intent = "other"
        reason = str(self.dispute_reason.predict(vector)[0])
        document = str(self.document.predict(vector)[0]) if intent == "copy_request" else ""
        return intent, float(probabilities[best]), reason, document

    def top_terms(self, per_intent: int = 10) -> dict[str, list[str]]:
        union = self.intent.named_steps["features"]
        names = [
            *union.transformer_list[0][1].get_feature_names_out(),
            *(f"«{n}»" for n in union.transformer_list[1][1].get_feature_names_out()),
        ]
        calibrated = self.intent.named_steps["classifier"].calibrated_classifiers_
        weights = sum(c.estimator.coef_ for c in calibrated) / len(calibrated)
        return {
            str(label): [names[i] for i in weights[k].argsort()[::-1][:per_intent]]
            for k, label in enumerate(self.intent.classes_)
        }


def train(rows: list[dict], corrections: list[dict] = ()) -> Assistant:
    """Fit on `rows` (corpus rows) and `corrections` ({text, intent, dispute_reason,
    document, reference_date, language} from the collectors), which weigh like any corpus
    message."""
    examples = [*rows, *corrections]
    texts = [
        features_text(
            row["text"],
            today=date.fromisoformat(row["reference_date"]) if row.get("reference_date") else None,
            language=row.get("language") or "fr",
        )
        for row in examples
    ]
    intent = Pipeline([("features", _features()), ("classifier", _intent_classifier())])
    intent.fit(texts, [row["intent"] for row in examples])
    vectors = intent.named_steps["features"].transform(texts)

    def sub(field: str, wanted: str) -> LogisticRegression:
        chosen = [k for k, row in enumerate(examples) if row["intent"] == wanted and row.get(field)]
        return _classifier().fit(vectors[chosen], [examples[k][field] for k in chosen])

    digest = hashlib.sha256(
        "\n".join(f"{row['intent']}|{row['text']}" for row in examples).encode()
    ).hexdigest()[:10]
    return Assistant(
        intent=intent,
        dispute_reason=sub("dispute_reason", "dispute"),
        document=sub("document", "copy_request"),
        version=f"{FORMAT}-{digest}",
        counts={"corpus": len(rows), "corrections": len(corrections)},
    )


_lock = threading.Lock()
_loaded: dict[str, Assistant] = {}


def model_path() -> Path:
    return Path(settings.ASSISTANT_MODEL_PATH)


def save(assistant: Assistant, path: Path | None = None) -> Path:
    path = path or model_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    stored = {
        "format": FORMAT,
        "sklearn": sklearn.__version__,
        "corpus": corpus_digest(),
        "assistant": assistant,
    }
    # A file of its own, then renamed: readers never see half a file, and two processes
    # training at once (test workers, two web workers on first use) never mix theirs.
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    os.close(handle)
    try:
        joblib.dump(stored, temporary)
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)
    _loaded.pop(str(path), None)
    return path


def load() -> Assistant:
    """The saved assistant, trained first (whole corpus and corrections) if missing, saved
    by another version of scikit-learn or from another corpus. `relance assistant evaluate`
    trains its own on the training split only, to measure on messages it never saw."""
    path = model_path()
    key = str(path)
    with _lock:
        if key in _loaded:
            return _loaded[key]
        assistant = None
        stored = {}
        if path.exists():
            try:
                stored = joblib.load(path)
            except Exception:  # unreadable (truncated, foreign): trained again below
                logger.warning("assistant: model file %s unreadable, training again", path)
            if (
                stored.get("format") == FORMAT
                and stored.get("sklearn") == sklearn.__version__
                and stored.get("corpus") == corpus_digest()
            ):
                assistant = stored["assistant"]
        if assistant is None:
            from relance.assistant.services import training_corrections

            assistant = train(corpus_rows(), training_corrections())
            save(assistant, path)
        _loaded[key] = assistant
        return assistant


def forget() -> None:
    """Drop the cached assistant (after a retraining, in tests)."""
    _loaded.clear()
