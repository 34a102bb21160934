"""Symmetric primitives behind ``nocrypto.aead`` and ``nocrypto.cipher``.

Each idea has a readable pure-Python reference (``aes.py``, ``gcm.py``, ``ccm.py``,
``chacha20poly1305.py``) and, where speed matters, a Cython kernel beside it
(``_aes_cy.pyx``, ``_gcm_cy.pyx``, ``_chacha20poly1305_cy.pyx``) offering the same
classes.  The public modules choose between them with ``nocrypto._backend.kernel``.

Kernel C code: ``_aes_impl.h`` (AES-NI, VAES, and the bitsliced portable AES whose
S-box circuit ``_aes_sbox_bs.h`` is derived by ``_gen_sbox_circuit.py``),
``_gcm_impl.h`` (GHASH on PCLMULQDQ / VPCLMULQDQ / portable constant-time multiply),
``_chacha20poly1305_impl.h`` (ChaCha20 on AVX-512 / AVX2 / portable C, Poly1305 on
AVX2 / 64-bit limbs).  Each kernel class takes ``portable=True`` to force the portable
path and ``wide=False`` to stay off AVX-512; ``hw_level`` reports the path in use.
Side channels: the kernels have no secret-dependent branches or table lookups on any
path; the pure-Python references do (documented in each module).
"""
