"""ECDSA pieces that are not group arithmetic: digest truncation, RFC 6979 nonces
and the two signature encodings (DER ECDSA-Sig-Value and IEEE P1363 r || s).
"""

from __future__ import annotations

from collections.abc import Iterator

from nocrypto.kdf import _hash_len, hmac_parts


def bits2int(data: bytes, qlen: int) -> int:
    """The leftmost ``qlen`` bits of ``data`` as an integer (RFC 6979 §2.3.2; SEC 1
    §4.1.3 step 5 truncates the digest the same way, which matters for P-521 and for
    SHA-512 on the smaller curves)."""
    v = int.from_bytes(data, "big")
    blen = len(data) * 8
    if blen > qlen:
        v >>= blen - qlen
    return v


def rfc6979_nonces(
    x_octets: bytes, digest: bytes, n: int, hash_name: str, extra: bytes = b""
) -> Iterator[int]:
    """Candidate nonces k in [1, n-1] for the key x and a message digest, in order
    (RFC 6979 §3.2, with §3.6 additional data ``extra`` mixed into the seed).

    ``x_octets`` is int2octets(x): x big-endian in ceil(qlen/8) bytes, which is the
    private key's own encoding on the NIST curves, so the key is never turned into
    a Python integer here.  The caller takes the first k, and the next only if
    that k gave r = 0 or s = 0 (step h.3 continues the same HMAC_DRBG stream).
    """
    qlen = n.bit_length()
    rlen = (qlen + 7) // 8
    if len(x_octets) != rlen:
        raise ValueError(f"int2octets(x) is {rlen} bytes, not {len(x_octets)}")
    h_octets = (bits2int(digest, qlen) % n).to_bytes(rlen, "big")  # bits2octets
    hlen = _hash_len(hash_name)
    V = b"\x01" * hlen
    K = b"\x00" * hlen
    K = hmac_parts(K, hash_name, V, b"\x00", x_octets, h_octets, extra)
    V = hmac_parts(K, hash_name, V)
    K = hmac_parts(K, hash_name, V, b"\x01", x_octets, h_octets, extra)
    V = hmac_parts(K, hash_name, V)
    while True:
        t = b""
        while len(t) * 8 < qlen:
            V = hmac_parts(K, hash_name, V)
            t += V
        k = bits2int(t, qlen)
        if 1 <= k < n:
            yield k
        K = hmac_parts(K, hash_name, V, b"\x00")
        V = hmac_parts(K, hash_name, V)


def _der_length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def _der_integer(v: int) -> bytes:
    body = v.to_bytes(v.bit_length() // 8 + 1, "big")  # room for a 0 sign bit
    return b"\x02" + _der_length(len(body)) + body


def encode_der(r: int, s: int) -> bytes:
    """ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (RFC 3279 §2.2.3) in DER."""
    body = _der_integer(r) + _der_integer(s)
    return b"\x30" + _der_length(len(body)) + body


def _read_length(data: bytes, pos: int) -> tuple[int, int] | None:
    """A DER length at ``pos``: (length, next position), or None unless minimal."""
    if pos >= len(data):
        return None
    first = data[pos]
    pos += 1
    if first < 0x80:
        return first, pos
    count = first & 0x7F
    if count == 0 or count > 2 or pos + count > len(data):
        return None  # indefinite length (BER) or absurdly long
    value = int.from_bytes(data[pos : pos + count], "big")
    if value < 0x80 or data[pos] == 0:
        return None  # long form where short would do, or a padded length
    return value, pos + count


def _read_integer(data: bytes, pos: int) -> tuple[int, int] | None:
    if pos >= len(data) or data[pos] != 0x02:
        return None
    got = _read_length(data, pos + 1)
    if got is None:
        return None
    length, pos = got
    if length == 0 or pos + length > len(data):
        return None
    body = data[pos : pos + length]
    if body[0] & 0x80:
        return None  # negative: r and s are positive
    if length > 1 and body[0] == 0 and not body[1] & 0x80:
        return None  # a leading zero that is not needed for the sign
    return int.from_bytes(body, "big"), pos + length


def decode_der(data: bytes) -> tuple[int, int] | None:
    """(r, s) from a strictly DER-encoded ECDSA-Sig-Value, or None.

    BER leniencies (long-form or indefinite lengths, padded or negative integers,
    trailing bytes) are refused: accepting several encodings of one signature makes
    signatures malleable.
    """
    if len(data) < 2 or data[0] != 0x30:
        return None
    got = _read_length(data, 1)
    if got is None:
        return None
    length, pos = got
    if pos + length != len(data):
        return None
    got = _read_integer(data, pos)
    if got is None:
        return None
    r, pos = got
    got = _read_integer(data, pos)
    if got is None:
        return None
    s, pos = got
    if pos != len(data):
        return None
    return r, s
