"""SHA-224, SHA-256, SHA-384 and SHA-512 (FIPS 180-4), in pure Python.

This is the readable reference for the Cython kernels in ``_sha2_cy.pyx``.  The round
functions are written with local names and 32/64-bit masks because CPython pays for
every attribute and global lookup; the round structure follows FIPS 180-4 section 6.2
and 6.4 step by step.

Side channels: the control flow and the memory accesses depend only on the message
length, never on message or key bytes.  CPython integers are variable-length, however,
so the time of an individual ``+`` or ``&`` can vary slightly with operand magnitude;
this implementation makes no constant-time promise beyond "no secret-dependent branches
or table indexes".  Use the Cython kernel for secrets where timing matters.
"""

from __future__ import annotations

import struct

from nocrypto.hashes._base import MerkleDamgard

_M32 = 0xFFFFFFFF
_M64 = 0xFFFFFFFFFFFFFFFF

# FIPS 180-4 4.2.2: first 32 bits of the fractional parts of the cube roots of the
# first 64 primes.
_K256 = (
    0x428A2F98, 0x71374491, 0xB5C0FBCF, 0xE9B5DBA5, 0x3956C25B, 0x59F111F1, 0x923F82A4, 0xAB1C5ED5,
    0xD807AA98, 0x12835B01, 0x243185BE, 0x550C7DC3, 0x72BE5D74, 0x80DEB1FE, 0x9BDC06A7, 0xC19BF174,
    0xE49B69C1, 0xEFBE4786, 0x0FC19DC6, 0x240CA1CC, 0x2DE92C6F, 0x4A7484AA, 0x5CB0A9DC, 0x76F988DA,
    0x983E5152, 0xA831C66D, 0xB00327C8, 0xBF597FC7, 0xC6E00BF3, 0xD5A79147, 0x06CA6351, 0x14292967,
    0x27B70A85, 0x2E1B2138, 0x4D2C6DFC, 0x53380D13, 0x650A7354, 0x766A0ABB, 0x81C2C92E, 0x92722C85,
    0xA2BFE8A1, 0xA81A664B, 0xC24B8B70, 0xC76C51A3, 0xD192E819, 0xD6990624, 0xF40E3585, 0x106AA070,
    0x19A4C116, 0x1E376C08, 0x2748774C, 0x34B0BCB5, 0x391C0CB3, 0x4ED8AA4A, 0x5B9CCA4F, 0x682E6FF3,
    0x748F82EE, 0x78A5636F, 0x84C87814, 0x8CC70208, 0x90BEFFFA, 0xA4506CEB, 0xBEF9A3F7, 0xC67178F2,
)  # fmt: skip

# FIPS 180-4 4.2.3: first 64 bits of the fractional parts of the cube roots of the
# first 80 primes.
_K512 = (
    0x428A2F98D728AE22, 0x7137449123EF65CD, 0xB5C0FBCFEC4D3B2F, 0xE9B5DBA58189DBBC,
    0x3956C25BF348B538, 0x59F111F1B605D019, 0x923F82A4AF194F9B, 0xAB1C5ED5DA6D8118,
    0xD807AA98A3030242, 0x12835B0145706FBE, 0x243185BE4EE4B28C, 0x550C7DC3D5FFB4E2,
    0x72BE5D74F27B896F, 0x80DEB1FE3B1696B1, 0x9BDC06A725C71235, 0xC19BF174CF692694,
    0xE49B69C19EF14AD2, 0xEFBE4786384F25E3, 0x0FC19DC68B8CD5B5, 0x240CA1CC77AC9C65,
    0x2DE92C6F592B0275, 0x4A7484AA6EA6E483, 0x5CB0A9DCBD41FBD4, 0x76F988DA831153B5,
    0x983E5152EE66DFAB, 0xA831C66D2DB43210, 0xB00327C898FB213F, 0xBF597FC7BEEF0EE4,
    0xC6E00BF33DA88FC2, 0xD5A79147930AA725, 0x06CA6351E003826F, 0x142929670A0E6E70,
    0x27B70A8546D22FFC, 0x2E1B21385C26C926, 0x4D2C6DFC5AC42AED, 0x53380D139D95B3DF,
    0x650A73548BAF63DE, 0x766A0ABB3C77B2A8, 0x81C2C92E47EDAEE6, 0x92722C851482353B,
    0xA2BFE8A14CF10364, 0xA81A664BBC423001, 0xC24B8B70D0F89791, 0xC76C51A30654BE30,
    0xD192E819D6EF5218, 0xD69906245565A910, 0xF40E35855771202A, 0x106AA07032BBD1B8,
    0x19A4C116B8D2D0C8, 0x1E376C085141AB53, 0x2748774CDF8EEB99, 0x34B0BCB5E19B48A8,
    0x391C0CB3C5C95A63, 0x4ED8AA4AE3418ACB, 0x5B9CCA4F7763E373, 0x682E6FF3D6B2B8A3,
    0x748F82EE5DEFB2FC, 0x78A5636F43172F60, 0x84C87814A1F0AB72, 0x8CC702081A6439EC,
    0x90BEFFFA23631E28, 0xA4506CEBDE82BDE9, 0xBEF9A3F7B2C67915, 0xC67178F2E372532B,
    0xCA273ECEEA26619C, 0xD186B8C721C0C207, 0xEADA7DD6CDE0EB1E, 0xF57D4F7FEE6ED178,
    0x06F067AA72176FBA, 0x0A637DC5A2C898A6, 0x113F9804BEF90DAE, 0x1B710B35131C471B,
    0x28DB77F523047D84, 0x32CAAB7B40C72493, 0x3C9EBE0A15C9BEBC, 0x431D67C49C100D4C,
    0x4CC5D4BECB3E42B6, 0x597F299CFC657E2A, 0x5FCB6FAB3AD6FAEC, 0x6C44198C4A475817,
)  # fmt: skip

