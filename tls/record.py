"""The TLS 1.3 record layer (RFC 8446 §5).

Framing of records, and :class:`Protection`: one direction's AEAD state for one
epoch.  ``Protection`` is immutable; sealing or opening a record returns the next
value (sequence number + 1), so an old connection state still decrypts exactly
as before.  Per record, nonce = iv XOR seq (§5.3) and the additional data is the
record header (§5.2).

Side channels: authentication is the AEAD's (constant-time in the Cython kernels);
after it succeeds, stripping the zero padding takes time linear in the padding
length, which is the padding the peer chose to send (RFC 8446 §5.4 accepts this).
Record lengths still reveal content lengths unless ``padding_block`` is set.
"""

from __future__ import annotations

from typing import NamedTuple

import nocrypto
from tls import crypto, key_schedule
from tls.failures import PeerError, Reason
from tls.wire.cipher_suite import SuiteParameters
from tls.wire.content_type import ContentType

MAX_PLAINTEXT = 1 << 14  # §5.1
MAX_CIPHERTEXT = MAX_PLAINTEXT + 256  # §5.2
HEADER_LENGTH = 5
LEGACY_RECORD_VERSION = b"\x03\x03"
_TYPE_BYTE = [bytes((i,)) for i in range(256)]


class Record(NamedTuple):
    """One record as framed on the wire (a tuple: built once per record, so it must be cheap)."""

    content_type: int
    body: bytes


_new_record = tuple.__new__  # Record(...) without NamedTuple's Python-level __new__


def split_records(buffer: bytes) -> tuple[list[Record], bytes]:
    """Complete records at the front of ``buffer`` and the incomplete rest.

    Protected records (type 23) carry a ``memoryview`` of ``buffer`` as their body rather
    than a copy: the AEAD reads it in place.  ``buffer`` is immutable bytes, so the view
    stays valid and nothing another state holds can change under it."""
    records: list[Record] = []
    append = records.append
    pos = 0
    end = len(buffer)
    view = memoryview(buffer)
    while end - pos >= HEADER_LENGTH:
        content_type = buffer[pos]
        length = (buffer[pos + 3] << 8) | buffer[pos + 4]
        if content_type not in (20, 21, 22, 23):
            raise PeerError(Reason.unexpected_message, f"unknown record type {content_type}")
        if length > MAX_CIPHERTEXT:
            raise PeerError(Reason.record_overflow, f"record of {length} bytes")
        if end - pos - HEADER_LENGTH < length:
            break
        # §5.1: the legacy version is ignored except that it must look like TLS.
        if buffer[pos + 1] != 3:
            raise PeerError(Reason.decode_error, "record version is not 3.x")
        start = pos + HEADER_LENGTH
        pos = start + length
        if content_type == 23:
            append(_new_record(Record, (23, view[start:pos])))
        else:
            append(_new_record(Record, (content_type, buffer[start:pos])))
    if pos == 0:
        return records, buffer
    return records, buffer[pos:]


def protected_header(length: int) -> bytes:
    """The header of a protected record with ``length`` bytes of ciphertext and tag: it is
    also the AEAD's additional data (§5.2)."""
    return bytes((23, 3, 3, length >> 8, length & 0xFF))


def header(content_type: int, length: int) -> bytes:
    return bytes([content_type]) + LEGACY_RECORD_VERSION + length.to_bytes(2, "big")


def plaintext_records(content_type: int, data: bytes, limit: int = MAX_PLAINTEXT) -> bytes:
    """``data`` framed as unprotected records (ClientHello, ServerHello, CCS, early alerts)."""
    out = []
    for i in range(0, len(data), limit):
        chunk = data[i : i + limit]
        out.append(header(content_type, len(chunk)) + chunk)
    return b"".join(out)


