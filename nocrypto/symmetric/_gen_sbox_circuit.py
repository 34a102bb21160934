"""Derive the bitsliced AES S-box circuits in ``_aes_sbox_bs.h`` (run by hand, not at import).

The S-box is inversion in GF(2^8) followed by an affine map.  Inversion is cheap in a
tower field GF((2^4)^2): GF(16) = GF(2)[z]/(z^4 + z + 1) and GF(256)' = GF(16)[y]/(y^2 + y + L).
This script finds L and an isomorphism between the tower and the AES field
(x^8 + x^4 + x^3 + x + 1), writes the basis changes as XOR networks and the tower
inversion as AND/XOR gates, checks the whole circuit against the S-box on all 256
inputs, and prints C.  ``python -m nocrypto.symmetric._gen_sbox_circuit > _aes_sbox_bs.h``
"""

from __future__ import annotations

import sys

from nocrypto.symmetric.aes import INV_SBOX, SBOX, _gf_mul


def gf16_mul(a: int, b: int) -> int:
    r = 0
    for i in range(4):
        if (b >> i) & 1:
            r ^= a << i
    for i in (6, 5, 4):
        if (r >> i) & 1:
            r ^= 0b10011 << (i - 4)
    return r


def find_lambda() -> int:
    for lam in range(1, 16):
        if all(gf16_mul(y, y) ^ y ^ lam for y in range(16)):
            return lam
    raise AssertionError


def aes_pow(a: int, e: int) -> int:
    r = 1
    for _ in range(e):
        r = _gf_mul(r, a)
    return r


def isomorphism(lam: int) -> list[int]:
    """Column k = image in the AES field of tower basis bit k (low nibble: y^0, high: y^1)."""
    for g in range(2, 256):
        if aes_pow(g, 4) ^ g ^ 1:
            continue
        lam_img = 0
        for i in range(4):
            if (lam >> i) & 1:
                lam_img ^= aes_pow(g, i)
        for y in range(2, 256):
            if _gf_mul(y, y) ^ y ^ lam_img:
                continue
            cols = [aes_pow(g, i) for i in range(4)] + [_gf_mul(aes_pow(g, i), y) for i in range(4)]
            return cols
    raise AssertionError


def apply(cols: list[int], v: int) -> int:
    r = 0
    for k, c in enumerate(cols):
        if (v >> k) & 1:
            r ^= c
    return r


def invert_matrix(cols: list[int]) -> list[int]:
    table = {apply(cols, v): v for v in range(256)}
    assert len(table) == 256
    return [table[1 << k] for k in range(8)]


class Circuit:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.n = 0

    def tmp(self, expr: str) -> str:
        name = f"t{self.n}"
        self.n += 1
        self.lines.append(f"    const BSW {name} = {expr};")
        return name

    def linear(self, cols: list[int], inputs: list[str], nout: int, const: int = 0) -> list[str]:
        """Outputs bit i = XOR of inputs[k] where bit i of cols[k] is set (then ^const)."""
        outs = []
        for i in range(nout):
            terms = [inputs[k] for k, c in enumerate(cols) if (c >> i) & 1]
            expr = " ^ ".join(terms) if terms else "ZERO"
            if (const >> i) & 1:
                expr = f"~({expr})"
            outs.append(self.tmp(expr))
        return outs

    def xor4(self, a: list[str], b: list[str]) -> list[str]:
        return [self.tmp(f"{x} ^ {y}") for x, y in zip(a, b, strict=True)]

    def mul16(self, a: list[str], b: list[str]) -> list[str]:
        p = []
        for k in range(7):
            terms = [f"({a[i]} & {b[k - i]})" for i in range(4) if 0 <= k - i < 4]
            p.append(self.tmp(" ^ ".join(terms)))
        return [
            self.tmp(f"{p[0]} ^ {p[4]}"),
            self.tmp(f"{p[1]} ^ {p[4]} ^ {p[5]}"),
            self.tmp(f"{p[2]} ^ {p[5]} ^ {p[6]}"),
            self.tmp(f"{p[3]} ^ {p[6]}"),
        ]


