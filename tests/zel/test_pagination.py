"""The keyset core (zel.lib.pagination) without pages: cursor encoding, the estimate's rounding."""

import datetime as dt
from decimal import Decimal

import pytest

from zel.lib.pagination import _round_estimate, decode_cursor, encode_cursor


@pytest.mark.parametrize("values", [
    ("élodie lefèvre", 12),
    (dt.date(2025, 12, 31), 7),
    (dt.datetime(2025, 12, 31, 23, 59, 59, 123456, tzinfo=dt.UTC), 3),
    (None, True, Decimal("1234.56"), -4),
])
def test_a_cursor_gives_back_the_values_it_was_made_of(values):
    token = encode_cursor(values, salt="households")
    assert decode_cursor(token, salt="households", length=len(values)) == values


def test_a_cursor_is_url_safe():
    token = encode_cursor(("d'Arc & fils / ?", 1), salt="households")
    assert all(c.isalnum() or c in "-_:" for c in token)


@pytest.mark.parametrize("token", [
    "", "junk", "a:b", "é" * 3000, "W1sidiIsImEiXV0:",
])
def test_a_junk_cursor_is_refused(token):
    assert decode_cursor(token, salt="households", length=2) is None


def test_an_edited_cursor_is_refused():
    token = encode_cursor(("martin paul", 12), salt="households")
    payload, signature = token.rsplit(":", 1)
    forged = encode_cursor(("zola emile", 12), salt="households").rsplit(":", 1)[0]
    assert decode_cursor(f"{forged}:{signature}", salt="households", length=2) is None
    assert decode_cursor(f"{payload}x:{signature}", salt="households", length=2) is None


def test_a_cursor_of_another_list_or_shape_is_refused():
    token = encode_cursor(("martin paul", 12), salt="households")
    assert decode_cursor(token, salt="visits", length=2) is None
    assert decode_cursor(token, salt="households", length=3) is None


def test_a_value_a_cursor_cannot_carry_is_a_programming_error():
    with pytest.raises(TypeError):
        encode_cursor((object(),), salt="households")


@pytest.mark.parametrize(("n", "shown"), [
    (7, 7), (99, 99), (12_345, 12_000), (1_003_512, 1_000_000), (987_654, 990_000),
])
def test_an_estimate_is_shown_to_two_significant_digits(n, shown):
    assert _round_estimate(n) == shown
