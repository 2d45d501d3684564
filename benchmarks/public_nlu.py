"""Our NLU pipeline and a stock Rasa pipeline on public benchmarks, beside published figures.

    .venv/bin/python benchmarks/public_nlu.py                      # everything (hours)
    .venv/bin/python benchmarks/public_nlu.py --smoke              # tiny subsets, ~1 minute
    .venv/bin/python benchmarks/public_nlu.py --datasets clinc150 banking77 --epochs 30
    .venv/bin/python benchmarks/public_nlu.py --split validation   # for tuning: never test

Two pipelines are trained on each dataset and evaluated on its test split:
  ours   the NLU pipeline of config.yml (read at run time; the response selectors and the
         FallbackClassifier are dropped, the datasets have no retrieval intents and every
         prediction counts; EntityNormalizer runs with empty vocabularies, so it passes
         DIET's entities through; the LanguageDetector's `language` entity is not scored)
  stock  WhitespaceTokenizer, CountVectorsFeaturizer on words and on char_wb 1-4 grams,
         DIETClassifier with Rasa's defaults
DIET's epochs are set by --epochs for both pipelines (the same number; random seed 42).
--smoke also runs DIET eagerly (no tf.function tracing: faster on tiny data, same model).

Datasets (../shared/benchmarks, see its README; a missing folder is skipped):
  CLINC150   full split, oos-train setting: in-scope accuracy, out-of-scope recall
  BANKING77  accuracy
  HWU64      official folds (--hwu64-folds): intent and entity micro-F1, mean over folds
  xSID       trained on English, zero-shot intent accuracy on en zh ar de ja tr kk id
Each training uses a fresh RASA_CACHE_DIRECTORY under a temporary folder; nothing is
written into the repository. Prints figures only: nothing is asserted.
"""

from __future__ import annotations

import argparse
import copy
import json
import logging
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))
sys.dont_write_bytecode = True  # temporary folders only: no __pycache__ in the repository

from benchmarks import public_data as data  # noqa: E402
from benchmarks.public_data import OOS, Benchmark, Example  # noqa: E402

DEFAULT_DATA_DIR = PROJECT_DIR.parent / "shared" / "benchmarks"
DEFAULT_CONFIG = PROJECT_DIR / "config.yml"
DATASETS = ("clinc150", "banking77", "hwu64", "xsid")
PIPELINES = ("ours", "stock")
DIET = "DIETClassifier"
# Dropped from "ours": nothing to select (no retrieval intents), and every prediction counts.
DROPPED_COMPONENTS = {"ResponseSelector", "FallbackClassifier"}
SEED = 42

# Published figures (../shared/benchmarks/README.md), as fractions.
PUBLISHED = {
    ("CLINC150", "in-scope accuracy"):
        "BERT .969, Rasa-2019 .915 (Larson+19); USE+ConveRT .972 (Casanueva+20)",
    ("CLINC150", "out-of-scope recall"): "BERT .403, USE-MLP .474, Rasa-2019 .453 (Larson+19)",
    ("BANKING77", "accuracy"): "BERT-tuned .937, USE .928, USE+ConveRT .934 (Casanueva+20)",
    ("HWU64", "intent micro-F1"):
        "acc. on another split: USE .913, USE+ConveRT .926 (Casanueva+20)",
    ("HWU64", "entity micro-F1 (exact span)"): "-",
    ("HWU64", "entity micro-F1 (token, rasa test)"): "-",
}
# xSID, English training only, intent accuracy on the dev split of v0.1 (van der Goot+21):
# the mBERT baseline, and their best (translation-based) transfer.
XSID_MBERT = {"en": 0.997, "de": 0.742, "id": 0.807, "ar": 0.631, "zh": 0.833, "kk": 0.601,
              "tr": 0.747, "ja": 0.539}
XSID_BEST = {"de": 0.975, "id": 0.981, "ar": 0.892, "zh": 0.973, "tr": 0.983, "ja": 0.788}

logger = logging.getLogger("public_nlu")


@dataclass
class Prediction:
    """What a model said about one message."""

    intent: str | None
    confidence: float
    entities: list[dict[str, Any]]
    tokens: list[Any]


