"""Statistical secrecy of the report's tables: primary and complementary suppression (pure, no ORM).

A cell about 1 to 4 households is masked (primary). Then, wherever cells are tied by an additive
equation that a reader can write from the table — a row's total is the sum of its tracks, or of its
départements; a column's total row is the sum of the rows that split it — a masked cell would be
recovered by subtraction if it were the only masked cell of that equation. So, while some equation
has exactly one masked cell, the smallest visible cell of that equation is masked too (complementary
suppression: the smallest non-zero one first, since masking a zero protects nothing when every
masked cell of an equation could be zero). The rule is written in docs/domain.md ("Secret statistique").

The cells are any hashable keys; `values` gives each cell's number of households (the size used for
the primary rule and to choose the next smallest); `equations` lists the groups of cells tied by one
linear equation (the signs do not matter for the rule).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence

SMALL = 5
PRIMARY = "primary"
SECONDARY = "secondary"


def is_small(n: int | None) -> bool:
    return n is not None and 0 < n < SMALL


def suppress(values: Mapping[Hashable, int], equations: Iterable[Sequence[Hashable]], *,
             small: int = SMALL) -> dict[Hashable, str]:
    """{cell: "primary" | "secondary"} for every masked cell.

    Terminates: each round masks one more cell, and there are finitely many. Deterministic: ties
    between equally small cells go to the one listed first in the equation."""
    masked: dict[Hashable, str] = {cell: PRIMARY for cell, n in values.items() if n is not None and 0 < n < small}
    groups = [list(dict.fromkeys(cell for cell in eq if cell in values)) for eq in equations]
    groups = [g for g in groups if len(g) > 1]
    changed = True
    while changed:
        changed = False
        for group in groups:
            hidden = [cell for cell in group if cell in masked]
            if len(hidden) != 1:
                continue
            visible = [(i, cell) for i, cell in enumerate(group) if cell not in masked]
            # Next smallest: non-zero cells first, then the smallest, then the first listed.
            _i, chosen = min(visible, key=lambda ic: (values[ic[1]] == 0, values[ic[1]], ic[0]))
            masked[chosen] = SECONDARY
            changed = True
    return masked


def derivable(values: Mapping[Hashable, int], masked: Iterable[Hashable],
              equations: Iterable[Sequence[Hashable]]) -> set[Hashable]:
    """Masked cells a reader recovers by subtraction within one equation: the only masked cell of it."""
    masked = set(masked)
    found: set[Hashable] = set()
    for eq in equations:
        group = [cell for cell in dict.fromkeys(eq) if cell in values]
        hidden = [cell for cell in group if cell in masked]
        if len(hidden) == 1:
            found.add(hidden[0])
    return found
