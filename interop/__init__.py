"""Interoperability matrix against openssl, gnutls, tlslite-ng and Python ssl."""