@dataclass
class Run:
    """One training of one pipeline on one dataset, and its evaluation time."""

    dataset: str
    pipeline: str
    train_examples: int
    epochs: int
    train_seconds: float
    test_messages: int
    parse_ms_per_message: float


@dataclass
class Row:
    """One line of the results table."""

    dataset: str
    metric: str
    values: dict[str, float | None]
    published: str = "-"
    # training seconds per pipeline (summed over folds), for the table's last column
    train_seconds: dict[str, float] = field(default_factory=dict)
    # per-fold values (HWU64), so that means can be shown with their spread
    samples: dict[str, list[float]] = field(default_factory=dict)


# --------------------------------------------------------------------------- pipelines


def ours_config(config_path: Path, epochs: int, eager: bool = False) -> dict[str, Any]:
    """The NLU part of config.yml, made fit for a benchmark (see the module docstring);
    `eager` runs DIET without tf.function tracing (smoke runs)."""
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    pipeline = []
    for component in config["pipeline"]:
        component = copy.deepcopy(component)
        name = component["name"].rsplit(".", 1)[-1]
        if name in DROPPED_COMPONENTS:
            continue
        if name == DIET:
            component["epochs"] = epochs
            component.setdefault("random_seed", SEED)
            if eager:
                component["run_eagerly"] = True
        if name == "EntityNormalizer":
            # Our vocabularies (countries, sectors...) are not the benchmarks' entities.
            component["normalized_entities"] = []
            component["detected_entities"] = []
        pipeline.append(component)
    return {"recipe": config.get("recipe", "default.v1"), "language": config.get("language", "en"),
            "pipeline": pipeline}


def stock_config(epochs: int, eager: bool = False) -> dict[str, Any]:
    """A stock Rasa 3.6 pipeline: whitespace tokens, word and char_wb 1-4 counts, DIET."""
    diet: dict[str, Any] = {"name": DIET, "epochs": epochs, "random_seed": SEED}
    if eager:
        diet["run_eagerly"] = True
    return {"recipe": "default.v1", "language": "en", "pipeline": [
        {"name": "WhitespaceTokenizer"},
        {"name": "CountVectorsFeaturizer"},
        {"name": "CountVectorsFeaturizer", "analyzer": "char_wb", "min_ngram": 1,
         "max_ngram": 4},
        diet,
    ]}


# --------------------------------------------------------------------------- train, parse


def rasa_labels(examples: Sequence[Example]) -> dict[str, str]:
    """Intent names Rasa accepts ("/" marks retrieval intents): original -> Rasa name."""
    return {name: name.replace("/", "__") for name in {e.intent for e in examples}}


def train(config: dict[str, Any], examples: Sequence[Example], labels: dict[str, str],
          workdir: Path) -> tuple[Path, float]:
    """Train an NLU model in `workdir` with a fresh Rasa cache; (model, seconds)."""
    from rasa.model_training import train_nlu

    workdir.mkdir(parents=True, exist_ok=True)
    config_file, data_file = workdir / "config.yml", workdir / "nlu.json"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    data_file.write_text(json.dumps(data.to_rasa_json(examples, labels), ensure_ascii=False),
                         encoding="utf-8")
    cache = workdir / "rasa-cache"
    previous = os.environ.get("RASA_CACHE_DIRECTORY")
    os.environ["RASA_CACHE_DIRECTORY"] = str(cache)
    try:
        started = time.perf_counter()
        model = train_nlu(str(config_file), str(data_file), str(workdir / "models"),
                          fixed_model_name="model")
        seconds = time.perf_counter() - started
    finally:
        if previous is None:
            os.environ.pop("RASA_CACHE_DIRECTORY", None)
        else:
            os.environ["RASA_CACHE_DIRECTORY"] = previous
    if model is None:
        raise RuntimeError(f"Rasa trained no model in {workdir}")
    return Path(model), seconds


