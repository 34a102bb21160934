"""Value types for the ASN.1 types that have no exact Python counterpart."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class BitString:
    """A BIT STRING: ``data`` holds the bits, most significant first; the last
    ``unused`` (0..7) bits of the last byte are padding and are zero in DER."""

    data: bytes = b""
    unused: int = 0

    def __len__(self) -> int:
        return len(self.data) * 8 - self.unused

    def bit(self, i: int) -> bool:
        """Bit number ``i`` (0 is the first, most significant bit); bits past the end are 0."""
        if i < 0 or i >= len(self):
            return False
        return bool(self.data[i >> 3] & (0x80 >> (i & 7)))

    def names(self, named_bits: Mapping[str, int]) -> frozenset[str]:
        """The names (from ``{name: bit number}``) of the bits that are set."""
        return frozenset(n for n, i in named_bits.items() if self.bit(i))

    @classmethod
    def from_bits(cls, bits: Iterable[int]) -> BitString:
        """The shortest BIT STRING with exactly the bits numbered ``bits`` set (DER named-bit form)."""
        idx = sorted(set(bits))
        if not idx:
            return cls(b"", 0)
        if idx[0] < 0:
            raise ValueError("bit numbers are >= 0")
        n = idx[-1] + 1
        buf = bytearray((n + 7) // 8)
        for i in idx:
            buf[i >> 3] |= 0x80 >> (i & 7)
        return cls(bytes(buf), (8 - n % 8) % 8)


@dataclass(frozen=True, slots=True)
class Any:
    """An element kept as its exact encoding (tag, length and contents).

    It re-encodes to ``der`` byte for byte.  ``tag`` is ``(class, number)`` with class
    0 universal, 1 application, 2 context-specific, 3 private.
    """

    der: bytes

    @property
    def tag(self) -> tuple[int, int]:
        b = self.der[0]
        num = b & 0x1F
        if num == 0x1F:
            num = 0
            for c in self.der[1:]:
                num = (num << 7) | (c & 0x7F)
                if not c & 0x80:
                    break
        return b >> 6, num

    @property
    def constructed(self) -> bool:
        return bool(self.der[0] & 0x20)
