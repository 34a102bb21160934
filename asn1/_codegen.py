"""Straight-line SEQUENCE decoders for strict DER, generated once per grammar.

The generic SEQUENCE decoder walks a field plan in a loop; this writes the same logic
out as one Python function per SEQUENCE (unrolled fields, constants bound as defaults
of the factory, short-form primitive fields decoded in line), the way ``dataclasses``
builds ``__init__``.  Only names and small ints from the grammar reach the source text;
every other value is passed in through the namespace, never formatted into the code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any as TAny

from . import primitives
from .errors import DecodeError
from .grammar import Field, Grammar, Prim


def sequence_decoder(
    g: Grammar,
    fields: tuple[Field, ...],
    plan: list[tuple[TAny, ...]],
    ident0: int,
    read_length: Callable[..., tuple[int, int, int]],
    peek_key: Callable[[bytes, int, int], int],
    key1: tuple[int, ...],
    mismatch: Callable[..., DecodeError],
) -> Callable[[bytes, int, int], tuple[TAny, int]]:
    ns: dict[str, TAny] = {
        "DecodeError": DecodeError,
        "read_length": read_length,
        "peek_key": peek_key,
        "KEY1": key1,
        "mismatch": mismatch,
        "G": g,
        "WHAT": f"unexpected element at the end of {g.describe()}",
    }
    lines = [
        "def dec(buf, off, end):",
        "    if off + 2 > end or buf[off] != IDENT0:",
        "        raise mismatch(G, buf, off, end)",
        "    n = buf[off + 1]",
        "    if n < 0x80:",
        "        start = off + 2",
        "        stop = nxt = start + n",
        "        if stop > end:",
        "            raise DecodeError('length exceeds the remaining input', off + 1)",
        "    elif n == 0x82 and off + 4 <= end:",
        "        start = off + 4",
        "        n = (buf[off + 2] << 8) | buf[off + 3]",
        "        if n < 0x100:",
        "            raise DecodeError('DER length is not minimally encoded', off + 1)",
        "        stop = nxt = start + n",
        "        if stop > end:",
        "            raise DecodeError('length exceeds the remaining input', off + 1)",
        "    else:",
        "        start, stop, nxt = read_length(buf, off + 1, end, False, True)",
        "    out = {}",
        "    pos = start",
        "    name = None",
        "    try:",
    ]
    ns["IDENT0"] = ident0
    for i, (f, entry) in enumerate(zip(fields, plan, strict=True)):
        fname, fdec, ftags, mode, dflt, choose = entry
        key = repr(fname)
        ns[f"D{i}"] = fdec
        ns[f"T{i}"] = ftags
        ns[f"DF{i}"] = dflt
        ns[f"CH{i}"] = choose
        body: list[str] = [f"name = {key}"]
        if choose is not None:
            body.append(f"out[{key}], pos = CH{i}(out)(buf, pos, stop)")
        elif isinstance(f.grammar, Prim) and len(f.grammar.ident) == 1:
            p = f.grammar
            ns[f"C{i}"] = primitives.decoder(p.kind, True, p.named, (p.min, p.max))
            ns[f"B{i}"] = p.ident[0]
            body += [
                f"if pos + 2 <= stop and buf[pos] == B{i} and buf[pos + 1] < 0x80:",
                "    s = pos + 2",
                "    e = s + buf[pos + 1]",
                "    if e > stop:",
                "        raise DecodeError('length exceeds the remaining input', pos + 1)",
                f"    out[{key}] = C{i}(buf, s, e)",
                "    pos = e",
                "else:",
                f"    out[{key}], pos = D{i}(buf, pos, stop)",
            ]
        else:
            body.append(f"out[{key}], pos = D{i}(buf, pos, stop)")
        if mode == 2:
            body += [
                f"if out[{key}] == DF{i}:",
                "    raise DecodeError('DER forbids encoding a DEFAULT value', pos)",
            ]
        if mode == 0:
            lines += ["        " + b for b in body]
            continue
        # OPTIONAL / DEFAULT: present only when the next tag is one of the field's
        if ftags is None:
            cond = "pos < stop"
            lines.append(f"        if {cond}:")
        else:
            lines += [
                "        if pos < stop:",
                "            k = KEY1[buf[pos]]",
                "            if k < 0:",
                "                k = peek_key(buf, pos, stop)",
                "        else:",
                "            k = -1",
            ]
            if len(ftags) == 1:
                ns[f"K{i}"] = next(iter(ftags))
                lines.append(f"        if k == K{i}:")
            else:
                lines.append(f"        if k in T{i}:")
        lines += ["            " + b for b in body]
        if mode == 2:
            lines += ["        else:", f"            out[{key}] = DF{i}"]
    lines += [
        "        name = None",
        "        if pos != stop:",
        "            raise DecodeError(WHAT, pos)",
        "    except DecodeError as exc:",
        "        if name is not None:",
        "            exc._rpath.append(name)",
        "        raise",
        "    return out, nxt",
    ]
    exec(compile("\n".join(lines), f"<asn1 decoder {g.describe()}>", "exec"), ns)  # noqa: S102
    return ns["dec"]
