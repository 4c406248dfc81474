"""Round-3 red-team PDF cases: a number Word wraps over three lines of its cell (``17`` / ``4``
/ ``6``) is one figure, joined to its labelled row, in a table without column rules."""

from __future__ import annotations

from parsers.readers.pdf import Line, Word, _join_wrapped_numbers


def _row(*words: tuple[str, float, float], top: float, size: float = 10.0) -> Line:
    return Line([Word(t, x0, x1, top, top + size) for t, x0, x1 in words])


def test_number_wrapped_over_three_lines_is_one_figure():
    lines = [
        _row(("自然人", 50, 80), ("17", 300, 310), ("5", 360, 365), top=100),
        _row(("4", 305, 310), top=111),
        _row(("6", 305, 310), top=122),
        _row(("法人", 50, 70), ("3", 305, 310), ("2", 360, 365), top=140),
    ]
    joined = _join_wrapped_numbers(lines)
    assert [[w.text for w in line.words] for line in joined] == [
        ["自然人", "1746", "5"], ["法人", "3", "2"]]


def test_next_row_after_a_wrapped_number_stays_its_own_row():
    # a row of bare figures a full line below the wrapped tail is not a third wrapped line
    lines = [
        _row(("自然人", 50, 80), ("17", 300, 310), top=100),
        _row(("4", 305, 310), top=111),
        _row(("6", 305, 310), top=135),
    ]
    joined = _join_wrapped_numbers(lines)
    assert [[w.text for w in line.words] for line in joined] == [["自然人", "174"], ["6"]]
