"""Launcher for the ``puretls`` command (``python -m puretls`` works too).

It lives outside ``tls`` on purpose: tlslite-ng installs a script named ``tls.py``
into the same ``bin`` directory as our console script, and Python puts a script's
directory first on ``sys.path``, so ``import tls`` from there would find that script.
"""

from __future__ import annotations

import os
import sys


def main() -> int:
    script_dir = os.path.dirname(os.path.abspath(sys.argv[0])) if sys.argv and sys.argv[0] else ""
    if script_dir and sys.path and os.path.abspath(sys.path[0] or os.curdir) == script_dir:
        if os.path.exists(os.path.join(script_dir, "tls.py")):
            del sys.path[0]
    from tls.cli import main as cli_main

    return cli_main()
