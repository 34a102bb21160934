"""Key encodings: SubjectPublicKeyInfo, PKCS#8 (RFC 5208/5958, encrypted with PBES2 per
RFC 8018), PKCS#1 RSAPrivateKey (RFC 8017) and SEC1 ECPrivateKey (RFC 5915), in DER or
PEM.  Legacy OpenSSL PEM encryption (``Proc-Type: 4,ENCRYPTED``) is refused: it
derives the key with a single MD5 pass.

Side channels: decoding and encoding a private key moves its secret bytes through
ordinary Python code (base64, the asn1 decoder, ``int.from_bytes``), and PBKDF2 /
the AES-CBC padding check run in variable time.  These happen once per key load, not
per signature, and never on attacker-chosen ciphertexts in a loop; the signing
operations themselves are nocrypto's (see its module docstrings).
"""

from __future__ import annotations

from typing import Any

from asn1.values import BitString
from x509 import algorithms as alg
from x509 import grammar as G
from x509 import pem
from x509.decode import parse, public_key
from x509.encode import _encode, spki
from x509.errors import ParseError, UnsupportedAlgorithm
from x509.keys import PrivateKey, PublicKey

PBKDF2_ITERATIONS = 200_000  # PBKDF2-HMAC-SHA256 iterations for keys we encrypt


def _bytes(data: Any) -> bytes:
    if isinstance(data, str):
        return data.encode("ascii")
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data)
    raise TypeError(f"expected bytes, got {type(data).__name__}")


# -- public keys ---------------------------------------------------------------------


def encode_spki(key: PublicKey) -> bytes:
    return spki(key)


def load_der_public_key(data: bytes | bytearray | memoryview) -> PublicKey:
    """A SubjectPublicKeyInfo."""
    info = parse(G.SubjectPublicKeyInfo, _bytes(data), "SubjectPublicKeyInfo")
    try:
        return public_key(info)
    except ValueError as exc:
        if isinstance(exc, ParseError | UnsupportedAlgorithm):
            raise
        raise ParseError(f"invalid public key: {exc}") from None


def load_pem_public_key(data: bytes | str) -> PublicKey:
    [der] = pem.decode(data, ("PUBLIC KEY",))[:1]
    return load_der_public_key(der)


# -- private keys: decoding ----------------------------------------------------------


def _rsa_private(v: dict[str, Any], pss: bool = False) -> PrivateKey:
    from nocrypto import rsa

    if v["version"] != 0 or "otherPrimeInfos" in v:
        raise UnsupportedAlgorithm("multi-prime RSA keys are not supported")
    try:
        key = rsa.RSAPrivateKey(
            v["modulus"], v["publicExponent"], v["privateExponent"], v["prime1"], v["prime2"]
        )
    except ValueError as exc:
        raise ParseError(f"inconsistent RSA private key: {exc}") from None
    return PrivateKey.rsa(key, pss=pss)


def _ec_private(v: dict[str, Any], curve: str | None) -> PrivateKey:
    if v["version"] != 1:
        raise ParseError("ECPrivateKey version must be 1")
    if "parameters" in v:
        kind, oid = v["parameters"]
        if kind != "namedCurve":
            raise UnsupportedAlgorithm("explicit elliptic-curve parameters are not supported")
        named = alg.NAMED_CURVES.get(oid, oid)
        if curve is not None and named != curve:
            raise ParseError("ECPrivateKey curve differs from the algorithm's")
        curve = named
    if curve is None:
        raise ParseError("ECPrivateKey without a curve")
    d = int.from_bytes(v["privateKey"], "big")
    try:
        key = PrivateKey.ec(curve, d)
    except ValueError as exc:
        if isinstance(exc, UnsupportedAlgorithm):
            raise
        raise ParseError(f"invalid EC private key: {exc}") from None
    if "publicKey" in v and v["publicKey"].data != key.public_key().raw:
        # a stored public key that does not belong to the scalar is a corrupted file
        pub = v["publicKey"].data
        if PrivateKey.ec(curve, d).public_key().raw != pub:
            raise ParseError("ECPrivateKey public key does not match the private key")
    return key


def _pkcs8(info: dict[str, Any]) -> PrivateKey:
    """A key from a decoded OneAsymmetricKey (the grammar decodes the inner key)."""
    algorithm = info["privateKeyAlgorithm"]["algorithm"]
    params = info["privateKeyAlgorithm"].get("parameters")
    inner = info["privateKey"]
    if algorithm in (alg.RSA_ENCRYPTION, alg.RSASSA_PSS):
        return _rsa_private(inner, pss=algorithm == alg.RSASSA_PSS)
    if algorithm == alg.EC_PUBLIC_KEY:
        if not isinstance(params, tuple) or params[0] != "namedCurve":
            raise UnsupportedAlgorithm("EC keys need a named curve")
        return _ec_private(inner, alg.NAMED_CURVES.get(params[1], params[1]))
    if algorithm in alg.OCTET_KEYS:
        secret = inner
        try:
            return PrivateKey.octets(alg.OCTET_KEYS[algorithm], secret)
        except ValueError as exc:
            raise ParseError(str(exc)) from None
    raise UnsupportedAlgorithm(f"unsupported private key algorithm {algorithm}")


