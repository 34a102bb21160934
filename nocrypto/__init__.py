"""nocrypto: the cryptographic primitives under puretls.

Every primitive has a readable pure-Python reference and, where speed matters, a
Cython kernel; ``backend`` says which is active (``"cython"`` or ``"python"``) and
``NOCRYPTO_BACKEND=python`` forces the reference.  ``cpu_features`` lists the
instruction-set extensions the kernels may use on this CPU.
"""

from nocrypto._backend import backend, cpu_features
from nocrypto._errors import AuthenticationError, InvalidKeyError, NocryptoError

__all__ = [
    "AuthenticationError",
    "InvalidKeyError",
    "NocryptoError",
    "backend",
    "cpu_features",
]
