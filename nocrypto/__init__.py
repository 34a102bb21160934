"""nocrypto: the cryptographic primitives under puretls.

Every primitive has a readable pure-Python reference and, where speed matters, a
Cython kernel; ``backend`` says which is active (``"cython"`` or ``"python"``) and
``NOCRYPTO_BACKEND=python`` forces the reference.  ``cpu_features`` lists the
instruction-set extensions the kernels may use on this CPU.
"""

from nocrypto._backend import backend, cpu_features
from nocrypto._errors import AuthenticationError, InvalidKeyError, NocryptoError
from nocrypto.ct import constant_time_equal
from nocrypto.kdf import (
    Hmac,
    derive_secret,
    hkdf,
    hkdf_expand,
    hkdf_expand_label,
    hkdf_extract,
    hmac,
    tls12_prf,
)

__all__ = [
    "AuthenticationError",
    "InvalidKeyError",
    "Hmac",
    "NocryptoError",
    "backend",
    "constant_time_equal",
    "cpu_features",
    "derive_secret",
    "hkdf",
    "hkdf_expand",
    "hkdf_expand_label",
    "hkdf_extract",
    "hmac",
    "tls12_prf",
]
