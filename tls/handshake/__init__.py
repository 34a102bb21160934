"""Handshake logic, one module per role and version (``client13``, ``server13``)."""