def lin16(f) -> list[int]:
    return [f(1 << k) for k in range(4)]


def tower_inverse(c: Circuit, a: list[str], lam: int) -> list[str]:
    al, ah = a[:4], a[4:]
    sq = lin16(lambda v: gf16_mul(v, v))
    lam_sq = lin16(lambda v: gf16_mul(lam, gf16_mul(v, v)))
    # d = L*ah^2 + ah*al + al^2, the norm; its inverse is d^14.
    d = c.xor4(c.xor4(c.linear(lam_sq, ah, 4), c.mul16(ah, al)), c.linear(sq, al, 4))
    d2 = c.linear(sq, d, 4)
    d3 = c.mul16(d2, d)
    d12 = c.linear(lin16(lambda v: gf16_mul(gf16_mul(v, v), gf16_mul(v, v))), d3, 4)
    e = c.mul16(d12, d2)
    return c.mul16(c.xor4(ah, al), e) + c.mul16(ah, e)


def affine_cols() -> list[int]:
    cols = []
    for k in range(8):
        v = 1 << k
        s = v
        for r in range(1, 5):
            s ^= ((v << r) | (v >> (8 - r))) & 0xFF
        cols.append(s)
    return cols


def compose(outer: list[int], inner: list[int]) -> list[int]:
    return [apply(outer, c) for c in inner]


def build(inverse: bool) -> tuple[list[str], list[str]]:
    lam = find_lambda()
    phi = isomorphism(lam)
    phi_inv = invert_matrix(phi)
    aff = affine_cols()
    c = Circuit()
    x = [f"x[{i}]" for i in range(8)]
    if inverse:
        # InvSubBytes: undo the affine map (x ^ 0x63 then A^-1), then invert.
        a_inv = invert_matrix(aff)
        into = c.linear(compose(phi_inv, a_inv), x, 8, const=apply(compose(phi_inv, a_inv), 0x63))
        inv = tower_inverse(c, into, lam)
        out = c.linear(phi, inv, 8)
    else:
        into = c.linear(phi_inv, x, 8)
        inv = tower_inverse(c, into, lam)
        out = c.linear(compose(aff, phi), inv, 8, const=0x63)
    return c.lines, out


def check(lines: list[str], out: list[str], table: list[int]) -> None:
    # Evaluate with 256-bit planes: bit v of plane i is bit i of input v.
    mask = (1 << 256) - 1
    env = {"ZERO": 0}
    for i in range(8):
        env[f"x{i}"] = sum(((v >> i) & 1) << v for v in range(256))
    for line in lines:
        name, expr = line.split("const BSW ")[1].rstrip(";").split(" = ", 1)
        expr = expr.replace("x[", "x").replace("]", "").replace("~(", "mask ^ (")
        env[name] = eval(expr, {"mask": mask}, env) & mask  # noqa: S307 - our own text
    for v in range(256):
        got = sum(((env[o] >> v) & 1) << i for i, o in enumerate(out))
        assert got == table[v], (v, got, table[v])


def emit(name: str, lines: list[str], out: list[str]) -> str:
    body = "\n".join(lines)
    assign = "\n".join(f"    x[{i}] = {o};" for i, o in enumerate(out))
    return f"static inline void {name}(BSW x[8]) {{\n{body}\n{assign}\n}}\n"


def main() -> None:
    fwd = build(False)
    check(*fwd, SBOX)
    inv = build(True)
    check(*inv, INV_SBOX)
    sys.stdout.write(
        "/* Bitsliced AES S-box and inverse S-box (tower-field inversion).\n"
        " * Generated by _gen_sbox_circuit.py and checked there on all 256 inputs.\n"
        " * x[i] holds bit i of every byte being substituted; BSW is the word type. */\n"
        + emit("bs_sbox", *fwd)
        + emit("bs_inv_sbox", *inv)
    )
    print(f"/* gates: forward {len(fwd[0])}, inverse {len(inv[0])} */", file=sys.stderr)


if __name__ == "__main__":
    main()
