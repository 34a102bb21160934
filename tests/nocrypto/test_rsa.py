"""RSA signatures against Wycheproof and against `cryptography` (OpenSSL) as an oracle.

Every test runs on both bignum backends: the pure-Python reference and the Cython kernel
(with its AVX-512 IFMA engine where the CPU has one, and forced onto portable C).
The pure-Python backend checks a deterministic sample of the big Wycheproof files to keep
the suite fast; the kernel checks all of them.
"""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives import hashes as c_hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric import rsa as c_rsa
from hypothesis import given
from hypothesis import strategies as st

from nocrypto import InvalidKeyError, _backend, bignum, primes, rsa

KERNEL = _backend.kernel("nocrypto._bignum_cy")
PY_SAMPLE = 12  # every PY_SAMPLE-th vector on the pure-Python backend

C_HASH = {
    "sha1": c_hashes.SHA1,
    "sha224": c_hashes.SHA224,
    "sha256": c_hashes.SHA256,
    "sha384": c_hashes.SHA384,
    "sha512": c_hashes.SHA512,
}


@pytest.fixture(params=["python", "cython", "cython-portable"])
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Route rsa's (and primality's) bignum calls through one backend."""
    if request.param == "python":
        module = bignum
    else:
        if KERNEL is None:
            pytest.skip("nocrypto._bignum_cy is not built (or NOCRYPTO_BACKEND=python)")
        module = KERNEL
        previous = KERNEL.engine()
        KERNEL._use_vector(request.param == "cython")
        request.addfinalizer(lambda: KERNEL._use_vector(previous != "portable"))
    monkeypatch.setattr(rsa, "_bn", module)
    monkeypatch.setattr(primes, "_bn", module)
    return str(request.param)


def _wycheproof_hash(name: str) -> str:
    name = name.lower()
    return name.replace("-", "_") if name.startswith("sha3-") else name.replace("-", "")


def _load(wycheproof_dir, pattern: str) -> list[tuple[str, dict, dict]]:
    cases = []
    for path in sorted(wycheproof_dir.glob(pattern)):
        data = json.loads(path.read_text())
        for group in data["testGroups"]:
            for test in group["tests"]:
                cases.append((path.name, group, test))
    assert cases, f"no Wycheproof files match {pattern}"
    return cases


def _sampled(cases: list, backend: str) -> list:
    """All vectors on the kernel's best engine, a deterministic sample elsewhere."""
    return cases[:: {"python": PY_SAMPLE, "cython-portable": 3}.get(backend, 1)]


def _public(key: dict) -> rsa.RSAPublicKey:
    return rsa.RSAPublicKey(int(key["modulus"], 16), int(key["publicExponent"], 16))


# Policy for Wycheproof "acceptable": the only ones in the PKCS#1 v1.5 verify files are
# DigestInfo encodings without the NULL parameters.  RFC 8017 section 9.2 requires the
# NULL, and we compare whole encodings, so they are rejected.  Every "valid" must
# verify and every "invalid" must not.
def test_wycheproof_pkcs1v15_verify(wycheproof_dir, backend: str) -> None:
    cases = _sampled(_load(wycheproof_dir, "rsa_signature_*_test.json"), backend)
    for name, group, test in cases:
        pub = _public(group["publicKey"])
        ok = pub.verify_pkcs1v15(
            bytes.fromhex(test["sig"]), bytes.fromhex(test["msg"]), _wycheproof_hash(group["sha"])
        )
        expected = test["result"] == "valid"
        assert ok == expected, f"{name} tcId {test['tcId']}: {test['comment']}"


def test_wycheproof_pss_verify(wycheproof_dir, backend: str) -> None:
    """RsassaPssVerify and RsassaPssWithParametersVerify: hash, MGF hash and salt length
    come from the group (the keys' parameters in _params files are the same values)."""
    cases = _sampled(_load(wycheproof_dir, "rsa_pss_*_test.json"), backend)
    for name, group, test in cases:
        assert group["mgf"] == "MGF1"
        pub = _public(group["publicKey"])
        ok = pub.verify_pss(
            bytes.fromhex(test["sig"]),
            bytes.fromhex(test["msg"]),
            _wycheproof_hash(group["sha"]),
            salt_length=group["sLen"],
            mgf_hash=_wycheproof_hash(group["mgfSha"]),
        )
        # No "acceptable" vectors exist in these files.
        assert ok == (test["result"] == "valid"), f"{name} tcId {test['tcId']}: {test['comment']}"


