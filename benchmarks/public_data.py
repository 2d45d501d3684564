"""Loaders for the public NLU benchmarks in ../shared/benchmarks (see its README).

Each loader returns a `Benchmark`: training examples, one or more test sets (xSID has one
per language), validation sets where the dataset has them, and notes on what was done to
the data. Nothing here imports Rasa, so the loaders are cheap to test.

    clinc150/data_full.json          CLINC150 "full" split, out-of-scope kept as class "oos"
    banking77/{train,test}.csv       BANKING77 (text,category)
    hwu64/rasa_10fold/KFold_N/       HWU64 official folds, Rasa legacy JSON with entities
    xsid/en.train.{text,label}       xSID English training data (label: BIO slots TAB intent)
    xsid/{lang}.{test,valid}.conll   xSID evaluation data per language
"""

from __future__ import annotations

import csv
import json
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

OOS = "oos"
XSID_LANGUAGES = ("en", "zh", "ar", "de", "ja", "tr", "kk", "id")
# The xSID authors map Snips' GetWeather onto Facebook's weather/find (scripts/mapping.txt
# in mainlp/xsid); the evaluation files only know weather/find.
XSID_INTENT_MAPPING = {"GetWeather": "weather/find"}


@dataclass(frozen=True)
class Entity:
    """One annotated entity: a character span and its type."""

    start: int
    end: int
    entity: str
    value: str


@dataclass(frozen=True)
class Example:
    """One message with its intent and (optionally) its entities."""

    text: str
    intent: str
    entities: tuple[Entity, ...] = ()


