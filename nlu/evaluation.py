"""Evaluating a trained model on the held-out NLU tests of every language.

Used by the held-out test (tests/nlu/test_heldout.py), `benchmarks/nlu_eval.py` and the
retraining gate. The held-out files `tests/nlu/<lang>.yml` are written separately from the
training data; entity values there are normalised (`country` as ISO alpha-2).

Places have their own held-out files, `tests/nlu/places/<lang>.yml`, scored apart so that
the foundation's intent and country figures stay comparable across issues. Each place case
is one annotation, in one of three categories, and checks what the answers will use:

- `[Nairobi]{"entity": "city", "value": "KE"}`: the parse holds country `KE` and a `city`
  entity of that country (a city answers with its country);
- `[the Gulf]{"entity": "region", "value": "gcc"}`: the parse holds region `gcc`;
- `[Kenyan]{"entity": "demonym", "value": "KE"}`: the parse holds country `KE`.
"""

from __future__ import annotations

import asyncio
import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from locales import SUPPORTED_LANGUAGES

logger = logging.getLogger(__name__)

PROJECT_DIR = Path(__file__).resolve().parent.parent
HELDOUT_DIR = PROJECT_DIR / "tests" / "nlu"
PLACES_DIR = HELDOUT_DIR / "places"
PLACE_CATEGORIES = ("city", "region", "demonym")


@dataclass(frozen=True)
class Example:
    """One held-out message: its text, expected intent and expected entity values."""

    text: str
    intent: str                       # base intent ("compliance_info")
    full_intent: str                  # with the retrieval key ("compliance_info/odi_filing")
    entities: tuple[tuple[str, str], ...]  # (entity, value) pairs


@dataclass
class LanguageReport:
    """Scores of one language."""

    language: str
    examples: int
    intent_macro_f1: float
    intent_accuracy: float
    retrieval_accuracy: float | None
    country_accuracy: float | None
    country_cases: int
    entity_value_accuracy: dict[str, float] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)
    places: PlaceReport | None = None

    @property
    def place_accuracy(self) -> float | None:
        return None if self.places is None else self.places.accuracy

    @property
    def place_cases(self) -> int:
        return 0 if self.places is None else self.places.cases

    def as_dict(self) -> dict[str, Any]:
        return {
            "language": self.language, "examples": self.examples,
            "intent_macro_f1": round(self.intent_macro_f1, 4),
            "intent_accuracy": round(self.intent_accuracy, 4),
            "retrieval_accuracy": None if self.retrieval_accuracy is None
            else round(self.retrieval_accuracy, 4),
            "country_accuracy": None if self.country_accuracy is None
            else round(self.country_accuracy, 4),
            "country_cases": self.country_cases,
            "entity_value_accuracy": {k: round(v, 4) for k, v in
                                      self.entity_value_accuracy.items()},
            "places": None if self.places is None else self.places.as_dict(),
        }


@dataclass
class PlaceReport:
    """Place cases of one language: how many were resolved, overall and per category."""

    messages: int = 0
    cases_by_category: dict[str, int] = field(default_factory=dict)
    right_by_category: dict[str, int] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def cases(self) -> int:
        return sum(self.cases_by_category.values())

    @property
    def accuracy(self) -> float | None:
        return sum(self.right_by_category.values()) / self.cases if self.cases else None

    def category_accuracy(self, category: str) -> float | None:
        cases = self.cases_by_category.get(category, 0)
        return self.right_by_category.get(category, 0) / cases if cases else None

    def as_dict(self) -> dict[str, Any]:
        accuracy = self.accuracy
        return {
            "accuracy": None if accuracy is None else round(accuracy, 4),
            "cases": self.cases,
            "by_category": {
                category: {"accuracy": round(self.category_accuracy(category) or 0.0, 4),
                           "cases": cases}
                for category, cases in self.cases_by_category.items()},
        }