class Protection(NamedTuple):
    """AEAD protection of one direction in one epoch (RFC 8446 §5.2–§5.3).

    An immutable tuple rather than a frozen dataclass: a new one is built for every
    record, and a tuple costs a fifth as much to build.  Equality ignores ``cipher``
    (the AEAD object expanded from the same key); ``repr`` shows no secret."""

    params: SuiteParameters
    traffic_secret: bytes
    iv: bytes
    cipher: crypto.Aead
    seq: int = 0

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Protection):
            return NotImplemented
        return (self.params, self.traffic_secret, self.iv, self.seq) == (
            other.params,
            other.traffic_secret,
            other.iv,
            other.seq,
        )

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash((self.params, self.traffic_secret, self.iv, self.seq))

    def __repr__(self) -> str:
        return f"Protection({self.params.aead}, {self.params.hash_name}, seq={self.seq})"

    @classmethod
    def from_secret(cls, params: SuiteParameters, traffic_secret: bytes) -> Protection:
        key, iv = key_schedule.traffic_key_iv(
            traffic_secret, params.key_length, params.iv_length, params.hash_name
        )
        return cls(params, traffic_secret, iv, crypto.aead(params, key))

    def updated(self) -> Protection:
        """The next generation after a KeyUpdate (RFC 8446 §4.6.3)."""
        secret = key_schedule.next_traffic_secret(self.traffic_secret, self.params.hash_name)
        return Protection.from_secret(self.params, secret)

    def _next(self) -> Protection:
        # Direct construction: dataclasses.replace costs as much as a small AEAD call.
        return Protection(self.params, self.traffic_secret, self.iv, self.cipher, self.seq + 1)

    def nonce(self) -> bytes:
        n = int.from_bytes(self.iv, "big") ^ self.seq
        return n.to_bytes(len(self.iv), "big")

    def seal_records(
        self, content_type: int, data: bytes, limit: int, padding_block: int = 0
    ) -> tuple[Protection, bytes | bytearray]:
        """``data`` cut into records of at most ``limit`` content bytes, all sealed into
        one new buffer (one allocation, one Protection built at the end).  Padding as
        ``padding_block`` asks, never beyond ``limit`` + 1 inner bytes."""
        if type(data) is not bytes:
            data = memoryview(data).cast("B")  # type: ignore[assignment]
        n = len(data)
        tag = self.params.tag_length
        if n <= limit and not padding_block:  # one record, the common case, kept short
            length = n + 1 + tag
            head = protected_header(length)
            nonce = (int.from_bytes(self.iv, "big") ^ self.seq).to_bytes(len(self.iv), "big")
            # header || AEAD(content || type) in one new object, the content copied once.
            out = self.cipher.seal_framed(nonce, head, data, _TYPE_BYTE[content_type])
            return self._next(), out
        view = memoryview(data)
        lengths = [min(limit, n - i) for i in range(0, n, limit)] or [0]
        if padding_block:
            pads = [min(-(ln + 1) % padding_block, max(limit - ln, 0)) for ln in lengths]
        else:
            pads = [0] * len(lengths)
        buffer = bytearray(sum(lengths) + len(lengths) * (HEADER_LENGTH + 1 + tag) + sum(pads))
        out_view = memoryview(buffer)
        scratch = bytearray(max(ln + 1 + p for ln, p in zip(lengths, pads, strict=True)))
        scratch_view = memoryview(scratch)
        seal_into = self.cipher.seal_into
        iv = int.from_bytes(self.iv, "big")
        iv_length = len(self.iv)
        seq = self.seq
        pos = offset = 0
        for ln, pad in zip(lengths, pads, strict=True):
            # The inner plaintext is content || type || zeros (§5.2); the AEAD reads
            # one contiguous input, so it is staged in a small reused scratch buffer.
            inner_length = ln + 1 + pad
            scratch[:ln] = view[offset : offset + ln]
            scratch[ln] = content_type
            if pad:
                scratch[ln + 1 : inner_length] = bytes(pad)
            length = inner_length + tag
            head = protected_header(length)
            out_view[pos : pos + HEADER_LENGTH] = head
            nonce = (iv ^ seq).to_bytes(iv_length, "big")
            seal_into(nonce, scratch_view[:inner_length], head, out_view[pos + HEADER_LENGTH :])
            seq += 1
            pos += HEADER_LENGTH + length
            offset += ln
        return Protection(self.params, self.traffic_secret, self.iv, self.cipher, seq), buffer

    def open_run(
        self, records: list[Record], content_limit: int | None
    ) -> tuple[Protection, list[bytes]]:
        """The bulk fast path: open the leading run of ``records`` that are non-empty,
        unpadded application data within ``content_limit``, and return the protection
        after them with their contents.  It stops, without raising, at the first record
        that is anything else or fails to open; the caller hands that one to ``open``,
        which reports what is wrong with it."""
        cipher_open = self.cipher.open
        iv = int.from_bytes(self.iv, "big")
        iv_length = len(self.iv)
        seq = self.seq
        tag = self.params.tag_length
        longest = MAX_CIPHERTEXT if content_limit is None else content_limit + tag
        contents: list[bytes] = []
        for content_type, body in records:
            length = len(body)
            if content_type != 23 or not tag + 1 < length <= longest:
                break
            try:
                inner = cipher_open(
                    (iv ^ seq).to_bytes(iv_length, "big"), body, protected_header(length)
                )
            except nocrypto.AuthenticationError:
                break
            if inner[-1] != 23 or len(inner) > MAX_PLAINTEXT + 1:
                break  # padded, another content type, or too long: ``open`` decides
            contents.append(inner[:-1])
            seq += 1
        if seq == self.seq:
            return self, contents
        return Protection(self.params, self.traffic_secret, self.iv, self.cipher, seq), contents

    def open(self, record: Record) -> tuple[Protection, int, bytes]:
        """Decrypt ``record``: (next protection, inner content type, content)."""
        if record.content_type != ContentType.application_data:
            raise PeerError(Reason.unexpected_message, "unprotected record after keys changed")
        if len(record.body) < self.params.tag_length + 1:
            raise PeerError(Reason.bad_record_mac, "record shorter than its tag")
        try:
            inner = self.cipher.open(self.nonce(), record.body, protected_header(len(record.body)))
        except nocrypto.AuthenticationError:
            raise PeerError(Reason.bad_record_mac, "record failed authentication") from None
        if len(inner) > MAX_PLAINTEXT + 1:
            raise PeerError(Reason.record_overflow, "inner plaintext exceeds 2^14 + 1")
        if inner and inner[-1]:  # unpadded, the usual case: one copy less
            return self._next(), inner[-1], inner[:-1]
        stripped = inner.rstrip(b"\0")
        if not stripped:
            # §5.4: all-zero inner plaintext has no content type.
            raise PeerError(Reason.unexpected_message, "record without content type")
        return self._next(), stripped[-1], stripped[:-1]