class Parser:
    """Runs the NLU graph of a trained model on batches of messages."""

    def __init__(self, model: Path, storage: Path) -> None:
        from rasa.engine.loader import load_predict_graph_runner
        from rasa.engine.runner.dask import DaskGraphRunner
        from rasa.engine.storage.local_model_storage import LocalModelStorage

        storage.mkdir(parents=True, exist_ok=True)
        self._metadata, self._runner = load_predict_graph_runner(
            storage, model, LocalModelStorage, DaskGraphRunner)

    def parse(self, texts: Sequence[str], batch_size: int = 128) -> list[Prediction]:
        from rasa.core.channels.channel import UserMessage
        from rasa.engine.constants import PLACEHOLDER_MESSAGE, PLACEHOLDER_TRACKER
        from rasa.nlu.constants import TOKENS_NAMES
        from rasa.shared.core.trackers import DialogueStateTracker
        from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT

        tracker = DialogueStateTracker.from_events("benchmark", [])
        target = self._metadata.nlu_target
        predictions = []
        for start in range(0, len(texts), batch_size):
            batch = [UserMessage(text) for text in texts[start: start + batch_size]]
            results = self._runner.run(
                inputs={PLACEHOLDER_MESSAGE: batch, PLACEHOLDER_TRACKER: tracker},
                targets=[target])[target]
            for message in results:
                intent = message.get(INTENT) or {}
                predictions.append(Prediction(
                    intent=intent.get("name"), confidence=float(intent.get("confidence") or 0),
                    entities=[e for e in message.get(ENTITIES) or []
                              if e.get("extractor") == DIET],
                    tokens=message.get(TOKENS_NAMES[TEXT]) or []))
        return predictions


# --------------------------------------------------------------------------- metrics


def accuracy(expected: Sequence[str], predicted: Sequence[str | None]) -> float:
    return sum(e == p for e, p in zip(expected, predicted)) / max(1, len(expected))


def entity_span_f1(examples: Sequence[Example], predictions: Sequence[Prediction]) -> float:
    """Micro-F1 over entities; a prediction counts when type, start and end all match."""
    gold = {(i, x.start, x.end, x.entity) for i, e in enumerate(examples) for x in e.entities}
    found = {(i, p["start"], p["end"], p["entity"])
             for i, pred in enumerate(predictions) for p in pred.entities}
    right = len(gold & found)
    if not gold and not found:
        return 1.0
    return 2 * right / (len(gold) + len(found))


def entity_token_f1(examples: Sequence[Example], predictions: Sequence[Prediction]) -> float:
    """Micro-F1 over entity labels of tokens, as `rasa test nlu` aligns them (its
    "micro avg" row; tokens outside every entity are excluded)."""
    from rasa.nlu.test import (
        NO_ENTITY,
        EntityEvaluationResult,
        align_entity_predictions,
        substitute_labels,
    )
    from rasa.shared.nlu.constants import NO_ENTITY_TAG
    from sklearn.metrics import f1_score

    targets: list[str] = []
    predicted: list[str] = []
    for example, prediction in zip(examples, predictions):
        gold = [{"start": x.start, "end": x.end, "entity": x.entity, "value": x.value}
                for x in example.entities]
        aligned = align_entity_predictions(
            EntityEvaluationResult(gold, prediction.entities, prediction.tokens, example.text),
            {DIET})
        targets += aligned["target_labels"]
        predicted += aligned["extractor_labels"][DIET]
    # Aligned tokens outside every entity are labelled "O" (NO_ENTITY_TAG); `rasa test`
    # renames that label to "no_entity" before leaving it out of the scores. Without the
    # renaming, "O" counted as an entity type: a model that found no entity at all scored
    # the share of non-entity tokens, one that tagged every token scored near 0.
    targets = substitute_labels(targets, NO_ENTITY_TAG, NO_ENTITY)
    predicted = substitute_labels(predicted, NO_ENTITY_TAG, NO_ENTITY)
    labels = sorted(set(targets + predicted) - {NO_ENTITY})
    if not labels:
        return 1.0
    return float(f1_score(targets, predicted, labels=labels, average="micro", zero_division=0))


# --------------------------------------------------------------------------- benchmarks


@dataclass
class Context:
    """Options shared by every benchmark run."""

    pipelines: Sequence[str]
    configs: dict[str, dict[str, Any]]
    epochs: int
    split: str
    workdir: Path
    runs: list[Run] = field(default_factory=list)


