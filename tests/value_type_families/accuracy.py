"""Judge a labelled book and score it: accuracy, recall per type, the confusion matrix.

Used by the accuracy tests (which print every family's matrix) and by hand:

    uv run python -m tests.value_type_families.accuracy
"""

from __future__ import annotations

import collections
from collections.abc import Callable
from dataclasses import dataclass

import pyarrow as pa

from kundenbild.analytics.analysis import analyze_lines
from kundenbild.analytics.config import AnalysisConfig
from kundenbild.analytics.io.lines import LINE_SCHEMA
from tests.value_type_families import SHAPES, LabelledBook

JUDGED = (*SHAPES, "insufficient_history")


@dataclass(frozen=True)
class Score:
    family: str
    pairs: collections.Counter[tuple[str, str]]  # (label, judged) -> customers

    @property
    def customers(self) -> int:
        return sum(self.pairs.values())

    @property
    def accuracy(self) -> float:
        right = sum(n for (label, judged), n in self.pairs.items() if label == judged)
        return right / max(self.customers, 1)

    def recall(self, shape: str) -> float:
        total = sum(n for (label, _), n in self.pairs.items() if label == shape)
        return self.pairs[(shape, shape)] / max(total, 1)

    def matrix(self) -> str:
        """The confusion matrix as text: one row per label, one column per judged type."""
        head = f"{self.family}: accuracy {self.accuracy:.1%} over {self.customers} customers"
        rows = [head, "label \\ judged " + " ".join(f"{t[:9]:>9}" for t in JUDGED) + "  recall"]
        for label in SHAPES:
            cells = " ".join(f"{self.pairs[(label, t)]:>9}" for t in JUDGED)
            rows.append(f"{label:<14} {cells}  {self.recall(label):6.1%}")
        return "\n".join(rows)


def as_line_table(lines: pa.Table) -> pa.Table:
    """A family's lines in the analysis' line schema."""
    n = lines.num_rows
    return pa.table(
        {
            "customer_number": lines.column("customer_id"),
            "invoice_number": lines.column("invoice_id"),
            "invoice_date": lines.column("date"),
            "article_number": lines.column("offering"),
            "quantity": pa.nulls(n, pa.float64()),
            "net_revenue": lines.column("revenue"),
            "cost_of_goods": lines.column("cost"),
        },
        schema=LINE_SCHEMA,
    )


def score(family: str, book: LabelledBook, config: AnalysisConfig | None = None) -> Score:
    """Analyse the book as of its labelled window's end and compare with the labels."""
    result = analyze_lines(as_line_table(book.lines), as_of=book.as_of, config=config).table
    judged = dict(
        zip(
            result.column("customer_id").to_pylist(),
            result.column("value_type").to_pylist(),
            strict=True,
        )
    )
    pairs = collections.Counter((book.labels[c], judged.get(c, "none")) for c in book.labels)
    return Score(family, pairs)


# one seed's 600 customers move the accuracy by a point or two from the next seed's:
# every generated family is judged on four books, pooled (2,400 customers)
SEEDS = (2027, 2028, 2029, 2030)


def score_seeds(
    family: str,
    generate: Callable[..., LabelledBook],
    variant: str,
    seeds: tuple[int, ...] = SEEDS,
) -> Score:
    """One confusion matrix over the books of several seeds."""
    pairs: collections.Counter[tuple[str, str]] = collections.Counter()
    for seed in seeds:
        pairs += score(family, generate(variant=variant, seed=seed)).pairs
    return Score(f"{family} (seeds {', '.join(map(str, seeds))})", pairs)


def main() -> None:
    """Print every family's confusion matrix, pooled over `SEEDS` as the tests do."""
    from tests.value_type_families import demo, external, profiles, renewal

    for module, variants in ((profiles, profiles.VARIANTS), (renewal, renewal.VARIANTS)):
        for variant in variants:
            name = f"{module.__name__.rsplit('.', 1)[-1]}:{variant}"
            print(score_seeds(name, module.generate, variant).matrix(), "\n")
    print(score_seeds("demo:clean", demo.generate, "clean").matrix(), "\n")
    print(score("external:orders", external.generate()).matrix())


if __name__ == "__main__":
    main()