def test_wycheproof_pss_any_salt_length_accepts_valid(wycheproof_dir, backend: str) -> None:
    """salt_length=None recovers the salt length itself: every valid signature verifies."""
    cases = _sampled(_load(wycheproof_dir, "rsa_pss_*_test.json"), backend)
    for name, group, test in cases:
        if test["result"] != "valid":
            continue
        pub = _public(group["publicKey"])
        assert pub.verify_pss(
            bytes.fromhex(test["sig"]),
            bytes.fromhex(test["msg"]),
            _wycheproof_hash(group["sha"]),
            mgf_hash=_wycheproof_hash(group["mgfSha"]),
        ), f"{name} tcId {test['tcId']}"


# Policy for "acceptable" in the sig_gen files: SHA-1 and e = 3 keys.  We sign with both
# when asked (refusing SHA-1 is x509/tls policy), so they must reproduce exactly too.
def test_wycheproof_pkcs1v15_sign_reproduces(wycheproof_dir, backend: str) -> None:
    cases = _sampled(_load(wycheproof_dir, "rsa_pkcs1_*_sig_gen_test.json"), backend)
    keys: dict[str, rsa.RSAPrivateKey] = {}
    for name, group, test in cases:
        k = group["privateKey"]
        n = int(k["modulus"], 16)
        if k["modulus"] not in keys:
            keys[k["modulus"]] = rsa.RSAPrivateKey.from_private_exponent(
                n, int(k["publicExponent"], 16), int(k["privateExponent"], 16)
            )
        sig = keys[k["modulus"]].sign_pkcs1v15(
            bytes.fromhex(test["msg"]), _wycheproof_hash(group["sha"])
        )
        assert sig.hex() == test["sig"], f"{name} tcId {test['tcId']}: {test['comment']}"


@pytest.fixture(scope="session")
def puretls_key() -> rsa.RSAPrivateKey:
    return rsa.RSAPrivateKey.generate(2048)


@pytest.fixture(scope="session")
def openssl_key() -> c_rsa.RSAPrivateKey:
    return c_rsa.generate_private_key(65537, 2048)


def _ours(key: c_rsa.RSAPrivateKey) -> rsa.RSAPrivateKey:
    nums = key.private_numbers()
    return rsa.RSAPrivateKey(nums.public_numbers.n, nums.public_numbers.e, nums.d, nums.p, nums.q)


def test_generated_key_loads_in_cryptography(puretls_key: rsa.RSAPrivateKey) -> None:
    k = puretls_key
    assert k.key_size == 2048 and k.e == 65537
    assert rsa.is_probable_prime(k.p) and rsa.is_probable_prime(k.q)
    nums = c_rsa.RSAPrivateNumbers(
        k.p, k.q, k.d, k.dmp1, k.dmq1, k.iqmp, c_rsa.RSAPublicNumbers(k.e, k.n)
    )
    loaded = nums.private_key()  # OpenSSL runs its own key consistency checks here
    assert loaded.key_size == 2048
    assert abs(k.p - k.q) > 1 << (1024 - 100)
    assert k.d > 1 << 1024


def test_crt_parameters_match_cryptography(openssl_key: c_rsa.RSAPrivateKey) -> None:
    ours = _ours(openssl_key)
    nums = openssl_key.private_numbers()
    assert (ours.dmp1, ours.dmq1, ours.iqmp) == (nums.dmp1, nums.dmq1, nums.iqmp)


@given(
    message=st.binary(max_size=300),
    hash_name=st.sampled_from(["sha1", "sha256", "sha384", "sha512"]),
)
def test_our_signatures_verify_in_cryptography(
    puretls_key: rsa.RSAPrivateKey, message: bytes, hash_name: str
) -> None:
    cpub = c_rsa.RSAPublicNumbers(puretls_key.e, puretls_key.n).public_key()
    sig = puretls_key.sign_pkcs1v15(message, hash_name)
    cpub.verify(sig, message, padding.PKCS1v15(), C_HASH[hash_name]())
    sig = puretls_key.sign_pss(message, hash_name)
    h = C_HASH[hash_name]()
    cpub.verify(sig, message, padding.PSS(padding.MGF1(h), h.digest_size), h)