_BLOCK256 = struct.Struct(">16I")
_BLOCK512 = struct.Struct(">16Q")


def compress256(state: tuple[int, ...], data: bytes, end: int) -> tuple[int, ...]:
    """FIPS 180-4 6.2.2 over the 64-byte blocks of ``data[0:end]``.

    Speed tricks (CPython pays per bytecode): a 32-bit rotation ROTR(x, n) is read off
    ``xx = x | x << 32`` as ``(xx >> n) & M``, so Sigma needs one OR and three shifts
    instead of six shifts and three ORs; the Sigma and sigma values are left unmasked
    (their bits above 32 only reach sums that are masked anyway); eight rounds are
    written out with the working variables renamed instead of shifted; K[t] + W[t] is
    added in one step.
    """
    k, m, unpack = _K256, _M32, _BLOCK256.unpack_from
    h0, h1, h2, h3, h4, h5, h6, h7 = state
    for off in range(0, end, 64):
        w = list(unpack(data, off))
        # Message schedule: W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16].
        for t in range(16, 64):
            x = w[t - 15]
            y = w[t - 2]
            xx = x | x << 32
            yy = y | y << 32
            w.append(
                (
                    (xx >> 7 ^ xx >> 18 ^ x >> 3)
                    + (yy >> 17 ^ yy >> 19 ^ y >> 10)
                    + w[t - 7]
                    + w[t - 16]
                )
                & m
            )
        kw = [x + y for x, y in zip(k, w, strict=True)]
        a, b, c, d, e, f, g, h = h0, h1, h2, h3, h4, h5, h6, h7
        v = b ^ c  # Maj(a, b, c) = b ^ ((a ^ b) & (b ^ c)); each round's a ^ b is the next b ^ c
        for t in range(0, 64, 8):
            # Each round: T1 = h + Sigma1(e) + Ch(e,f,g) + K[t] + W[t]; d += T1;
            # h = T1 + Sigma0(a) + Maj(a,b,c); then the names rotate by one.
            ee = e | e << 32
            t1 = h + (ee >> 6 ^ ee >> 11 ^ ee >> 25) + (g ^ (e & (f ^ g))) + kw[t]
            d = (d + t1) & m
            aa = a | a << 32
            u = a ^ b
            h = (t1 + (aa >> 2 ^ aa >> 13 ^ aa >> 22) + (b ^ (u & v))) & m
            ee = d | d << 32
            t1 = g + (ee >> 6 ^ ee >> 11 ^ ee >> 25) + (f ^ (d & (e ^ f))) + kw[t + 1]
            c = (c + t1) & m
            aa = h | h << 32
            v = h ^ a
            g = (t1 + (aa >> 2 ^ aa >> 13 ^ aa >> 22) + (a ^ (v & u))) & m
            ee = c | c << 32
            t1 = f + (ee >> 6 ^ ee >> 11 ^ ee >> 25) + (e ^ (c & (d ^ e))) + kw[t + 2]
            b = (b + t1) & m
            aa = g | g << 32
            u = g ^ h
            f = (t1 + (aa >> 2 ^ aa >> 13 ^ aa >> 22) + (h ^ (u & v))) & m
            ee = b | b << 32
            t1 = e + (ee >> 6 ^ ee >> 11 ^ ee >> 25) + (d ^ (b & (c ^ d))) + kw[t + 3]
            a = (a + t1) & m
            aa = f | f << 32
            v = f ^ g
            e = (t1 + (aa >> 2 ^ aa >> 13 ^ aa >> 22) + (g ^ (v & u))) & m
            ee = a | a << 32
            t1 = d + (ee >> 6 ^ ee >> 11 ^ ee >> 25) + (c ^ (a & (b ^ c))) + kw[t + 4]
            h = (h + t1) & m
            aa = e | e << 32
            u = e ^ f
            d = (t1 + (aa >> 2 ^ aa >> 13 ^ aa >> 22) + (f ^ (u & v))) & m
            ee = h | h << 32
            t1 = c + (ee >> 6 ^ ee >> 11 ^ ee >> 25) + (b ^ (h & (a ^ b))) + kw[t + 5]
            g = (g + t1) & m
            aa = d | d << 32
            v = d ^ e
            c = (t1 + (aa >> 2 ^ aa >> 13 ^ aa >> 22) + (e ^ (v & u))) & m
            ee = g | g << 32
            t1 = b + (ee >> 6 ^ ee >> 11 ^ ee >> 25) + (a ^ (g & (h ^ a))) + kw[t + 6]
            f = (f + t1) & m
            aa = c | c << 32
            u = c ^ d
            b = (t1 + (aa >> 2 ^ aa >> 13 ^ aa >> 22) + (d ^ (u & v))) & m
            ee = f | f << 32
            t1 = a + (ee >> 6 ^ ee >> 11 ^ ee >> 25) + (h ^ (f & (g ^ h))) + kw[t + 7]
            e = (e + t1) & m
            aa = b | b << 32
            v = b ^ c
            a = (t1 + (aa >> 2 ^ aa >> 13 ^ aa >> 22) + (c ^ (v & u))) & m
        h0 = (h0 + a) & m
        h1 = (h1 + b) & m
        h2 = (h2 + c) & m
        h3 = (h3 + d) & m
        h4 = (h4 + e) & m
        h5 = (h5 + f) & m
        h6 = (h6 + g) & m
        h7 = (h7 + h) & m
    return (h0, h1, h2, h3, h4, h5, h6, h7)


