"""FFDHE (RFC 7919): the group constants, and shared secrets against `cryptography`."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from cryptography.hazmat.primitives.asymmetric import dh as c_dh
from cryptography.hazmat.primitives.serialization import load_pem_parameters
from hypothesis import given, settings
from hypothesis import strategies as st

from nocrypto import InvalidKeyError, _backend, bignum, dh, primes

KERNEL = _backend.kernel("nocrypto._bignum_cy")
ALL = [dh.FFDHE2048, dh.FFDHE3072, dh.FFDHE4096, dh.FFDHE6144, dh.FFDHE8192]


def _fresh(group: dh.Group) -> dh.Group:
    """A copy of the group without its cached modulus object, so it picks up _bn anew."""
    return dh.Group(group.name, group.bits, group.x_offset, group.exponent_bits)


@pytest.fixture(params=["python", "cython", "cython-portable"])
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "python":
        module = bignum
    else:
        if KERNEL is None:
            pytest.skip("nocrypto._bignum_cy is not built (or NOCRYPTO_BACKEND=python)")
        module = KERNEL
        previous = KERNEL.engine()
        KERNEL._use_vector(request.param == "cython")
        request.addfinalizer(lambda: KERNEL._use_vector(previous != "portable"))
    monkeypatch.setattr(dh, "_bn", module)
    monkeypatch.setattr(primes, "_bn", module)
    return str(request.param)


def test_primes_match_the_rfc_text(reference_dir) -> None:
    """Our p (built from e and X) equals every hexadecimal p and q printed in RFC 7919."""
    text = (reference_dir / "rfc7919.txt").read_text()
    sections = re.split(r"\nA\.\d\.  (ffdhe\d+)\n", text)[1:]
    found = dict(zip(sections[::2], sections[1::2], strict=True))
    assert set(found) == {g.name for g in ALL}
    for group in ALL:
        body = re.sub(r"RFC 7919.*?\n|Gillmor.*?\n", "", found[group.name])
        blocks = re.findall(
            r"representation of ([pq]) is:\s*\n((?:\s*[0-9A-F]{8}(?: [0-9A-F]{8})*\n)+)", body
        )
        values = {name: int(re.sub(r"\s", "", hexes), 16) for name, hexes in blocks}
        assert values["p"] == group.p, group.name
        assert values["q"] == group.q, group.name
        assert group.p.bit_length() == group.bits


@pytest.mark.parametrize("group", ALL[:3], ids=lambda g: g.name)
def test_primes_match_openssl(group: dh.Group) -> None:
    """OpenSSL's built-in named groups are an independent transcription."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl binary not found")
    pem = subprocess.run(
        [openssl, "genpkey", "-genparam", "-algorithm", "DH", "-pkeyopt", f"group:{group.name}"],
        check=True,
        capture_output=True,
    ).stdout
    nums = load_pem_parameters(pem).parameter_numbers()
    assert (nums.p, nums.g) == (group.p, group.generator)


@pytest.mark.parametrize("group", ALL, ids=lambda g: g.name)
def test_primes_are_safe_primes(group: dh.Group) -> None:
    """p and q = (p-1)/2 are both prime (a few random Miller-Rabin rounds: the RFC text
    and OpenSSL checks above already pin the values down)."""
    rounds = 3 if group.bits <= 4096 else 1
    assert primes.miller_rabin(group.p, rounds)
    assert primes.miller_rabin(group.q, rounds)
    assert pow(2, group.q, group.p) == 1  # 2 generates the order-q subgroup


@settings(max_examples=10)
@given(seed=st.binary(min_size=64, max_size=64))
def test_shared_secret_agrees_with_cryptography(seed: bytes) -> None:
    group = dh.FFDHE2048
    stream = iter(seed * 4)
    x, our_pub = group.generate(lambda n: bytes(next(stream) for _ in range(n)))
    assert x.bit_length() == group.exponent_bits
    params = c_dh.DHParameterNumbers(group.p, 2).parameters()
    theirs = params.generate_private_key()
    their_y = theirs.public_key().public_numbers().y
    ours = group.shared_secret(x, their_y.to_bytes(256, "big"))
    peer = c_dh.DHPublicNumbers(int.from_bytes(our_pub, "big"), params.parameter_numbers())
    z = theirs.exchange(peer.public_key())
    assert ours == z.rjust(256, b"\x00")  # cryptography strips leading zeros


@pytest.mark.parametrize("group", ALL[:2], ids=lambda g: g.name)
def test_exchange_on_each_backend(group: dh.Group, backend: str) -> None:
    g = _fresh(group)
    x1, y1 = g.generate()
    x2, y2 = g.generate()
    assert len(y1) == len(y2) == group.bits // 8
    z = g.shared_secret(x1, y2)
    assert z == g.shared_secret(x2, y1)
    assert int.from_bytes(z, "big") == pow(int.from_bytes(y2, "big"), x1, group.p)
    assert int.from_bytes(y1, "big") == pow(2, x1, group.p)
    # a full-size private exponent (imported key) also works
    big = group.q - 12345
    assert int.from_bytes(g.public_value(big), "big") == pow(2, big, group.p)


def test_bad_peer_values_are_rejected() -> None:
    group = dh.FFDHE2048
    x, _ = group.generate()
    p = group.p
    for y in (0, 1, p - 1, p, p + 1, (1 << 2048) - 1):
        with pytest.raises(InvalidKeyError):
            group.shared_secret(x, y.to_bytes(256, "big"))
    with pytest.raises(InvalidKeyError):
        group.shared_secret(x, b"\x02" * 257)
    with pytest.raises(InvalidKeyError):
        group.shared_secret(x, b"")
    with pytest.raises(InvalidKeyError):
        group.shared_secret(1, b"\x02")
    with pytest.raises(TypeError):
        group.shared_secret(x, "02")  # type: ignore[arg-type]
    # TLS 1.2 peers may strip leading zeros from Ys; the value is what counts
    assert group.shared_secret(x, b"\x02") == group.public_value(x)
