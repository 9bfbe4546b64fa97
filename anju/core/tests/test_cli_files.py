"""The whole-column readers of `anju.core.cli_files` give exactly what the per-cell
`cell_text` gives: they are a speed-up for the CLIs (defect 10 of issue 13), not a second
reading of the cells."""

from hypothesis import given
from hypothesis import strategies as st

from anju.core.cli_files import cell_text, cell_texts, column, content_flags, has_content

# what CSV and calamine hand over, with the characters `clean_cell` treats specially
TEXT = st.text(alphabet=st.sampled_from(list("aZ1 -.,'=+@\t\u3000\u00a0元区")), max_size=6)
CELL = st.one_of(
    TEXT,
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
)


@given(st.lists(CELL, max_size=8))
def test_a_column_of_texts_is_each_cells_text(values):
    assert cell_texts(values) == [cell_text(value) for value in values]


@given(st.lists(TEXT, max_size=8))
def test_a_column_of_csv_text_is_each_cells_text(values):
    assert cell_texts(values) == [cell_text(value) for value in values]


@given(st.lists(st.lists(CELL, max_size=4), max_size=6))
def test_a_row_has_content_when_any_cell_has_text(rows):
    expected = [any(cell_text(value) for value in row) for row in rows]
    assert [has_content(row) for row in rows] == expected
    assert content_flags(rows) == expected


@given(st.lists(st.lists(TEXT, max_size=4), max_size=6))
def test_csv_rows_have_content_when_any_cell_has_text(rows):
    assert content_flags(rows) == [any(cell_text(value) for value in row) for row in rows]


def test_a_column_reads_blank_where_a_row_is_short_or_the_column_is_absent():
    rows = [["a", "b", "c"], ["d"], []]
    assert column(rows, 1) == ["b", "", ""]
    assert column(rows, 0, shortest=0) == ["a", "d", ""]
    assert column(rows[:1], 2) == ["c"]
    assert column(rows, None) == ["", "", ""]
