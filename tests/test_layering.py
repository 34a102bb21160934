"""The four packages stand on their own: no oracle or peer library is loaded at run time."""

import subprocess
import sys

FORBIDDEN = (
    "cryptography",
    "pyasn1",
    "asn1crypto",
    "tlslite",
    "hashlib",
    "_hashlib",
    "hmac",
    "ssl",
)


def test_importing_the_stack_loads_no_oracle_library():
    # tls.compat is the one documented exception: it subclasses ssl.SSLContext, so it is
    # imported only on request and is not part of this check.
    code = (
        "import sys\n"
        "import nocrypto, nocrypto.hashes, nocrypto.aead, nocrypto.rsa, nocrypto.ec\n"
        "import nocrypto.x25519, nocrypto.ed25519, nocrypto.mlkem, nocrypto.dh\n"
        "import asn1, x509, tls, tls.engine\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"loaded at run time: {out.stdout.strip()}"