def load_der_private_key(
    data: bytes | bytearray | memoryview, password: bytes | None = None
) -> PrivateKey:
    """PKCS#8 (plain or encrypted), PKCS#1 RSAPrivateKey or SEC1 ECPrivateKey DER."""
    raw = _bytes(data)
    errors = []
    for grammar, build in (
        (G.OneAsymmetricKey, _pkcs8),
        (G.EncryptedPrivateKeyInfo, lambda v: _pkcs8(_decrypt(v, password))),
        (G.RSAPrivateKey, _rsa_private),
        (G.ECPrivateKey, lambda v: _ec_private(v, None)),
    ):
        try:
            value = parse(grammar, raw, grammar.name or "key")
        except ParseError as exc:
            errors.append(exc)
            continue
        return build(value)
    raise ParseError(f"not a PKCS#8, PKCS#1 or SEC1 private key ({errors[0]})")


def load_pem_private_key(data: bytes | str, password: bytes | None = None) -> PrivateKey:
    for block in pem.decode_all(data):
        if not block.label.endswith("PRIVATE KEY"):
            continue
        if "ENCRYPTED" in block.headers.get("Proc-Type", ""):
            raise UnsupportedAlgorithm(
                "legacy OpenSSL PEM encryption is not supported; convert to PKCS#8"
            )
        if block.label == "ENCRYPTED PRIVATE KEY":
            info = parse(G.EncryptedPrivateKeyInfo, block.der, "EncryptedPrivateKeyInfo")
            return _pkcs8(_decrypt(info, password))
        if block.label == "RSA PRIVATE KEY":
            return _rsa_private(parse(G.RSAPrivateKey, block.der, "RSAPrivateKey"))
        if block.label == "EC PRIVATE KEY":
            return _ec_private(parse(G.ECPrivateKey, block.der, "ECPrivateKey"), None)
        if block.label == "PRIVATE KEY":
            return _pkcs8(parse(G.OneAsymmetricKey, block.der, "PrivateKeyInfo"))
    raise ParseError("no PRIVATE KEY block found")


# -- PBES2 ---------------------------------------------------------------------------


def _pbkdf2(prf: str, password: bytes, salt: bytes, iterations: int, length: int) -> bytes:
    """PBKDF2 (RFC 8018 §5.2) over HMAC-``prf``, with the keyed inner and outer hash
    states computed once and copied per iteration."""
    from nocrypto import hashes

    block = 128 if prf in ("sha384", "sha512") else 64
    if len(password) > block:
        password = hashes.new(prf, data=password).digest()
    key = password.ljust(block, b"\0")
    inner = hashes.new(prf, data=bytes(b ^ 0x36 for b in key))
    outer = hashes.new(prf, data=bytes(b ^ 0x5C for b in key))

    def mac(msg: bytes) -> bytes:
        h = inner.copy()
        h.update(msg)
        o = outer.copy()
        o.update(h.digest())
        return o.digest()

    out = b""
    counter = 1
    while len(out) < length:
        u = mac(salt + counter.to_bytes(4, "big"))
        acc = int.from_bytes(u, "big")
        for _ in range(iterations - 1):
            u = mac(u)
            acc ^= int.from_bytes(u, "big")
        out += acc.to_bytes(len(u), "big")
        counter += 1
    return out[:length]


