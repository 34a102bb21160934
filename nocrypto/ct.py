"""Comparison of secrets without an early exit.

``constant_time_equal`` looks at every byte whatever the contents, so the time taken
does not reveal where two MACs first differ.  The lengths are treated as public: inputs
of different lengths return ``False`` at once.  In pure Python the loop has no
data-dependent branch; CPython's small-int arithmetic is not guaranteed constant-time,
but its cost does not depend on the position of the first difference.  The kernel
(``_ct_cy.pyx``) runs the same loop in C and is used when built.
"""

from __future__ import annotations

from nocrypto._backend import kernel
from nocrypto.hashes._input import as_bytes


def constant_time_equal(
    a: bytes | bytearray | memoryview, b: bytes | bytearray | memoryview
) -> bool:
    """``a == b`` for secrets: no early exit on the first differing byte."""
    a = as_bytes(a, "a")
    b = as_bytes(b, "b")
    if len(a) != len(b):
        return False
    acc = 0
    for x, y in zip(a, b, strict=True):
        acc |= x ^ y
    return acc == 0


#: The pure-Python comparison, kept reachable for the tests when the kernel is active.
reference_constant_time_equal = constant_time_equal

_kernel = kernel("nocrypto._ct_cy")
if _kernel is not None:
    constant_time_equal = _kernel.constant_time_equal  # noqa: F811 (the kernel replaces it)
