"""Curve25519 and Curve448 internals behind ``nocrypto.x25519``, ``x448``, ``ed25519``, ``ed448``.

``montgomery`` is the readable RFC 7748 ladder; ``_montgomery_cy`` its constant-time kernel.
``ed25519_ref`` / ``ed448_ref`` are the readable RFC 8032 group arithmetic; the
``_ed25519_cy`` / ``_ed448_cy`` kernels offer the same functions.  The public modules one
level up choose a backend with ``nocrypto._backend.kernel``.
"""