def load_examples(language: str, heldout_dir: Path = HELDOUT_DIR) -> list[Example]:
    """The held-out examples of one language."""
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(heldout_dir / f"{language}.yml"))
    examples = []
    for message in data.intent_examples:
        full = message.get("intent_response_key") or message.get("intent")
        entities = tuple(
            (entity["entity"], str(entity.get("value", "")))
            for entity in message.get("entities") or []
        )
        examples.append(Example(message.get("text"), message.get("intent"), full, entities))
    return examples


def comparable_text(text: str) -> str:
    """A message reduced to what makes two messages the same sentence: Unicode
    compatibility form, case-folded, punctuation and spacing collapsed."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\W_]+", " ", folded).strip()


def training_texts(language: str, data_dir: Path = PROJECT_DIR / "nlu" / "data") -> set[str]:
    """The comparable texts of every training example of one language."""
    from rasa.shared.nlu.training_data.loading import load_data

    return {comparable_text(message.get("text"))
            for path in sorted((data_dir / language).glob("*.yml"))
            for message in load_data(str(path)).intent_examples}


def leaked_examples(language: str) -> list[Example]:
    """Held-out messages (intents and places) that also appear in the training data: each
    one makes the held-out score a memory test instead of a generalisation test."""
    seen = training_texts(language)
    heldout = load_examples(language) + load_place_examples(language)
    return [example for example in heldout if comparable_text(example.text) in seen]


def places_file(language: str, places_dir: Path = PLACES_DIR) -> Path:
    """The held-out place cases of one language."""
    return places_dir / f"{language}.yml"


def load_place_examples(language: str, places_dir: Path = PLACES_DIR) -> list[Example]:
    """The held-out place messages of one language (none when the file does not exist)."""
    path = places_file(language, places_dir)
    if not path.exists():
        return []
    return load_examples(language, places_dir)


def place_cases(example: Example) -> list[tuple[str, str]]:
    """The (category, expected value) place cases of one message."""
    return [(entity, value) for entity, value in example.entities
            if entity in PLACE_CATEGORIES]


def place_resolved(category: str, value: str, entities: list[dict[str, Any]]) -> bool:
    """Whether a parse's entities hold what one place case expects (see the module doc)."""
    found = {(e.get("entity"), str(e.get("value"))) for e in entities}
    if category == "region":
        return ("region", value) in found
    if category == "city":
        cities = [v for entity, v in found if entity == "city"]
        return ("country", value) in found and any(v.endswith(f"|{value}") for v in cities)
    return ("country", value) in found


def score_places(examples: list[Example], parses: list[dict[str, Any]]) -> PlaceReport:
    """Count the place cases the parses resolve, per category."""
    report = PlaceReport(messages=len(examples))
    for example, parse in zip(examples, parses):
        entities = parse.get("entities") or []
        for category, value in place_cases(example):
            report.cases_by_category[category] = report.cases_by_category.get(category, 0) + 1
            if place_resolved(category, value, entities):
                report.right_by_category[category] = (
                    report.right_by_category.get(category, 0) + 1)
            else:
                report.errors.append({
                    "text": example.text, "expected_place": f"{category}={value}",
                    "found": sorted((str(e.get("entity")), str(e.get("value")))
                                    for e in entities)})
    return report


def macro_f1(expected: list[str], predicted: list[str]) -> float:
    """Macro-averaged F1 over the expected labels (sklearn's definition)."""
    from sklearn.metrics import f1_score

    labels = sorted(set(expected))
    return float(f1_score(expected, predicted, labels=labels, average="macro",
                          zero_division=0))