def train_and_parse(context: Context, benchmark: Benchmark, train_set: Sequence[Example],
                    tests: dict[str, list[Example]]
                    ) -> dict[str, dict[str, list[Prediction]]]:
    """Train each pipeline once on `train_set`; predictions per pipeline and test set."""
    labels = rasa_labels(train_set)
    back = {v: k for k, v in labels.items()}
    out: dict[str, dict[str, list[Prediction]]] = {}
    for pipeline in context.pipelines:
        slug = f"{benchmark.name.lower().replace(' ', '-')}-{pipeline}"
        workdir = context.workdir / slug
        print(f"[{time.strftime('%H:%M:%S')}] training {pipeline} on {benchmark.name} "
              f"({len(train_set):,} examples, {context.epochs} epochs)", flush=True)
        model, seconds = train(context.configs[pipeline], train_set, labels, workdir)
        parser = Parser(model, workdir / "loaded")
        started = time.perf_counter()
        out[pipeline] = {}
        for name, examples in tests.items():
            predictions = parser.parse([e.text for e in examples])
            for prediction in predictions:
                prediction.intent = back.get(prediction.intent or "", prediction.intent)
            out[pipeline][name] = predictions
        messages = sum(len(v) for v in tests.values())
        parse_ms = (time.perf_counter() - started) / max(1, messages) * 1000
        context.runs.append(Run(benchmark.name, pipeline, len(train_set), context.epochs,
                                seconds, messages, parse_ms))
        print(f"[{time.strftime('%H:%M:%S')}]   trained in {seconds:.0f} s; parsed "
              f"{messages:,} messages at {parse_ms:.1f} ms each", flush=True)
    return out


def evaluation_sets(context: Context, benchmark: Benchmark
                    ) -> tuple[list[Example], dict[str, list[Example]]]:
    """(training data, evaluation sets) for the chosen split. Validation uses the
    dataset's own validation data, or 10 % of the training data held out."""
    if context.split == "test":
        return benchmark.train, benchmark.tests
    if benchmark.validation:
        return benchmark.train, benchmark.validation
    train_set, held_out = data.holdout(benchmark.train, 0.1, SEED)
    return train_set, {"validation": held_out}


def values(results: dict[str, dict[str, list[Prediction]]], test: str,
           metric: Callable[[list[Prediction]], float]) -> dict[str, float | None]:
    return {p: metric(by_set[test]) for p, by_set in results.items()}


def run_clinc150(context: Context, benchmark: Benchmark) -> list[Row]:
    train_set, tests = evaluation_sets(context, benchmark)
    (name, examples), = tests.items()
    results = train_and_parse(context, benchmark, train_set, {name: examples})
    in_scope = [i for i, e in enumerate(examples) if e.intent != OOS]
    oos = [i for i, e in enumerate(examples) if e.intent == OOS]

    def in_scope_accuracy(preds: list[Prediction]) -> float:
        return accuracy([examples[i].intent for i in in_scope], [preds[i].intent for i in in_scope])

    def oos_recall(preds: list[Prediction]) -> float:
        return sum(preds[i].intent == OOS for i in oos) / max(1, len(oos))

    return [
        Row(benchmark.name, "in-scope accuracy", values(results, name, in_scope_accuracy),
            PUBLISHED[(benchmark.name, "in-scope accuracy")]),
        Row(benchmark.name, "out-of-scope recall", values(results, name, oos_recall),
            PUBLISHED[(benchmark.name, "out-of-scope recall")]),
    ]


def run_banking77(context: Context, benchmark: Benchmark) -> list[Row]:
    train_set, tests = evaluation_sets(context, benchmark)
    (name, examples), = tests.items()
    results = train_and_parse(context, benchmark, train_set, {name: examples})
    expected = [e.intent for e in examples]
    return [Row(benchmark.name, "accuracy",
                values(results, name, lambda preds: accuracy(expected, [p.intent for p in preds])),
                PUBLISHED[(benchmark.name, "accuracy")])]


def run_hwu64(context: Context, folds: list[Benchmark]) -> list[Row]:
    metrics: dict[str, Callable[[list[Example], list[Prediction]], float]] = {
        "intent micro-F1": lambda ex, preds: accuracy([e.intent for e in ex],
                                                      [p.intent for p in preds]),
        "entity micro-F1 (exact span)": entity_span_f1,
        "entity micro-F1 (token, rasa test)": entity_token_f1,
    }
    samples: dict[str, dict[str, list[float]]] = {m: {p: [] for p in context.pipelines}
                                                  for m in metrics}
    for fold in folds:
        train_set, tests = evaluation_sets(context, fold)
        (name, examples), = tests.items()
        results = train_and_parse(context, fold, train_set, {name: examples})
        for metric, function in metrics.items():
            for pipeline in context.pipelines:
                samples[metric][pipeline].append(function(examples, results[pipeline][name]))
    label = f"HWU64 ({len(folds)} fold{'s' if len(folds) > 1 else ''})"
    return [Row(label, metric, {p: statistics.mean(v) for p, v in by_pipeline.items()},
                PUBLISHED[("HWU64", metric)], by_pipeline)
            for metric, by_pipeline in samples.items()]


