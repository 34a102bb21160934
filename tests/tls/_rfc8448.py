"""Read the labelled hex blocks of the RFC 8448 traces."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_STEP = re.compile(r"^   \{(client|server)\}  (.*?):?$")
_LABEL = re.compile(r"^      (.+?) \((\d+) octets\):\s+(.*)$")
_HEX = re.compile(r"^\s+([0-9a-f]{2}( [0-9a-f]{2})*)\s*$")
_SECTION = re.compile(r"^(\d+)\.  (.+)$")


@dataclass(frozen=True)
class Block:
    section: str
    who: str
    step: str
    label: str
    data: bytes


def blocks(path: Path) -> list[Block]:
    lines = path.read_text().splitlines()
    out: list[Block] = []
    section = who = step = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        if m := _SECTION.match(line):
            section = m.group(2).strip()
        elif m := _STEP.match(line):
            who, step = m.group(1), m.group(2)
        elif m := _LABEL.match(line):
            label, size = m.group(1), int(m.group(2))
            if not _HEX.match(" " + m.group(3)):
                i += 1
                continue
            data = bytes.fromhex(m.group(3))
            i += 1
            while len(data) < size and i < len(lines):
                if h := _HEX.match(lines[i]):
                    data += bytes.fromhex(h.group(1))
                i += 1
            assert len(data) == size, (label, size, len(data))
            out.append(Block(section, who, step, label, data))
            continue
        i += 1
    return out


def find(
    all_blocks: list[Block], section: str, who: str, step: str, label: str, n: int = 0
) -> bytes:
    """The ``n``-th block matching ``section``/``who``/``step`` prefix/``label``."""
    hits = [
        b.data
        for b in all_blocks
        if b.section.startswith(section)
        and b.who == who
        and b.step.startswith(step)
        and b.label == label
    ]
    return hits[n]
