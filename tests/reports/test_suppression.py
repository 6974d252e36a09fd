"""Complementary suppression (docs/domain.md, "Secret statistique"): no masked cell can be recovered by
subtraction from the visible cells and totals of its row or its column."""

from hypothesis import given, settings
from hypothesis import strategies as st

from reports import rendering, suppression


def table(parts: list[list[int]]):
    """A table of counts with its margins: cells (i, j), row totals (i, "T"), column totals ("T", j)
    and the grand total ("T", "T"); the equations are each row and each column with its total."""
    values, equations = {}, []
    rows, cols = len(parts), len(parts[0])
    for i in range(rows):
        for j in range(cols):
            values[(i, j)] = parts[i][j]
        values[(i, "T")] = sum(parts[i])
        equations.append([(i, "T")] + [(i, j) for j in range(cols)])
    for j in range(cols):
        values[("T", j)] = sum(parts[i][j] for i in range(rows))
        equations.append([("T", j)] + [(i, j) for i in range(rows)])
    values[("T", "T")] = sum(values[(i, "T")] for i in range(rows))
    equations.append([("T", "T")] + [(i, "T") for i in range(rows)])
    equations.append([("T", "T")] + [("T", j) for j in range(cols)])
    return values, equations


def recoverable(values, masked, equations):
    """Masked cells recovered exactly by subtraction within one equation (the only masked one)."""
    found = set()
    for eq in equations:
        hidden = [c for c in eq if c in masked]
        if len(hidden) == 1:
            found.add(hidden[0])
    return found


counts = st.one_of(st.integers(0, 6), st.integers(0, 60))


@settings(max_examples=400, deadline=None)
@given(st.integers(1, 5).flatmap(lambda cols: st.lists(st.lists(counts, min_size=cols, max_size=cols),
                                                       min_size=1, max_size=6)))
def test_no_masked_cell_is_derivable_from_its_row_or_column(parts):
    values, equations = table(parts)
    masked = suppression.suppress(values, equations)
    # Every small cell is masked; nothing masked can be recovered by subtraction.
    assert {c for c, n in values.items() if 0 < n < 5} <= set(masked)
    assert recoverable(values, masked, equations) == set()
    assert suppression.derivable(values, masked, equations) == set()


def test_the_reported_case_total_11_access_9_maintenance_2():
    values, equations = table([[9, 2]])  # one row: Accès 9, Maintien 2, total 11
    masked = suppression.suppress(values, equations)
    assert masked[(0, 1)] == suppression.PRIMARY
    # Accès is masked with it; the column totals then follow (each column is one cell and its total).
    assert masked[(0, 0)] == suppression.SECONDARY


def test_the_next_smallest_non_zero_cell_is_chosen():
    values, equations = table([[3, 0, 7, 40]])
    masked = suppression.suppress(values, equations)
    assert (0, 2) in masked and (0, 3) not in masked


def figures_with(all_n, access_n, maintenance_n):
    cells = {"all": {"n": all_n}, "track": {"acces": {"n": access_n}, "maintien": {"n": maintenance_n}},
             "dep": {"57": {"n": all_n}}}
    return {"tracks": [{"code": "acces", "name": "Accès"}, {"code": "maintien", "name": "Maintien"}],
            "territories": [{"code": "57", "name": "Moselle"}],
            "indicators": [{"key": "entries", "section": "support", "label": "Entrées", "unit": "households",
                            "rows": [{"key": "total", "label": "Ménages entrés", "unit": "households",
                                      "headline": True, "quarter": cells, "cumulative": None}]}]}


def test_the_report_table_masks_the_complement_and_prints_s():
    figures = figures_with(11, 9, 2)
    rows = rendering._rows(figures, figures["indicators"][0], "quarter")
    assert rows[0]["values"] == ["11", rendering.SECRET, "< 5"]
