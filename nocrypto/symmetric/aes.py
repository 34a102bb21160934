"""AES (FIPS 197) in pure Python, with the CBC and CTR modes built on it.

This is the readable reference and the fallback when the Cython kernel is absent.

Two shapes of the same cipher: single blocks (and sequential CBC encryption / CBC-MAC)
go through T-tables; independent blocks (CTR, CBC decryption) are done all at once on
one big integer, with SubBytes as ``bytes.translate`` through the S-box.

Side channels: both shapes look up tables indexed by secret state bytes (four 256-entry
T-tables of 32-bit words per direction, or the 256-byte S-box), so the memory access
pattern depends on the key and the data, and CPython's big-integer machinery adds
further data-dependent timing.  It is NOT constant time and is exposed to cache-timing attacks
by a co-located attacker.  The Cython kernel (AES-NI, or a bitsliced portable path)
is the one to use against such adversaries; ``nocrypto.backend`` reports which is active.
"""

from __future__ import annotations

from nocrypto.symmetric._util import BytesLike, as_bytes

__all__ = ["AES", "BLOCK_SIZE", "BytesLike"]

BLOCK_SIZE = 16


def _xtime(a: int) -> int:
    a <<= 1
    return (a ^ 0x11B) if a & 0x100 else a


def _gf_mul(a: int, b: int) -> int:
    r = 0
    while b:
        if b & 1:
            r ^= a
        a = _xtime(a)
        b >>= 1
    return r


def _build_sbox() -> tuple[list[int], list[int]]:
    # The S-box is the multiplicative inverse in GF(2^8) followed by the affine map of
    # FIPS 197 section 5.1.1; computing it avoids a hand-typed table.
    sbox = [0] * 256
    inv = [0] * 256
    for x in range(256):
        y = 0
        if x:
            y = next(c for c in range(1, 256) if _gf_mul(x, c) == 1)
        s = y
        for k in range(1, 5):
            s ^= ((y << k) | (y >> (8 - k))) & 0xFF
        s ^= 0x63
        sbox[x] = s
        inv[s] = x
    return sbox, inv


SBOX, INV_SBOX = _build_sbox()


def _rot8(w: int) -> int:
    return ((w >> 8) | (w << 24)) & 0xFFFFFFFF


def _tables() -> tuple[list[list[int]], list[list[int]]]:
    te0 = []
    td0 = []
    for x in range(256):
        s = SBOX[x]
        te0.append((_gf_mul(s, 2) << 24) | (s << 16) | (s << 8) | _gf_mul(s, 3))
        v = INV_SBOX[x]
        td0.append(
            (_gf_mul(v, 14) << 24) | (_gf_mul(v, 9) << 16) | (_gf_mul(v, 13) << 8) | _gf_mul(v, 11)
        )
    te = [te0]
    td = [td0]
    for _ in range(3):
        te.append([_rot8(w) for w in te[-1]])
        td.append([_rot8(w) for w in td[-1]])
    return te, td


(_TE0, _TE1, _TE2, _TE3), (_TD0, _TD1, _TD2, _TD3) = _tables()


def _expand_key(key: bytes) -> list[int]:
    """The FIPS 197 key schedule as 4*(rounds+1) big-endian words."""
    nk = len(key) // 4
    rounds = nk + 6
    w = [int.from_bytes(key[4 * i : 4 * i + 4], "big") for i in range(nk)]
    rcon = 1
    for i in range(nk, 4 * (rounds + 1)):
        t = w[i - 1]
        if i % nk == 0:
            t = ((t << 8) | (t >> 24)) & 0xFFFFFFFF
            t = (
                (SBOX[t >> 24] << 24)
                | (SBOX[(t >> 16) & 255] << 16)
                | (SBOX[(t >> 8) & 255] << 8)
                | SBOX[t & 255]
            ) ^ (rcon << 24)
            rcon = _xtime(rcon)
        elif nk > 6 and i % nk == 4:
            t = (
                (SBOX[t >> 24] << 24)
                | (SBOX[(t >> 16) & 255] << 16)
                | (SBOX[(t >> 8) & 255] << 8)
                | SBOX[t & 255]
            )
        w.append(w[i - nk] ^ t)
    return w