def compress512(state: tuple[int, ...], data: bytes, end: int) -> tuple[int, ...]:
    """FIPS 180-4 6.4.2 over the 128-byte blocks of ``data[0:end]``."""
    k, m, unpack = _K512, _M64, _BLOCK512.unpack_from
    h0, h1, h2, h3, h4, h5, h6, h7 = state
    for off in range(0, end, 128):
        w = list(unpack(data, off))
        for t in range(16, 80):
            x = w[t - 15]
            y = w[t - 2]
            s0 = ((x >> 1 | x << 63) ^ (x >> 8 | x << 56) ^ (x >> 7)) & m
            s1 = ((y >> 19 | y << 45) ^ (y >> 61 | y << 3) ^ (y >> 6)) & m
            w.append((s1 + w[t - 7] + s0 + w[t - 16]) & m)
        a, b, c, d, e, f, g, h = h0, h1, h2, h3, h4, h5, h6, h7
        for t in range(80):
            t1 = (
                h
                + (((e >> 14 | e << 50) ^ (e >> 18 | e << 46) ^ (e >> 41 | e << 23)) & m)
                + (g ^ (e & (f ^ g)))
                + k[t]
                + w[t]
            )
            t2 = (((a >> 28 | a << 36) ^ (a >> 34 | a << 30) ^ (a >> 39 | a << 25)) & m) + (
                (a & b) | (c & (a | b))
            )
            h = g
            g = f
            f = e
            e = (d + t1) & m
            d = c
            c = b
            b = a
            a = (t1 + t2) & m
        h0 = (h0 + a) & m
        h1 = (h1 + b) & m
        h2 = (h2 + c) & m
        h3 = (h3 + d) & m
        h4 = (h4 + e) & m
        h5 = (h5 + f) & m
        h6 = (h6 + g) & m
        h7 = (h7 + h) & m
    return (h0, h1, h2, h3, h4, h5, h6, h7)


class SHA256(MerkleDamgard):
    name = "sha256"
    digest_size = 32
    block_size = 64
    _word_bytes = 4
    # FIPS 180-4 5.3.3
    _iv = (
        0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A,
        0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19,
    )  # fmt: skip
    _compress = staticmethod(compress256)
    __slots__ = ()


class SHA224(SHA256):
    name = "sha224"
    digest_size = 28
    # FIPS 180-4 5.3.2
    _iv = (
        0xC1059ED8, 0x367CD507, 0x3070DD17, 0xF70E5939,
        0xFFC00B31, 0x68581511, 0x64F98FA7, 0xBEFA4FA4,
    )  # fmt: skip
    __slots__ = ()


class SHA512(MerkleDamgard):
    name = "sha512"
    digest_size = 64
    block_size = 128
    _word_bytes = 8
    # FIPS 180-4 5.3.5
    _iv = (
        0x6A09E667F3BCC908, 0xBB67AE8584CAA73B, 0x3C6EF372FE94F82B, 0xA54FF53A5F1D36F1,
        0x510E527FADE682D1, 0x9B05688C2B3E6C1F, 0x1F83D9ABFB41BD6B, 0x5BE0CD19137E2179,
    )  # fmt: skip
    _compress = staticmethod(compress512)
    __slots__ = ()


class SHA384(SHA512):
    name = "sha384"
    digest_size = 48
    # FIPS 180-4 5.3.4
    _iv = (
        0xCBBB9D5DC1059ED8, 0x629A292A367CD507, 0x9159015A3070DD17, 0x152FECD8F70E5939,
        0x67332667FFC00B31, 0x8EB44A8768581511, 0xDB0C2E0D64F98FA7, 0x47B5481DBEFA4FA4,
    )  # fmt: skip
    __slots__ = ()