def run_xsid(context: Context, benchmark: Benchmark) -> list[Row]:
    train_set, tests = evaluation_sets(context, benchmark)
    results = train_and_parse(context, benchmark, train_set, tests)
    rows = []
    for language, examples in tests.items():
        expected = [e.intent for e in examples]
        published = f"mBERT {XSID_MBERT[language]:.3f}" if language in XSID_MBERT else "-"
        if language in XSID_BEST:
            published += f", best {XSID_BEST[language]:.3f}"
        rows.append(Row(f"xSID {language}", "intent accuracy",
                        values(results, language,
                               lambda preds, ex=expected: accuracy(ex, [p.intent for p in preds])),
                        published + " (dev v0.1)" if language in XSID_MBERT else published))
    return rows


# --------------------------------------------------------------------------- report


def machine() -> dict[str, Any]:
    """CPU count and model, memory, load: the context every time figure needs."""
    model = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory_gb = None
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    return {"cpus": len(os.sched_getaffinity(0)), "cpu_model": model, "memory_gb": memory_gb,
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "niceness": os.nice(0), "python": platform.python_version()}


def results_table(rows: Sequence[Row], pipelines: Sequence[str]) -> str:
    """The results: dataset, metric, one column per pipeline, published figures."""
    header = ["dataset", "metric", *(("stock Rasa" if p == "stock" else p) for p in pipelines),
              "published", "training time (" + " / ".join(
                  "stock Rasa" if p == "stock" else p for p in pipelines) + ")"]
    lines = [header]
    for row in rows:
        cells = []
        for pipeline in pipelines:
            value = row.values.get(pipeline)
            text = "-" if value is None else f"{value:.3f}"
            spread = row.samples.get(pipeline) or []
            if len(spread) > 1:
                text += f" ±{statistics.stdev(spread):.3f}"
            cells.append(text)
        seconds = " / ".join(f"{row.train_seconds[p]:.0f} s" if p in row.train_seconds
                             else "-" for p in pipelines)
        lines.append([row.dataset, row.metric, *cells, row.published, seconds])
    return markdown(lines)


def runs_table(runs: Sequence[Run]) -> str:
    lines = [["run", "pipeline", "train examples", "epochs", "training time", "parse"]]
    for run in runs:
        lines.append([run.dataset, "stock Rasa" if run.pipeline == "stock" else run.pipeline,
                      f"{run.train_examples:,}", str(run.epochs), f"{run.train_seconds:.0f} s",
                      f"{run.parse_ms_per_message:.1f} ms/msg"])
    return markdown(lines)


def markdown(lines: list[list[str]]) -> str:
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    out = ["| " + " | ".join(c.ljust(w) for c, w in zip(line, widths)) + " |" for line in lines]
    out.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(out)


# --------------------------------------------------------------------------- main


