"""NLU quality per language: intent macro-F1, country accuracy and training time.

    .venv/bin/python benchmarks/nlu_eval.py            # evaluate the newest model
    .venv/bin/python benchmarks/nlu_eval.py --train    # train a fresh model (timed), then evaluate

Training with --train uses a fresh Rasa cache so that the time is a real training time.
It also reports the parse time per message and the memory of the loaded model, the place
accuracy per language (tests/nlu/places/<lang>.yml: cities, regions, demonyms), and what the
places cost the gazetteer per message and in memory (`benchmarks/places.py`; --no-places
skips that measurement, which builds the gazetteer twice).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import places as places_benchmark
from bot import training
from bot.settings import PROJECT_DIR, load
from nlu import evaluation


def train_fresh(out: Path) -> tuple[Path, float]:
    settings = load()
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, **settings.environment(), "RASA_CACHE_DIRECTORY": cache}
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "rasa", "train", "--config", "config.yml",
                        "--domain", "domain.yml", "--data", "nlu/data", "bot/dialogue",
                        "--out", str(out)], cwd=PROJECT_DIR, env=env, check=True,
                       stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - started
    return training.newest_model(out), seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train", action="store_true", help="train a fresh model first")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--no-places", action="store_true",
                        help="skip measuring the gazetteer's cost of places")
    args = parser.parse_args()
    seconds = None
    with tempfile.TemporaryDirectory() as out:
        if args.train:
            model, seconds = train_fresh(Path(out))
        else:
            model = training.newest_model()
        if model is None:
            print("No model: run `advisor train` or pass --train", file=sys.stderr)
            if not args.no_places:  # the gazetteer's cost needs no model
                print(places_benchmark.summary(places_benchmark.measure()))
            return 1
        started = time.perf_counter()
        agent = evaluation.load_agent(model)
        load_seconds = time.perf_counter() - started
        started = time.perf_counter()
        reports = evaluation.evaluate_agent(agent)
        parse_seconds = time.perf_counter() - started
    messages = sum(r.examples + (r.places.messages if r.places else 0) for r in reports.values())
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cost = None if args.no_places else places_benchmark.measure()
    if args.json:
        print(json.dumps({"languages": {k: v.as_dict() for k, v in reports.items()},
                          "training_seconds": seconds, "model_load_seconds": load_seconds,
                          "parse_ms_per_message": parse_seconds / messages * 1000,
                          "max_rss_mb": rss_mb,
                          "places_cost": None if cost is None else {
                              **dataclasses.asdict(cost),
                              "within_targets": cost.within_targets}},
                         indent=2, ensure_ascii=False))
        return 0
    print(f"Model: {model.name}")
    print(evaluation.table(reports))
    if seconds is not None:
        print(f"training time: {seconds:.0f} s (fresh cache)")
    print(f"model load: {load_seconds:.1f} s; parse: {parse_seconds / messages * 1000:.1f} ms "
          f"per message over {messages} messages; peak RSS {rss_mb:.0f} MB")
    if cost is not None:
        print(places_benchmark.summary(cost))
    return 0


if __name__ == "__main__":
    sys.exit(main())
