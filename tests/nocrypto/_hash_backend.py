"""The ``backend`` fixture: run a test with every hash lookup going through one backend.

HMAC, HKDF, the PRF and the DRBG look hashes up by name, so patching the name table
is enough to exercise the pure-Python classes and the kernels in one process.
"""

from __future__ import annotations

import importlib

import pytest

from nocrypto import hashes
from nocrypto.hashes import sha1_ref, sha2, sha3

PY_CLASSES = {
    "sha1": sha1_ref.SHA1,
    "sha224": sha2.SHA224,
    "sha256": sha2.SHA256,
    "sha384": sha2.SHA384,
    "sha512": sha2.SHA512,
    "sha3_256": sha3.SHA3_256,
    "sha3_512": sha3.SHA3_512,
    "shake128": sha3.SHAKE128,
    "shake256": sha3.SHAKE256,
}
KERNELS = {
    "sha1": ("nocrypto.hashes._sha1_cy", "SHA1"),
    "sha224": ("nocrypto.hashes._sha2_cy", "SHA224"),
    "sha256": ("nocrypto.hashes._sha2_cy", "SHA256"),
    "sha384": ("nocrypto.hashes._sha2_cy", "SHA384"),
    "sha512": ("nocrypto.hashes._sha2_cy", "SHA512"),
    "sha3_256": ("nocrypto.hashes._sha3_cy", "SHA3_256"),
    "sha3_512": ("nocrypto.hashes._sha3_cy", "SHA3_512"),
    "shake128": ("nocrypto.hashes._sha3_cy", "SHAKE128"),
    "shake256": ("nocrypto.hashes._sha3_cy", "SHAKE256"),
}


@pytest.fixture(params=["python", "cython"], name="backend")
def hash_backend_fixture(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Route every hash lookup (and so HMAC/HKDF/PRF) through one backend's classes."""
    if request.param == "python":
        table = dict(PY_CLASSES)
    else:
        table = {}
        for name, (mod_name, cls) in KERNELS.items():
            try:
                table[name] = getattr(importlib.import_module(mod_name), cls)
            except ImportError:
                pytest.skip(f"kernel {mod_name} is not built (run cythonize -i on it)")
    monkeypatch.setattr(hashes, "_BY_NAME", table)
    return request.param