def load_benchmarks(args: argparse.Namespace) -> list[tuple[str, list[Benchmark]]]:
    """The requested datasets that exist under --data-dir (a missing one is reported)."""
    found: list[tuple[str, list[Benchmark]]] = []
    for name in args.datasets:
        folder = args.data_dir / name
        if not folder.is_dir():
            print(f"SKIPPED {name}: no folder {folder}", flush=True)
            continue
        if name == "clinc150":
            benchmarks = [data.load_clinc150(folder)]
        elif name == "banking77":
            benchmarks = [data.load_banking77(folder)]
        elif name == "hwu64":
            available = data.hwu64_folds(folder)
            folds = [f for f in args.hwu64_folds if f in available]
            if not folds:
                print(f"SKIPPED hwu64: folds {args.hwu64_folds} not under {folder}", flush=True)
                continue
            benchmarks = [data.load_hwu64(folder, fold) for fold in folds]
        else:
            benchmarks = [data.load_xsid(folder, args.xsid_languages,
                                         None if args.smoke else args.xsid_train_lines, SEED)]
        if args.smoke:
            benchmarks = [data.shrink(b, intents=3, per_intent=8, per_test=4)
                          for b in benchmarks]
        found.append((name, benchmarks))
    return found


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR,
                        help="folder with clinc150/ banking77/ hwu64/ xsid/ "
                             "(default: ../shared/benchmarks)")
    parser.add_argument("--datasets", nargs="+", choices=DATASETS, default=list(DATASETS))
    parser.add_argument("--pipelines", nargs="+", choices=PIPELINES, default=list(PIPELINES))
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG,
                        help="config whose NLU pipeline is 'ours' (default: config.yml)")
    parser.add_argument("--epochs", type=int, default=None,
                        help="DIET epochs for both pipelines (default 30; 1 with --smoke)")
    parser.add_argument("--hwu64-folds", type=int, nargs="+", default=[1],
                        help="official HWU64 folds to run (default: 1)")
    parser.add_argument("--xsid-train-lines", type=int, default=None,
                        help="stratified sample of xSID's English training lines (default: all)")
    parser.add_argument("--xsid-languages", nargs="+", default=list(data.XSID_LANGUAGES))
    parser.add_argument("--split", choices=("test", "validation"), default="test",
                        help="validation: the datasets' validation data (or 10 %% of train) "
                             "for tuning")
    parser.add_argument("--smoke", action="store_true",
                        help="tiny subsets (3 intents, 8 examples each), 1 epoch, DIET run "
                             "eagerly; HWU64 fold 1 only")
    parser.add_argument("--json-out", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    if args.epochs is None:
        args.epochs = 1 if args.smoke else 30
    if args.smoke:
        args.hwu64_folds = args.hwu64_folds[:1]
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    logging.basicConfig(level=logging.WARNING)
    started = time.perf_counter()
    host = machine()
    benchmarks = load_benchmarks(args)
    if not benchmarks:
        print("No dataset found: nothing to run", file=sys.stderr)
        return 1
    configs = {"ours": ours_config(args.config, args.epochs, eager=args.smoke),
               "stock": stock_config(args.epochs, eager=args.smoke)}
    rows: list[Row] = []
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="public-nlu-") as tmp:
        context = Context(args.pipelines, configs, args.epochs, args.split, Path(tmp))
        for name, loaded in benchmarks:
            for benchmark in loaded:
                notes += [n for n in benchmark.notes if n not in notes]
            first_run = len(context.runs)
            if name == "clinc150":
                new_rows = run_clinc150(context, loaded[0])
            elif name == "banking77":
                new_rows = run_banking77(context, loaded[0])
            elif name == "hwu64":
                new_rows = run_hwu64(context, loaded)
            else:
                new_rows = run_xsid(context, loaded[0])
            seconds: dict[str, float] = {}
            for run in context.runs[first_run:]:
                seconds[run.pipeline] = seconds.get(run.pipeline, 0.0) + run.train_seconds
            for row in new_rows:
                row.train_seconds = dict(seconds)
            rows += new_rows
    total = time.perf_counter() - started
    print()
    print(f"## Public NLU benchmarks ({args.split} split{', SMOKE subsets' if args.smoke else ''})")
    print()
    print(results_table(rows, args.pipelines))
    print()
    print(runs_table(context.runs))
    print()
    print(f"DIET epochs: {args.epochs} for both pipelines"
          f"{' (run eagerly)' if args.smoke else ''}. Published figures as fractions; "
          "training time summed over a dataset's runs (HWU64: over its folds).")
    for note in notes:
        print(f"- {note}")
    print(f"Machine: {host['cpus']} CPUs ({host['cpu_model']}), {host['memory_gb']} GB RAM, "
          f"load average at start {host['load_average']}, niceness {host['niceness']}; "
          f"total run time {total / 60:.1f} min")
    if args.json_out:
        args.json_out.write_text(json.dumps({
            "split": args.split, "smoke": args.smoke, "epochs": args.epochs,
            "rows": [asdict(r) for r in rows], "runs": [asdict(r) for r in context.runs],
            "notes": notes, "machine": host, "total_seconds": round(total, 1),
        }, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