def _decrypt(info: dict[str, Any], password: bytes | None) -> dict[str, Any]:
    if password is None:
        raise ValueError("the private key is encrypted: a password is required")
    scheme = info["encryptionAlgorithm"]
    if scheme["algorithm"] != alg.PBES2 or "parameters" not in scheme:
        raise UnsupportedAlgorithm("only PBES2 encrypted private keys are supported")
    params = scheme["parameters"]  # decoded PBES2-params
    kdf_ai, enc_ai = params["keyDerivationFunc"], params["encryptionScheme"]
    if kdf_ai["algorithm"] != alg.PBKDF2 or "parameters" not in kdf_ai:
        raise UnsupportedAlgorithm("only PBKDF2 is supported as PBES2 key derivation")
    key_length = alg.AES_CBC.get(enc_ai["algorithm"])
    if key_length is None or "parameters" not in enc_ai:
        raise UnsupportedAlgorithm("only AES-CBC is supported as PBES2 encryption")
    iv = enc_ai["parameters"]
    kdf_params = kdf_ai["parameters"]
    salt_kind, salt = kdf_params["salt"]
    if salt_kind != "specified":
        raise UnsupportedAlgorithm("PBKDF2 salt from another source is not supported")
    prf = "sha1"
    if "prf" in kdf_params:
        prf = alg.HMAC_PRFS.get(kdf_params["prf"]["algorithm"], "")
        if not prf:
            raise UnsupportedAlgorithm("unsupported PBKDF2 pseudo-random function")
    if kdf_params.get("keyLength", key_length) != key_length or len(iv) != 16:
        raise ParseError("inconsistent PBES2 parameters")
    if not 1 <= kdf_params["iterationCount"] <= 10_000_000:
        raise ParseError("PBKDF2 iteration count out of range")
    key = _pbkdf2(prf, _bytes(password), salt, kdf_params["iterationCount"], key_length)
    from nocrypto import cipher

    data = info["encryptedData"]
    if not data or len(data) % 16:
        raise ParseError("encrypted key is not a whole number of AES blocks")
    plain = cipher.aes_cbc_decrypt(key, iv, data)
    pad = plain[-1]
    # Not a padding oracle: a wrong password simply fails, with one message.
    if not 1 <= pad <= 16 or plain[-pad:] != bytes([pad]) * pad:
        raise ValueError("wrong password or corrupted encrypted key")
    try:
        return parse(G.OneAsymmetricKey, plain[:-pad], "PrivateKeyInfo")
    except ParseError:
        raise ValueError("wrong password or corrupted encrypted key") from None


def _encrypt(der: bytes, password: bytes) -> bytes:
    from nocrypto import cipher, rng

    salt, iv = rng.entropy(16), rng.entropy(16)
    key = _pbkdf2("sha256", _bytes(password), salt, PBKDF2_ITERATIONS, 32)
    pad = 16 - len(der) % 16
    data = cipher.aes_cbc_encrypt(key, iv, der + bytes([pad]) * pad)
    prf = {"algorithm": "1.2.840.113549.2.9", "parameters": None}  # hmacWithSHA256
    kdf_params = {"salt": ("specified", salt), "iterationCount": PBKDF2_ITERATIONS, "prf": prf}
    pbes2 = {
        "keyDerivationFunc": {"algorithm": alg.PBKDF2, "parameters": kdf_params},
        "encryptionScheme": {"algorithm": "2.16.840.1.101.3.4.1.42", "parameters": iv},
    }
    return _encode(
        G.EncryptedPrivateKeyInfo,
        {
            "encryptionAlgorithm": {"algorithm": alg.PBES2, "parameters": pbes2},
            "encryptedData": bytes(data),
        },
        "EncryptedPrivateKeyInfo",
    )


# -- private keys: encoding ----------------------------------------------------------


def encode_pkcs8(key: PrivateKey) -> bytes:
    pub = key.public_key()
    inner: Any
    if key.algorithm in ("rsa", "rsa-pss"):
        k = key.key
        inner = {
            "version": 0,
            "modulus": k.n,
            "publicExponent": k.e,
            "privateExponent": k.d,
            "prime1": k.p,
            "prime2": k.q,
            "exponent1": k.d % (k.p - 1),
            "exponent2": k.d % (k.q - 1),
            "coefficient": pow(k.q, -1, k.p),
        }
        ai: dict[str, Any] = (
            {"algorithm": alg.RSA_ENCRYPTION, "parameters": None}
            if key.algorithm == "rsa"
            else {"algorithm": alg.RSASSA_PSS}
        )
    elif key.algorithm == "ec":
        assert key.curve is not None
        inner = {"version": 1, "privateKey": key.secret, "publicKey": BitString(pub.raw, 0)}
        ai = {
            "algorithm": alg.EC_PUBLIC_KEY,
            "parameters": ("namedCurve", alg.CURVE_OIDS[key.curve]),
        }
    else:
        inner = key.secret
        ai = {"algorithm": alg.OCTET_KEY_OIDS[key.algorithm]}
    return _encode(
        G.OneAsymmetricKey,
        {"version": 0, "privateKeyAlgorithm": ai, "privateKey": inner},
        "PrivateKeyInfo",
    )


def private_key_to_pem(key: PrivateKey, password: bytes | None = None) -> bytes:
    der = encode_pkcs8(key)
    if password is None:
        return pem.encode("PRIVATE KEY", der)
    return pem.encode("ENCRYPTED PRIVATE KEY", _encrypt(der, password))


def private_key_to_der(key: PrivateKey, password: bytes | None = None) -> bytes:
    der = encode_pkcs8(key)
    return der if password is None else _encrypt(der, password)