def _inverse_schedule(ek: list[int], rounds: int) -> list[int]:
    # The "equivalent inverse cipher" (FIPS 197 5.3.5): round keys in reverse order with
    # InvMixColumns applied to the middle ones, so decryption uses the same round shape.
    dk: list[int] = []
    for r in range(rounds, -1, -1):
        for c in range(4):
            w = ek[4 * r + c]
            if 0 < r < rounds:
                w = (
                    _TD0[SBOX[w >> 24]]
                    ^ _TD1[SBOX[(w >> 16) & 255]]
                    ^ _TD2[SBOX[(w >> 8) & 255]]
                    ^ _TD3[SBOX[w & 255]]
                )
            dk.append(w)
    return dk


# -- many blocks at once ------------------------------------------------------------------
# CPython runs one bytecode per table lookup, so the T-table round costs ~20 us a block.
# For CTR and CBC decryption, where blocks are independent, the whole buffer is instead
# handled as one big integer: SubBytes is one ``bytes.translate`` and ShiftRows,
# MixColumns and AddRoundKey are a few shifts, masks and XORs over the whole buffer,
# which CPython does in C.  This is ~15x faster on 16 KiB.


def _pattern(positions: set[int], nblocks: int) -> int:
    block = bytes(0xFF if p in positions else 0 for p in range(16))
    return int.from_bytes(block * nblocks, "big")


_MASK_CACHE: dict[int, tuple[int, ...]] = {}


def _masks(nblocks: int) -> tuple[int, ...]:
    m = _MASK_CACHE.get(nblocks)
    if m is not None:
        return m
    rows = [{r + 4 * c for c in range(4)} for r in range(4)]
    cols_lt = [{r + 4 * c for c in range(4) for r in range(4) if c < lim} for lim in range(5)]
    rows_lt = [{r + 4 * c for c in range(4) for r in range(4) if r < lim} for lim in range(5)]
    parts: list[int] = [_pattern(rows[0], nblocks)]
    for r in (1, 2, 3):
        # ShiftRows: out[r+4c] = in[r+4(c+r)]; the wrapped part is where c+r >= 4.
        parts.append(_pattern(rows[r] & cols_lt[4 - r], nblocks))
        parts.append(_pattern(rows[r] - cols_lt[4 - r], nblocks))
    for r in (1, 2, 3):
        # InvShiftRows: out[r+4c] = in[r+4(c-r)]; the wrapped part is where c < r.
        parts.append(_pattern(rows[r] - cols_lt[r], nblocks))
        parts.append(_pattern(rows[r] & cols_lt[r], nblocks))
    for k in (1, 2, 3):
        # Column rotation by k rows: out[r] = in[r+k mod 4].
        parts.append(_pattern(rows_lt[4 - k], nblocks))
        parts.append(_pattern(set(range(16)) - rows_lt[4 - k], nblocks))
    parts.append(int.from_bytes(b"\x80" * 16 * nblocks, "big"))
    m = tuple(parts)
    if len(_MASK_CACHE) > 64:
        _MASK_CACHE.clear()
    _MASK_CACHE[nblocks] = m
    return m


_SBOX_BYTES = bytes(SBOX)
_INV_SBOX_BYTES = bytes(INV_SBOX)


def _xtime_all(x: int, hi: int) -> int:
    h = x & hi
    return ((x ^ h) << 1) ^ ((h >> 7) * 0x1B)


def _rot_cols(x: int, k: int, m: tuple[int, ...]) -> int:
    a, b = m[13 + 2 * (k - 1)], m[14 + 2 * (k - 1)]
    return ((x << (8 * k)) & a) | ((x >> (8 * (4 - k))) & b)