@given(
    message=st.binary(max_size=300),
    hash_name=st.sampled_from(["sha224", "sha256", "sha384", "sha512"]),
    salt=st.sampled_from(["digest", "max", 0]),
)
def test_cryptography_signatures_verify_here(
    openssl_key: c_rsa.RSAPrivateKey, message: bytes, hash_name: str, salt: object
) -> None:
    pn = openssl_key.public_key().public_numbers()
    pub = rsa.RSAPublicKey(pn.n, pn.e)
    h = C_HASH[hash_name]()
    sig = openssl_key.sign(message, padding.PKCS1v15(), h)
    assert pub.verify_pkcs1v15(sig, message, hash_name)
    assert not pub.verify_pkcs1v15(sig, message + b"x", hash_name)
    c_salt = {"digest": padding.PSS.DIGEST_LENGTH, "max": padding.PSS.MAX_LENGTH}.get(salt, salt)
    sig = openssl_key.sign(message, padding.PSS(padding.MGF1(h), c_salt), h)
    assert pub.verify_pss(sig, message, hash_name)
    if salt == "digest":
        assert pub.verify_pss(sig, message, hash_name, salt_length=h.digest_size)
        assert not pub.verify_pss(sig, message, hash_name, salt_length=h.digest_size + 1)
    assert not pub.verify_pss(sig, message + b"x", hash_name)


def test_sign_both_backends_agree_with_openssl(openssl_key, backend: str) -> None:
    """PKCS#1 v1.5 is deterministic: our signature must equal OpenSSL's, on each backend."""
    ours = _ours(openssl_key)
    for msg in (b"", b"abc", bytes(range(256)) * 3):
        for name in ("sha256", "sha512"):
            assert ours.sign_pkcs1v15(msg, name) == openssl_key.sign(
                msg, padding.PKCS1v15(), C_HASH[name]()
            )
    pss = ours.sign_pss_digest(bytes(32), "sha256")
    assert ours.public_key().verify_pss_digest(pss, bytes(32), "sha256", salt_length=32)


def test_keygen_on_each_backend(backend: str) -> None:
    key = rsa.RSAPrivateKey.generate(2048)
    cpriv = c_rsa.RSAPrivateNumbers(
        key.p, key.q, key.d, key.dmp1, key.dmq1, key.iqmp, c_rsa.RSAPublicNumbers(key.e, key.n)
    ).private_key()
    sig = cpriv.sign(b"m", padding.PKCS1v15(), c_hashes.SHA256())
    assert key.sign_pkcs1v15(b"m", "sha256") == sig


def test_bad_signatures_are_false_not_errors(openssl_key) -> None:
    pn = openssl_key.public_key().public_numbers()
    pub = rsa.RSAPublicKey(pn.n, pn.e)
    good = openssl_key.sign(b"m", padding.PKCS1v15(), c_hashes.SHA256())
    assert pub.verify_pkcs1v15(bytearray(good), memoryview(b"m"), "sha256")
    for bad in (
        good[1:],
        b"\x00" + good,
        b"",
        pn.n.to_bytes(256, "big"),  # s = n is out of range
        (pn.n + 5).to_bytes(256, "big")[-256:],
        bytes(256),
    ):
        assert not pub.verify_pkcs1v15(bad, b"m", "sha256")
        assert not pub.verify_pss(bad, b"m", "sha256")


def test_malformed_keys_are_rejected(openssl_key) -> None:
    nums = openssl_key.private_numbers()
    n, e = nums.public_numbers.n, nums.public_numbers.e
    for bad_n, bad_e in (
        (n + 1, e),
        (n, 1),
        (n, 2),
        (n, 65536),
        (n, n + 2),
        ((1 << 511) + 1, 3),
        (n * 3, e),
        (-n, e),
    ):
        with pytest.raises(InvalidKeyError):
            rsa.RSAPublicKey(bad_n, bad_e)
    with pytest.raises(TypeError):
        rsa.RSAPublicKey(str(n), e)  # type: ignore[arg-type]
    with pytest.raises(InvalidKeyError):
        rsa.RSAPrivateKey(n, e, nums.d, nums.p, nums.q + 2)
    with pytest.raises(InvalidKeyError):
        rsa.RSAPrivateKey(n, e, nums.d + 2, nums.p, nums.q)
    with pytest.raises(InvalidKeyError):
        rsa.RSAPrivateKey.from_private_exponent(n, e, nums.d + 2)
    assert rsa.RSAPrivateKey.from_private_exponent(n, e, nums.d).p in (nums.p, nums.q)


