"""What the places (GeoNames cities and regions) cost the gazetteer, and what it resolves alone.

    .venv/bin/python -m benchmarks.places            # table
    .venv/bin/python -m benchmarks.places --json

Issue 9's targets: at most 3 ms of extra parse time per message and 150 MB of extra memory.
Both gazetteers are built here, the foundation's (countries, sectors, vocabularies, parks:
`build_gazetteer(cities=False, regions=False)`) and the full one, and the EntityNormalizer's
work (`normalize_entities`, which is all the places add to a parse) is timed on every
held-out message of the six languages with each. Tokenizing is done once beforehand: it is
the same with and without places. Memory is what the full gazetteer retains beyond the
foundation's, by tracemalloc (Python allocations, exact) and by resident set size (what the
process really grows by, allocator slack included).

No model is needed; `benchmarks/nlu_eval.py` prints the same figures after its evaluation.
With `tests/nlu/places/<lang>.yml` present it also reports how many place cases the
gazetteer resolves without DIET (a floor for the trained model's place accuracy).
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
import tracemalloc
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from locales import SUPPORTED_LANGUAGES
from nlu import evaluation, places, vocabularies
from nlu.components.entity_normalizer import EntityNormalizer, normalize_entities
from nlu.components.tokenizer import tokenize_text
from nlu.gazetteer import Gazetteer
from nlu.languages import detect_language

TARGET_MS_PER_MESSAGE = 3.0
TARGET_MB = 150.0
PLACE_ENTITIES = {"region", "city"}


@dataclass
class PlacesCost:
    """The figures of one run."""

    messages: int
    baseline_ms: float                # normalize_entities per message, foundation gazetteer
    full_ms: float                    # the same with cities and regions
    extra_ms: float                   # full - baseline (mean per message)
    extra_p95_ms: float               # 95th percentile of the per-message difference
    extra_traced_mb: float            # Python allocations retained by cities and regions
    extra_rss_mb: float               # resident set size growth of building them
    names_baseline: int
    names_full: int
    index_seconds: float              # loading the compiled city index
    index_from_cache: bool
    place_accuracy: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def within_targets(self) -> bool:
        return self.extra_ms <= TARGET_MS_PER_MESSAGE and max(
            self.extra_traced_mb, self.extra_rss_mb) <= TARGET_MB


def _rss_mb() -> float:
    """The current resident set size (not the peak: the delta of one build is wanted)."""
    with open("/proc/self/statm", encoding="ascii") as handle:
        pages = int(handle.read().split()[1])
    import resource

    return pages * resource.getpagesize() / 2**20


def _build() -> tuple[Gazetteer, Gazetteer, float, float]:
    """Fresh foundation and full gazetteers (not the process's cached ones), and the MB
    the full one retains beyond the foundation's: resident (first, untraced: tracemalloc's
    own bookkeeping would inflate it) and traced (a second build under tracemalloc)."""

    def build_both() -> tuple[Gazetteer, float, Gazetteer, float]:
        baseline = vocabularies.build_gazetteer.__wrapped__(cities=False, regions=False)
        gc.collect()
        before = tracemalloc.get_traced_memory()[0] if tracemalloc.is_tracing() else 0
        rss_before = _rss_mb()
        places.load_index.cache_clear()  # count the city index, even if loaded before
        full = vocabularies.build_gazetteer.__wrapped__(cities=True, regions=True)
        gc.collect()
        traced = (tracemalloc.get_traced_memory()[0] - before) / 2**20 \
            if tracemalloc.is_tracing() else 0.0
        return baseline, _rss_mb() - rss_before, full, traced

    baseline, rss_mb, full, _ = build_both()
    del baseline, full
    gc.collect()
    tracemalloc.start()
    try:
        baseline, _, full, traced_mb = build_both()
    finally:
        tracemalloc.stop()
    return baseline, full, traced_mb, rss_mb


def _messages(languages: list[str]) -> list[str]:
    texts: list[str] = []
    for language in languages:
        texts += [e.text for e in evaluation.load_examples(language)]
        texts += [e.text for e in evaluation.load_place_examples(language)]
    return texts


def _time(gazetteer: Gazetteer, detected: set[str], prepared: list[tuple[str, set[int]]],
          normalized: set[str], repeats: int) -> list[float]:
    """Seconds per message (the best of `repeats` runs of each, to shed scheduler noise)."""
    times = []
    for text, boundaries in prepared:
        best = float("inf")
        for _ in range(repeats):
            started = time.perf_counter()
            normalize_entities(text, [], gazetteer, normalized, detected, boundaries)
            best = min(best, time.perf_counter() - started)
        times.append(best)
    return times


def _place_accuracy(gazetteer: Gazetteer, normalized: set[str], detected: set[str],
                    languages: list[str]) -> dict[str, dict[str, Any]]:
    """The held-out place cases the gazetteer resolves on its own, per language."""
    results = {}
    for language in languages:
        examples = evaluation.load_place_examples(language)
        if not examples:
            continue
        parses = []
        for example in examples:
            tokens = tokenize_text(example.text, language)
            boundaries = {t.start for t in tokens} | {t.end for t in tokens}
            parses.append({"entities": normalize_entities(
                example.text, [], gazetteer, normalized, detected, boundaries)})
        report = evaluation.score_places(examples, parses)
        results[language] = {**report.as_dict(), "errors": report.errors[:10]}
    return results


def measure(languages: list[str] | None = None, repeats: int = 3) -> PlacesCost:
    """Build both gazetteers and time them on the held-out messages."""
    languages = languages or list(SUPPORTED_LANGUAGES)
    baseline, full, traced_mb, rss_mb = _build()
    config = EntityNormalizer.get_default_config()
    normalized = set(config["normalized_entities"])
    detected = set(config["detected_entities"])
    prepared = []
    for text in _messages(languages):
        tokens = tokenize_text(text, detect_language(text).guess or "en")
        prepared.append((text, {t.start for t in tokens} | {t.end for t in tokens}))
    # warm up (first calls fill caches of the normaliser)
    _time(full, detected, prepared[:50], normalized, 1)
    _time(baseline, detected - PLACE_ENTITIES, prepared[:50], normalized - PLACE_ENTITIES, 1)
    without = _time(baseline, detected - PLACE_ENTITIES, prepared,
                    normalized - PLACE_ENTITIES, repeats)
    with_places = _time(full, detected, prepared, normalized, repeats)
    extra = sorted((w - b) * 1000 for w, b in zip(with_places, without))
    return PlacesCost(
        messages=len(prepared),
        baseline_ms=statistics.fmean(without) * 1000,
        full_ms=statistics.fmean(with_places) * 1000,
        extra_ms=statistics.fmean(extra),
        extra_p95_ms=extra[int(0.95 * (len(extra) - 1))] if extra else 0.0,
        extra_traced_mb=traced_mb, extra_rss_mb=rss_mb,
        names_baseline=len(baseline), names_full=len(full),
        index_seconds=places.LAST_LOAD.seconds, index_from_cache=places.LAST_LOAD.from_cache,
        place_accuracy=_place_accuracy(full, normalized, detected, languages),
    )


def summary(cost: PlacesCost) -> str:
    """Plain-text lines for a report."""
    verdict = "within" if cost.within_targets else "OVER"
    lines = [
        f"places in the gazetteer: {cost.names_full - cost.names_baseline:,} names "
        f"({cost.names_baseline:,} without); city index loaded in {cost.index_seconds:.1f} s "
        f"({'cache' if cost.index_from_cache else 'compiled'})",
        f"extra parse time: {cost.extra_ms:.3f} ms/message (p95 {cost.extra_p95_ms:.3f}; "
        f"{cost.baseline_ms:.3f} -> {cost.full_ms:.3f} ms over {cost.messages} messages)",
        f"extra memory: {cost.extra_traced_mb:.0f} MB traced, {cost.extra_rss_mb:.0f} MB RSS "
        f"({verdict} targets: {TARGET_MS_PER_MESSAGE} ms, {TARGET_MB:.0f} MB)",
    ]
    for language, result in cost.place_accuracy.items():
        categories = ", ".join(f"{c} {v['accuracy']:.2f} ({v['cases']})"
                               for c, v in result["by_category"].items())
        lines.append(f"gazetteer alone, {language} places: {result['accuracy']:.3f} "
                     f"({result['cases']}): {categories}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per message")
    args = parser.parse_args()
    cost = measure(repeats=args.repeats)
    if args.json:
        print(json.dumps({**asdict(cost), "within_targets": cost.within_targets}, indent=2,
                         ensure_ascii=False))
    else:
        print(summary(cost))
    return 0 if cost.within_targets else 1


if __name__ == "__main__":
    sys.exit(main())