def _encrypt_batch(round_keys: list[bytes], data: bytes) -> bytes:
    n = len(data)
    nb = n // 16
    m = _masks(nb)
    row0, hi = m[0], m[19]
    x = int.from_bytes(data, "big") ^ int.from_bytes(round_keys[0] * nb, "big")
    last = len(round_keys) - 1
    for rnd in range(1, last + 1):
        x = int.from_bytes(x.to_bytes(n, "big").translate(_SBOX_BYTES), "big")
        x = (
            (x & row0)
            | ((x << 32) & m[1])
            | ((x >> 96) & m[2])
            | ((x << 64) & m[3])
            | ((x >> 64) & m[4])
            | ((x << 96) & m[5])
            | ((x >> 32) & m[6])
        )
        if rnd != last:
            r1 = _rot_cols(x, 1, m)
            x = _xtime_all(x ^ r1, hi) ^ r1 ^ _rot_cols(x, 2, m) ^ _rot_cols(x, 3, m)
        x ^= int.from_bytes(round_keys[rnd] * nb, "big")
    return x.to_bytes(n, "big")


def _decrypt_batch(round_keys: list[bytes], data: bytes) -> bytes:
    # Straight inverse cipher (FIPS 197 5.3): round keys of the encryption schedule,
    # used last to first.
    n = len(data)
    nb = n // 16
    m = _masks(nb)
    row0, hi = m[0], m[19]
    last = len(round_keys) - 1
    x = int.from_bytes(data, "big") ^ int.from_bytes(round_keys[last] * nb, "big")
    for rnd in range(last - 1, -1, -1):
        x = (
            (x & row0)
            | ((x >> 32) & m[7])
            | ((x << 96) & m[8])
            | ((x >> 64) & m[9])
            | ((x << 64) & m[10])
            | ((x >> 96) & m[11])
            | ((x << 32) & m[12])
        )
        x = int.from_bytes(x.to_bytes(n, "big").translate(_INV_SBOX_BYTES), "big")
        x ^= int.from_bytes(round_keys[rnd] * nb, "big")
        if rnd:
            # InvMixColumns = MixColumns after a ({04}{00}{05}{00}) pre-step.
            x ^= _xtime_all(_xtime_all(x ^ _rot_cols(x, 2, m), hi), hi)
            r1 = _rot_cols(x, 1, m)
            x = _xtime_all(x ^ r1, hi) ^ r1 ^ _rot_cols(x, 2, m) ^ _rot_cols(x, 3, m)
    return x.to_bytes(n, "big")


def check_key(key: BytesLike) -> bytes:
    k = as_bytes(key, "key")
    if len(k) not in (16, 24, 32):
        raise ValueError(f"AES key must be 16, 24 or 32 bytes long, not {len(k)}")
    return k