def test_unknown_hash_is_a_value_error(openssl_key) -> None:
    key = _ours(openssl_key)
    with pytest.raises(ValueError):
        key.sign_pkcs1v15(b"m", "md5")
    with pytest.raises(ValueError):
        key.public_key().verify_pss(b"", b"m", "sha256", mgf_hash="whirlpool")


def _seeded(seed: int):
    """A caller-owned randomness source (what a side-effect-free engine passes in)."""
    import random

    source = random.Random(seed)
    return source.randbytes


def test_caller_randomness_makes_signatures_reproducible(
    openssl_key, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With ``rng_bytes`` a PSS signature depends on the inputs alone: the salt comes
    from it, the blinding seed too, and the system RNG is never read, whatever state the
    key's blinding cache is in (fresh, mid-way, due for a refresh)."""
    from nocrypto import rng

    ours = _ours(openssl_key)

    def no_system_rng(n: int) -> bytes:
        raise AssertionError("the system RNG was used although rng_bytes was given")

    monkeypatch.setattr(rng, "entropy", no_system_rng)
    first = ours.sign_pss(b"CertificateVerify", "sha256", rng_bytes=_seeded(7))
    for _ in range(rsa.BLINDING_REFRESH + 1):  # across a refresh of the blinding
        again = ours.sign_pss(b"CertificateVerify", "sha256", rng_bytes=_seeded(7))
        assert again == first
    other = ours.sign_pss(b"CertificateVerify", "sha256", rng_bytes=_seeded(8))
    pkcs1 = ours.sign_pkcs1v15(b"m", "sha256", rng_bytes=_seeded(9))
    assert other != first  # a different salt
    h = c_hashes.SHA256()
    cpub = openssl_key.public_key()
    for sig in (first, other):
        cpub.verify(sig, b"CertificateVerify", padding.PSS(padding.MGF1(h), 32), h)
    assert pkcs1 == openssl_key.sign(b"m", padding.PKCS1v15(), c_hashes.SHA256())


def test_blinding_pair_is_consistent_on_each_backend(openssl_key, backend: str) -> None:
    """A fresh pair (r^e, r^-1) from Modulus.inverse, and every squared one after it:
    r^e * (r^-1)^e = 1 mod n."""
    ours = _ours(openssl_key)
    for _ in range(3):
        ours.sign_pss(b"m", "sha256", rng_bytes=_seeded(3))
        assert ours._blinding is not None
        r_e, r_inv, _uses = ours._blinding
        assert r_e * pow(r_inv, ours.e, ours.n) % ours.n == 1
        ours._blinding = None  # the next signature refreshes


def test_caller_randomness_is_consumed_the_same_way_every_time(openssl_key) -> None:
    """The salt, then BLINDING_SEED bytes for the blinding, on every signature: a caller
    that owns its generator (the TLS engine) sees it advanced identically whether or not
    the key refreshed its blinding factor, and the factor changes between signatures."""
    ours = _ours(openssl_key)
    source = _seeded(1)
    factors = set()
    for i in range(rsa.BLINDING_REFRESH + 2):
        asked: list[int] = []

        def counting(n: int, asked: list[int] = asked) -> bytes:
            asked.append(n)
            return source(n)

        if i % 2:
            ours.sign_pkcs1v15(b"m", "sha256", rng_bytes=counting)
            assert asked == [rsa.BLINDING_SEED]
        else:
            ours.sign_pss(b"m", "sha256", rng_bytes=counting)
            assert asked == [32, rsa.BLINDING_SEED]  # the salt, then the blinding seed
        assert ours._blinding is not None
        factors.add(ours._blinding[1])
    assert len(factors) == rsa.BLINDING_REFRESH + 2  # never the same r twice