def score(language: str, examples: list[Example], parses: list[dict[str, Any]]) -> LanguageReport:
    """Compare parses with expectations."""
    expected = [e.intent for e in examples]
    predicted = [(p.get("intent") or {}).get("name") or "None" for p in parses]
    retrieval_total = retrieval_right = 0
    value_totals: dict[str, int] = {}
    value_right: dict[str, int] = {}
    errors: list[dict[str, Any]] = []
    for example, parse, intent in zip(examples, parses, predicted):
        if "/" in example.full_intent:
            retrieval_total += 1
            base = example.intent
            selected = (((parse.get("response_selector") or {}).get(base) or {})
                        .get("response") or {}).get("intent_response_key")
            retrieval_right += selected == example.full_intent and intent == base
        found = {(e["entity"], str(e.get("value"))) for e in parse.get("entities") or []}
        for entity, value in example.entities:
            value_totals[entity] = value_totals.get(entity, 0) + 1
            if (entity, value) in found:
                value_right[entity] = value_right.get(entity, 0) + 1
            elif entity == "country":
                errors.append({"text": example.text, "expected_country": value,
                               "found": sorted(found)})
        if intent != example.intent:
            errors.append({"text": example.text, "expected": example.intent,
                           "predicted": intent})
    accuracy = sum(e == p for e, p in zip(expected, predicted)) / max(1, len(expected))
    values = {k: value_right.get(k, 0) / n for k, n in value_totals.items()}
    return LanguageReport(
        language=language, examples=len(examples),
        intent_macro_f1=macro_f1(expected, predicted), intent_accuracy=accuracy,
        retrieval_accuracy=retrieval_right / retrieval_total if retrieval_total else None,
        country_accuracy=values.get("country"), country_cases=value_totals.get("country", 0),
        entity_value_accuracy=values, errors=errors,
    )


async def _parse_all(agent: Any, texts: Iterable[str]) -> list[dict[str, Any]]:
    return [await agent.parse_message(text) for text in texts]


def evaluate_agent(agent: Any, languages: Iterable[str] = SUPPORTED_LANGUAGES,
                   heldout_dir: Path = HELDOUT_DIR,
                   places_dir: Path | None = None) -> dict[str, LanguageReport]:
    """Evaluate a loaded Rasa agent on the held-out tests of `languages`, and on their
    place cases (`places_dir`, by default `<heldout_dir>/places`) where they exist."""
    places_dir = places_dir or heldout_dir / "places"
    reports = {}
    for language in languages:
        examples = load_examples(language, heldout_dir)
        parses = asyncio.run(_parse_all(agent, [e.text for e in examples]))
        reports[language] = score(language, examples, parses)
        place_examples = load_place_examples(language, places_dir)
        if place_examples:
            place_parses = asyncio.run(_parse_all(agent, [e.text for e in place_examples]))
            reports[language].places = score_places(place_examples, place_parses)
    return reports


def load_agent(model_path: Path) -> Any:
    """A Rasa agent for NLU parsing only (no endpoints, no tracker store)."""
    from rasa.core.agent import Agent

    return Agent.load(str(model_path))


def evaluate_model(model_path: Path, languages: Iterable[str] = SUPPORTED_LANGUAGES,
                   heldout_dir: Path = HELDOUT_DIR) -> dict[str, LanguageReport]:
    """Load `model_path` and evaluate it on the held-out tests."""
    return evaluate_agent(load_agent(model_path), languages, heldout_dir)


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def table(reports: dict[str, LanguageReport]) -> str:
    """A plain-text table of the per-language scores (places: accuracy (cases), overall
    and per category)."""
    header = ("language  examples  intent-F1  accuracy  retrieval  country (n)    "
              "places (n)     " + "  ".join(f"{c:<13}" for c in PLACE_CATEGORIES))
    rows = [header.rstrip()]
    for report in reports.values():
        country = f"{_ratio(report.country_accuracy)} ({report.country_cases})"
        row = (f"{report.language:<9} {report.examples:>8}  {report.intent_macro_f1:>9.3f}"
               f"  {report.intent_accuracy:>8.3f}  {_ratio(report.retrieval_accuracy):>9}"
               f"  {country:<13}")
        places = report.places
        if places is None:
            row += "  -"
        else:
            row += f"  {_ratio(places.accuracy)} ({places.cases})".ljust(15)
            for category in PLACE_CATEGORIES:
                cell = (f"{_ratio(places.category_accuracy(category))} "
                        f"({places.cases_by_category.get(category, 0)})")
                row += f"  {cell:<13}"
        rows.append(row.rstrip())
    return "\n".join(rows)
