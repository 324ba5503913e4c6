"""Identifiers read from a request: ASCII digits only, short enough for an integer column."""

import pytest

from core.params import parse_id


@pytest.mark.parametrize(("raw", "expected"), [("1", 1), ("0042", 42), ("123456789", 123456789)])
def test_ascii_digits_are_read_as_the_number_they_spell(raw, expected):
    assert parse_id(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [None, "", " 1", "1 ", "-1", "+1", "1.0", "abc", "²", "1²", "١٢", "１２", "\x00", "1\x00", "1234567890"]
    + [12],
)
def test_anything_else_is_no_identifier(raw):
    # « ² » and « ١٢ » pass str.isdigit() (and int() reads « ١٢ » as 12): neither is an identifier here.
    assert parse_id(raw) is None
