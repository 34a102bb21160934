"""Symmetric primitives behind ``nocrypto.aead`` and ``nocrypto.cipher``.

Each idea has a readable pure-Python reference (``aes.py``, ``gcm.py``, ``ccm.py``,
``chacha20poly1305.py``) and, where speed matters, a Cython kernel beside it
(``_aes_cy.pyx``, ``_gcm_cy.pyx``, ``_chacha20poly1305_cy.pyx``) offering the same
classes.  The public modules choose between them with ``nocrypto._backend.kernel``.
"""