@dataclass
class Benchmark:
    """A dataset ready to train on and to test."""

    name: str
    train: list[Example]
    tests: dict[str, list[Example]]
    validation: dict[str, list[Example]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def has_entities(self) -> bool:
        return any(example.entities for example in self.train)


def _pairs(rows: Iterable[Sequence[str]]) -> list[Example]:
    return [Example(text.strip(), intent) for text, intent in rows if text.strip()]


def load_clinc150(folder: Path) -> Benchmark:
    """CLINC150 full split; the 100 out-of-scope training examples form the class "oos"."""
    data = json.loads((folder / "data_full.json").read_text(encoding="utf-8"))
    return Benchmark(
        name="CLINC150",
        train=_pairs(data["train"]) + _pairs(data["oos_train"]),
        tests={"test": _pairs(data["test"]) + _pairs(data["oos_test"])},
        validation={"val": _pairs(data["val"]) + _pairs(data["oos_val"])},
        notes=["CLINC150 full split, oos-train setting: 'oos' trained as an ordinary intent"],
    )


def load_banking77(folder: Path) -> Benchmark:
    """BANKING77; it has no validation split (`holdout` carves one out of train)."""

    def read(name: str) -> list[Example]:
        with (folder / name).open(encoding="utf-8", newline="") as handle:
            return [Example(row["text"].strip(), row["category"])
                    for row in csv.DictReader(handle) if row["text"].strip()]

    return Benchmark(name="BANKING77", train=read("train.csv"), tests={"test": read("test.csv")})


def _rasa_json_examples(path: Path) -> list[Example]:
    data = json.loads(path.read_text(encoding="utf-8"))["rasa_nlu_data"]
    examples = []
    for item in data.get("common_examples", []):
        entities = tuple(
            Entity(e["start"], e["end"], e["entity"], str(e.get("value", "")))
            for e in item.get("entities") or []
        )
        examples.append(Example(item["text"], item["intent"], entities))
    return examples


def hwu64_folds(folder: Path) -> list[int]:
    """The fold numbers present under hwu64/rasa_10fold."""
    return sorted(int(p.name.split("_")[1]) for p in (folder / "rasa_10fold").glob("KFold_*")
                  if (p / "train.json").exists() and (p / "test.json").exists())


def load_hwu64(folder: Path, fold: int) -> Benchmark:
    """One official HWU64 fold (train/test in Rasa's legacy JSON, with entities)."""
    fold_dir = folder / "rasa_10fold" / f"KFold_{fold}"
    return Benchmark(
        name=f"HWU64 fold {fold}",
        train=_rasa_json_examples(fold_dir / "train.json"),
        tests={"test": _rasa_json_examples(fold_dir / "test.json")},
        notes=["HWU64: the folds' regex_features are not used (neither pipeline has a "
               "RegexFeaturizer)"],
    )


def read_conll(path: Path) -> list[Example]:
    """Text and intent of each sentence of an xSID .conll file (slots are not needed)."""
    examples = []
    text = intent = None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if text and intent:
                examples.append(Example(text, XSID_INTENT_MAPPING.get(intent, intent)))
            text = intent = None
        elif line.startswith("# text = "):
            text = line[len("# text = "):].strip()
        elif line.startswith("# intent = "):
            intent = line[len("# intent = "):].strip()
    return examples


def read_xsid_train(folder: Path) -> list[Example]:
    """en.train.text with the intent from the last tab field of en.train.label."""
    texts = (folder / "en.train.text").read_text(encoding="utf-8").splitlines()
    labels = (folder / "en.train.label").read_text(encoding="utf-8").splitlines()
    if len(texts) != len(labels):
        raise ValueError(f"xSID: {len(texts)} texts but {len(labels)} labels")
    examples = []
    for text, label in zip(texts, labels):
        intent = label.rsplit("\t", 1)[-1].strip()
        if text.strip() and intent:
            examples.append(Example(text.strip(), XSID_INTENT_MAPPING.get(intent, intent)))
    return examples


def load_xsid(folder: Path, languages: Sequence[str] = XSID_LANGUAGES,
              train_lines: int | None = None, seed: int = 42) -> Benchmark:
    """xSID: English training data, one test (and validation) set per language.

    `train_lines` draws a stratified random sample of that many training lines.
    """
    train = read_xsid_train(folder)
    notes = ["xSID: GetWeather mapped to weather/find as in the xSID repository's "
             "scripts/mapping.txt; intents only (slots not trained)"]
    if train_lines and train_lines < len(train):
        notes.append(f"xSID: trained on a stratified sample of {train_lines:,} of "
                     f"{len(train):,} English training lines")
        train = stratified_sample(train, train_lines, seed)
    tests, validation = {}, {}
    for language in languages:
        test, valid = folder / f"{language}.test.conll", folder / f"{language}.valid.conll"
        if test.exists():
            tests[language] = read_conll(test)
        if valid.exists():
            validation[language] = read_conll(valid)
    return Benchmark(name="xSID", train=train, tests=tests, validation=validation, notes=notes)


def stratified_sample(examples: Sequence[Example], size: int, seed: int = 42) -> list[Example]:
    """About `size` examples with each intent's share kept (at least one per intent)."""
    if size >= len(examples):
        return list(examples)
    by_intent: dict[str, list[Example]] = defaultdict(list)
    for example in examples:
        by_intent[example.intent].append(example)
    rng = random.Random(seed)
    sample: list[Example] = []
    for intent in sorted(by_intent):
        group = by_intent[intent]
        take = max(1, round(len(group) * size / len(examples)))
        sample += rng.sample(group, min(take, len(group)))
    rng.shuffle(sample)
    return sample


def holdout(examples: Sequence[Example], fraction: float = 0.1, seed: int = 42
            ) -> tuple[list[Example], list[Example]]:
    """A stratified (train, validation) split of training data, for tuning."""
    by_intent: dict[str, list[Example]] = defaultdict(list)
    for example in examples:
        by_intent[example.intent].append(example)
    rng = random.Random(seed)
    train: list[Example] = []
    validation: list[Example] = []
    for intent in sorted(by_intent):
        group = list(by_intent[intent])
        rng.shuffle(group)
        cut = round(len(group) * fraction) if len(group) > 1 else 0
        validation += group[:cut]
        train += group[cut:]
    return train, validation


def shrink(benchmark: Benchmark, intents: int, per_intent: int, per_test: int,
           keep: Iterable[str] = (OOS,)) -> Benchmark:
    """A tiny copy for smoke runs: the first `intents` intents (plus `keep`), a few
    examples each."""
    names = sorted({e.intent for e in benchmark.train} - set(keep))[:intents]
    chosen = set(names) | ({e.intent for e in benchmark.train} & set(keep))

    def take(examples: list[Example], limit: int) -> list[Example]:
        counts: dict[str, int] = defaultdict(int)
        picked = []
        for example in examples:
            if example.intent in chosen and counts[example.intent] < limit:
                counts[example.intent] += 1
                picked.append(example)
        return picked

    return Benchmark(
        name=benchmark.name,
        train=take(benchmark.train, per_intent),
        tests={k: take(v, per_test) for k, v in benchmark.tests.items()},
        validation={k: take(v, per_test) for k, v in benchmark.validation.items()},
        notes=[*benchmark.notes, f"smoke subset: {len(chosen)} intents"],
    )


def to_rasa_json(examples: Iterable[Example], label: dict[str, str] | None = None) -> dict:
    """Rasa's JSON training data format; `label` renames intents (Rasa reads a "/" in an
    intent name as a retrieval intent, so xSID's "alarm/set_alarm" must be renamed)."""
    label = label or {}
    return {"rasa_nlu_data": {"common_examples": [
        {"text": e.text, "intent": label.get(e.intent, e.intent),
         "entities": [{"start": x.start, "end": x.end, "value": x.value, "entity": x.entity}
                      for x in e.entities]}
        for e in examples
    ]}}
