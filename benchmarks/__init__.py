"""Side-by-side benchmarks of puretls against OpenSSL (ssl, cryptography, hashlib) and tlslite-ng."""
