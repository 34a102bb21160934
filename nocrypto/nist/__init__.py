"""The NIST prime curves P-256, P-384 and P-521 (FIPS 186-4, SEC 2).

``curves`` holds the domain parameters, ``arith`` the readable pure-Python group
arithmetic, ``_arith_cy`` its constant-time Cython kernel (same functions), and
``ecdsa`` the signature encoding and RFC 6979 nonces.  The public face is
:mod:`nocrypto.ec`.
"""