class AES:
    """An expanded AES key: block operations plus the CBC, CBC-MAC and CTR modes."""

    __slots__ = ("_ek", "_dk", "_rk", "rounds", "key_size")

    def __init__(self, key: BytesLike) -> None:
        k = check_key(key)
        self.key_size = len(k)
        self.rounds = len(k) // 4 + 6
        self._ek = _expand_key(k)
        self._dk = _inverse_schedule(self._ek, self.rounds)
        self._rk = [
            b"".join(w.to_bytes(4, "big") for w in self._ek[4 * r : 4 * r + 4])
            for r in range(self.rounds + 1)
        ]

    # -- the block function on four big-endian column words ------------------------------
    def _encrypt_words(self, s0: int, s1: int, s2: int, s3: int) -> tuple[int, int, int, int]:
        ek = self._ek
        te0, te1, te2, te3 = _TE0, _TE1, _TE2, _TE3
        s0 ^= ek[0]
        s1 ^= ek[1]
        s2 ^= ek[2]
        s3 ^= ek[3]
        k = 4
        for _ in range(self.rounds - 1):
            t0 = te0[s0 >> 24] ^ te1[(s1 >> 16) & 255] ^ te2[(s2 >> 8) & 255] ^ te3[s3 & 255]
            t1 = te0[s1 >> 24] ^ te1[(s2 >> 16) & 255] ^ te2[(s3 >> 8) & 255] ^ te3[s0 & 255]
            t2 = te0[s2 >> 24] ^ te1[(s3 >> 16) & 255] ^ te2[(s0 >> 8) & 255] ^ te3[s1 & 255]
            t3 = te0[s3 >> 24] ^ te1[(s0 >> 16) & 255] ^ te2[(s1 >> 8) & 255] ^ te3[s2 & 255]
            s0 = t0 ^ ek[k]
            s1 = t1 ^ ek[k + 1]
            s2 = t2 ^ ek[k + 2]
            s3 = t3 ^ ek[k + 3]
            k += 4
        sb = SBOX
        t0 = (sb[s0 >> 24] << 24) | (sb[(s1 >> 16) & 255] << 16) | (sb[(s2 >> 8) & 255] << 8)
        t1 = (sb[s1 >> 24] << 24) | (sb[(s2 >> 16) & 255] << 16) | (sb[(s3 >> 8) & 255] << 8)
        t2 = (sb[s2 >> 24] << 24) | (sb[(s3 >> 16) & 255] << 16) | (sb[(s0 >> 8) & 255] << 8)
        t3 = (sb[s3 >> 24] << 24) | (sb[(s0 >> 16) & 255] << 16) | (sb[(s1 >> 8) & 255] << 8)
        return (
            (t0 | sb[s3 & 255]) ^ ek[k],
            (t1 | sb[s0 & 255]) ^ ek[k + 1],
            (t2 | sb[s1 & 255]) ^ ek[k + 2],
            (t3 | sb[s2 & 255]) ^ ek[k + 3],
        )

    def _decrypt_words(self, s0: int, s1: int, s2: int, s3: int) -> tuple[int, int, int, int]:
        dk = self._dk
        td0, td1, td2, td3 = _TD0, _TD1, _TD2, _TD3
        s0 ^= dk[0]
        s1 ^= dk[1]
        s2 ^= dk[2]
        s3 ^= dk[3]
        k = 4
        for _ in range(self.rounds - 1):
            t0 = td0[s0 >> 24] ^ td1[(s3 >> 16) & 255] ^ td2[(s2 >> 8) & 255] ^ td3[s1 & 255]
            t1 = td0[s1 >> 24] ^ td1[(s0 >> 16) & 255] ^ td2[(s3 >> 8) & 255] ^ td3[s2 & 255]
            t2 = td0[s2 >> 24] ^ td1[(s1 >> 16) & 255] ^ td2[(s0 >> 8) & 255] ^ td3[s3 & 255]
            t3 = td0[s3 >> 24] ^ td1[(s2 >> 16) & 255] ^ td2[(s1 >> 8) & 255] ^ td3[s0 & 255]
            s0 = t0 ^ dk[k]
            s1 = t1 ^ dk[k + 1]
            s2 = t2 ^ dk[k + 2]
            s3 = t3 ^ dk[k + 3]
            k += 4
        ib = INV_SBOX
        t0 = (ib[s0 >> 24] << 24) | (ib[(s3 >> 16) & 255] << 16) | (ib[(s2 >> 8) & 255] << 8)
        t1 = (ib[s1 >> 24] << 24) | (ib[(s0 >> 16) & 255] << 16) | (ib[(s3 >> 8) & 255] << 8)
        t2 = (ib[s2 >> 24] << 24) | (ib[(s1 >> 16) & 255] << 16) | (ib[(s0 >> 8) & 255] << 8)
        t3 = (ib[s3 >> 24] << 24) | (ib[(s2 >> 16) & 255] << 16) | (ib[(s1 >> 8) & 255] << 8)
        return (
            (t0 | ib[s1 & 255]) ^ dk[k],
            (t1 | ib[s2 & 255]) ^ dk[k + 1],
            (t2 | ib[s3 & 255]) ^ dk[k + 2],
            (t3 | ib[s0 & 255]) ^ dk[k + 3],
        )

    def encrypt_int(self, block: int) -> int:
        """Encrypt one block given as a 128-bit big-endian integer."""
        s = self._encrypt_words(
            block >> 96, (block >> 64) & 0xFFFFFFFF, (block >> 32) & 0xFFFFFFFF, block & 0xFFFFFFFF
        )
        return (s[0] << 96) | (s[1] << 64) | (s[2] << 32) | s[3]

    def decrypt_int(self, block: int) -> int:
        s = self._decrypt_words(
            block >> 96, (block >> 64) & 0xFFFFFFFF, (block >> 32) & 0xFFFFFFFF, block & 0xFFFFFFFF
        )
        return (s[0] << 96) | (s[1] << 64) | (s[2] << 32) | s[3]

    def encrypt_block(self, block: BytesLike) -> bytes:
        b = _block(block)
        return self.encrypt_int(int.from_bytes(b, "big")).to_bytes(16, "big")

    def decrypt_block(self, block: BytesLike) -> bytes:
        b = _block(block)
        return self.decrypt_int(int.from_bytes(b, "big")).to_bytes(16, "big")

    # -- modes ------------------------------------------------------------------------------
    def cbc_encrypt(self, iv: BytesLike, data: BytesLike) -> bytes:
        v = int.from_bytes(_block(iv, "IV"), "big")
        d = _whole_blocks(data)
        out = []
        enc = self.encrypt_int
        for i in range(0, len(d), 16):
            v = enc(v ^ int.from_bytes(d[i : i + 16], "big"))
            out.append(v.to_bytes(16, "big"))
        return b"".join(out)

    def cbc_decrypt(self, iv: BytesLike, data: BytesLike) -> bytes:
        v = _block(iv, "IV")
        d = _whole_blocks(data)
        if not d:
            return b""
        n = len(d)
        x = int.from_bytes(_decrypt_batch(self._rk, d), "big")
        return (x ^ int.from_bytes(v + d[:-16], "big")).to_bytes(n, "big")

    def ecb_encrypt(self, data: BytesLike) -> bytes:
        """Encrypt whole blocks independently (a building block for CTR, not a mode to use)."""
        d = _whole_blocks(data)
        return _encrypt_batch(self._rk, d) if d else b""

    def cbc_mac(self, data: BytesLike) -> bytes:
        """The last block of CBC encryption under a zero IV (the raw CBC-MAC of CCM)."""
        d = _whole_blocks(data)
        v = 0
        enc = self.encrypt_int
        for i in range(0, len(d), 16):
            v = enc(v ^ int.from_bytes(d[i : i + 16], "big"))
        return v.to_bytes(16, "big")

    def ctr32(self, counter_block: BytesLike, data: BytesLike) -> bytes:
        """XOR ``data`` with the keystream E(cb), E(inc32(cb)), ... (SP 800-38D inc32)."""
        cb = int.from_bytes(_block(counter_block, "counter block"), "big")
        d = as_bytes(data, "data")
        n = len(d)
        if n == 0:
            return b""
        nb = (n + 15) // 16
        prefix = (cb >> 32).to_bytes(12, "big")
        ctr = cb & 0xFFFFFFFF
        blocks = b"".join(prefix + ((ctr + i) & 0xFFFFFFFF).to_bytes(4, "big") for i in range(nb))
        stream = _encrypt_batch(self._rk, blocks)
        x = int.from_bytes(d, "big") ^ int.from_bytes(stream[:n], "big")
        return x.to_bytes(n, "big")


def _block(b: BytesLike, what: str = "block") -> bytes:
    v = as_bytes(b, what)
    if len(v) != 16:
        raise ValueError(f"AES {what} must be 16 bytes long, not {len(v)}")
    return v


def _whole_blocks(data: BytesLike) -> bytes:
    d = as_bytes(data, "data")
    if len(d) % 16:
        raise ValueError(f"data length {len(d)} is not a multiple of the 16-byte AES block")
    return d
