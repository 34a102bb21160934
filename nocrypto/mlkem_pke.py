"""K-PKE of FIPS 203 (the lattice core under ML-KEM): the readable pure-Python reference.

The ``_mlkem_pke_cy`` kernel offers the same functions.  Polynomials travel between
functions as ByteEncode12 strings (384 bytes each) so both backends share one calling
convention; the public ``nocrypto.mlkem`` module does all hashing and sampling of
randomness and passes in the XOF streams and PRF outputs:

- ``sample_ntt(stream)``: Algorithm 7 on an XOF output, or None if the stream ran out;
- ``keygen(k, a_hat, noise)``: Algorithm 13 after sampling -> (t_hat, s_hat) encodings;
- ``encrypt(k, du, dv, t_hat, a_hat, noise, m)``: Algorithm 14 -> ciphertext;
- ``decrypt(k, du, dv, s_hat, c)``: Algorithm 15 -> message;
- ``is_reduced(encoded)``: the encapsulation-key modulus check of section 7.2;
- ``select_on_equal(a, b, x, y)``: x if a == b else y, for implicit rejection.

Side-channel limits of this reference: Python integers and list indexing are not
constant time; the Fujisaki-Okamoto ciphertext comparison and key selection are done
with masks over whole strings, but the interpreter underneath gives no guarantee.
"""

from __future__ import annotations

Q = 3329


def _bitrev7(i: int) -> int:
    return int(f"{i:07b}"[::-1], 2)


ZETAS = [pow(17, _bitrev7(i), Q) for i in range(128)]
GAMMAS = [pow(17, 2 * _bitrev7(i) + 1, Q) for i in range(128)]
N_INV = 3303  # 128^-1 mod q

Poly = list[int]


def ntt(f: Poly) -> Poly:
    f = list(f)
    i, length = 1, 128
    while length >= 2:
        for start in range(0, 256, 2 * length):
            z = ZETAS[i]
            i += 1
            for j in range(start, start + length):
                t = z * f[j + length] % Q
                f[j + length] = (f[j] - t) % Q
                f[j] = (f[j] + t) % Q
        length //= 2
    return f


def ntt_inv(f: Poly) -> Poly:
    f = list(f)
    i, length = 127, 2
    while length <= 128:
        for start in range(0, 256, 2 * length):
            z = ZETAS[i]
            i -= 1
            for j in range(start, start + length):
                t = f[j]
                f[j] = (t + f[j + length]) % Q
                f[j + length] = z * (f[j + length] - t) % Q
        length *= 2
    return [x * N_INV % Q for x in f]


def multiply_ntts(f: Poly, g: Poly) -> Poly:
    h = [0] * 256
    for i in range(128):
        a0, a1, b0, b1 = f[2 * i], f[2 * i + 1], g[2 * i], g[2 * i + 1]
        h[2 * i] = (a0 * b0 + a1 * b1 * GAMMAS[i]) % Q
        h[2 * i + 1] = (a0 * b1 + a1 * b0) % Q
    return h


def _add(f: Poly, g: Poly) -> Poly:
    return [(a + b) % Q for a, b in zip(f, g, strict=True)]


def _dot(fs: list[Poly], gs: list[Poly]) -> Poly:
    acc = [0] * 256
    for f, g in zip(fs, gs, strict=True):
        acc = _add(acc, multiply_ntts(f, g))
    return acc


def cbd(b: bytes) -> Poly:
    """SamplePolyCBD_eta (Algorithm 8); eta is len(b) / 64."""
    eta = len(b) // 64
    bits = int.from_bytes(b, "little")
    mask = (1 << eta) - 1
    out = []
    for i in range(256):
        x = ((bits >> (2 * i * eta)) & mask).bit_count()
        y = ((bits >> (2 * i * eta + eta)) & mask).bit_count()
        out.append((x - y) % Q)
    return out


