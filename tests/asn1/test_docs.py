"""The example in asn1's documentation runs and shows what really happens."""

from __future__ import annotations

import doctest

import asn1


def test_package_docstring_example() -> None:
    result = doctest.testmod(asn1, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 5
    assert result.failed == 0
