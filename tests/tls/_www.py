"""Read the ``puretls server --www`` page the way a person would: an HTML document
whose <pre> block lists the session facts, one ``name: value`` per line."""

from __future__ import annotations

import html
import re


def session_facts(page: str) -> dict[str, str]:
    assert "<h1>puretls server</h1>" in page, page
    block = re.search(r"<pre>\n(.*?)\n</pre>", page, re.S)
    assert block, page
    facts = {}
    for line in html.unescape(block.group(1)).splitlines():
        name, _, value = line.partition(": ")
        facts[name] = value
    return facts