def encode(d: int, f: Poly) -> bytes:
    v = 0
    for i, x in enumerate(f):
        v |= x << (d * i)
    return v.to_bytes(32 * d, "little")


def decode(d: int, b: bytes) -> Poly:
    v = int.from_bytes(b, "little")
    mask = (1 << d) - 1
    return [(v >> (d * i)) & mask for i in range(256)]


def compress(d: int, f: Poly) -> Poly:
    # round(2^d x / q) = floor((2^(d+1) x + q) / 2q), then mod 2^d
    return [(((x << (d + 1)) + Q) // (2 * Q)) & ((1 << d) - 1) for x in f]


def decompress(d: int, f: Poly) -> Poly:
    return [(Q * y + (1 << (d - 1))) >> d for y in f]


def _polys(d: int, b: bytes, k: int) -> list[Poly]:
    n = 32 * d
    return [decode(d, b[n * i : n * (i + 1)]) for i in range(k)]


def sample_ntt(stream: bytes) -> bytes | None:
    a: Poly = []
    pos = 0
    while len(a) < 256:
        if pos + 3 > len(stream):
            return None
        c0, c1, c2 = stream[pos], stream[pos + 1], stream[pos + 2]
        pos += 3
        d1 = c0 + 256 * (c1 & 15)
        d2 = (c1 >> 4) + 16 * c2
        if d1 < Q:
            a.append(d1)
        if d2 < Q and len(a) < 256:
            a.append(d2)
    return encode(12, a)


def is_reduced(encoded: bytes) -> bool:
    """True when every 12-bit coefficient of the concatenated encodings is below q."""
    return all(x < Q for p in _polys(12, encoded, len(encoded) // 384) for x in p)


def keygen(k: int, a_hat: bytes, noise: list[bytes]) -> tuple[bytes, bytes]:
    a = _polys(12, a_hat, k * k)
    s = [ntt(cbd(noise[i])) for i in range(k)]
    e = [ntt(cbd(noise[k + i])) for i in range(k)]
    t = [_add(_dot(a[i * k : (i + 1) * k], s), e[i]) for i in range(k)]
    return b"".join(encode(12, x) for x in t), b"".join(encode(12, x) for x in s)


def encrypt(
    k: int, du: int, dv: int, t_hat: bytes, a_hat: bytes, noise: list[bytes], m: bytes
) -> bytes:
    a = _polys(12, a_hat, k * k)
    t = _polys(12, t_hat, k)
    y = [ntt(cbd(noise[i])) for i in range(k)]
    e1 = [cbd(noise[k + i]) for i in range(k)]
    e2 = cbd(noise[2 * k])
    u = [_add(ntt_inv(_dot([a[j * k + i] for j in range(k)], y)), e1[i]) for i in range(k)]
    mu = decompress(1, decode(1, m))
    v = _add(_add(ntt_inv(_dot(t, y)), e2), mu)
    c1 = b"".join(encode(du, compress(du, x)) for x in u)
    return c1 + encode(dv, compress(dv, v))


def decrypt(k: int, du: int, dv: int, s_hat: bytes, c: bytes) -> bytes:
    u = [decompress(du, x) for x in _polys(du, c, k)]
    v = decompress(dv, decode(dv, c[32 * du * k :]))
    s = [[x % Q for x in p] for p in _polys(12, s_hat, k)]
    w = [(a - b) % Q for a, b in zip(v, ntt_inv(_dot(s, [ntt(x) for x in u])), strict=True)]
    return encode(1, compress(1, w))


def select_on_equal(a: bytes, b: bytes, x: bytes, y: bytes) -> bytes:
    diff = len(a) ^ len(b)
    for p, q in zip(a, b, strict=False):
        diff |= p ^ q
    keep_x = -int(diff == 0) & 0xFF  # 0xff when equal
    return bytes((xi & keep_x) | (yi & ~keep_x & 0xFF) for xi, yi in zip(x, y, strict=True))
