"""The regression gate: promote a candidate only if no language's intent F1 drops by more
than a margin (absolute F1 points, default 0.01) on the held-out tests.

Scores are rounded to 4 decimals before comparing, so that float noise never decides.
A language the current model was not scored on (new held-out file) cannot regress.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

DEFAULT_MARGIN = 0.01


@dataclass(frozen=True)
class Row:
    """One language's comparison."""

    language: str
    current: float | None
    candidate: float
    delta: float | None
    verdict: str          # better, same, worse (within margin), REGRESSION, new


@dataclass
class GateResult:
    """The per-language comparison and the decision."""

    margin: float
    rows: list[Row] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return all(row.verdict != "REGRESSION" for row in self.rows)

    @property
    def regressions(self) -> list[str]:
        return [row.language for row in self.rows if row.verdict == "REGRESSION"]

    def table(self) -> str:
        lines = [f"{'language':<9} {'current F1':>10} {'candidate F1':>12} {'delta':>8}  verdict",
                 "-" * 56]
        for row in self.rows:
            current = "-" if row.current is None else f"{row.current:.4f}"
            delta = "-" if row.delta is None else f"{row.delta:+.4f}"
            lines.append(f"{row.language:<9} {current:>10} {row.candidate:>12.4f} {delta:>8}  "
                         f"{row.verdict}")
        decision = ("PROMOTE" if self.accepted
                    else "REJECT (" + ", ".join(self.regressions) + " dropped by more than "
                    f"{self.margin:.4f})")
        lines += ["-" * 56, f"margin {self.margin:.4f} -> {decision}"]
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        return {"margin": self.margin, "accepted": self.accepted,
                "rows": [asdict(row) for row in self.rows], "table": self.table()}


def compare(current: dict[str, float] | None, candidate: dict[str, float],
            margin: float = DEFAULT_MARGIN) -> GateResult:
    """Compare per-language intent F1 of the served model and a candidate."""
    if margin < 0:
        raise ValueError("the margin is a tolerated drop: zero or positive")
    result = GateResult(margin)
    for language, new in candidate.items():
        new = round(new, 4)
        old = None if current is None else current.get(language)
        if old is None:
            result.rows.append(Row(language, None, new, None, "new"))
            continue
        old = round(old, 4)
        delta = round(new - old, 4)
        if delta > 0:
            verdict = "better"
        elif delta == 0:
            verdict = "same"
        elif -delta <= round(margin, 4):
            verdict = "worse (within margin)"
        else:
            verdict = "REGRESSION"
        result.rows.append(Row(language, old, new, delta, verdict))
    return result
