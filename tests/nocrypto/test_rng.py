"""The entropy source and HMAC_DRBG (SP 800-90A 10.1.2)."""

from __future__ import annotations

import hmac as std_hmac

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nocrypto import rng


def _oracle_drbg(
    seed: bytes, pers: bytes, requests: list[tuple[int, bytes]], name: str
) -> list[bytes]:
    """SP 800-90A 10.1.2 written out directly over the standard library's HMAC."""

    def mac(k: bytes, m: bytes) -> bytes:
        return std_hmac.new(k, m, name).digest()

    def update(data: bytes, k: bytes, v: bytes) -> tuple[bytes, bytes]:
        k = mac(k, v + b"\x00" + data)
        v = mac(k, v)
        if data:
            k = mac(k, v + b"\x01" + data)
            v = mac(k, v)
        return k, v

    n = len(mac(b"", b""))
    k, v = update(seed + pers, bytes(n), b"\x01" * n)
    outs = []
    for length, add in requests:
        if add:
            k, v = update(add, k, v)
        out = b""
        while len(out) < length:
            v = mac(k, v)
            out += v
        k, v = update(add, k, v)
        outs.append(out[:length])
    return outs


def test_entropy_lengths_and_freshness() -> None:
    assert rng.entropy(0) == b""
    a, b = rng.entropy(32), rng.entropy(32)
    assert len(a) == 32 and a != b
    assert len(rng.entropy(100_000)) == 100_000
    with pytest.raises(ValueError):
        rng.entropy(-1)
    with pytest.raises(TypeError):
        rng.entropy(1.5)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["sha1", "sha256", "sha384", "sha512"])
@given(
    seed=st.binary(min_size=32, max_size=80),
    pers=st.binary(max_size=40),
    requests=st.lists(
        st.tuples(st.integers(0, 300), st.binary(max_size=40)), min_size=1, max_size=4
    ),
)
def test_generate_matches_sp800_90a_definition(name, seed, pers, requests) -> None:
    d = rng.HmacDrbg(seed, hash_name=name, personalization=pers)
    outs = []
    for length, add in requests:
        d, out = d.generate(length, additional=add)
        outs.append(out)
    assert outs == _oracle_drbg(seed, pers, requests, name)
    assert d.reseed_counter == 1 + len(requests)


def test_generator_is_an_immutable_value() -> None:
    d = rng.HmacDrbg(bytes(range(48)))
    d2, out1 = d.generate(32)
    again, out2 = d.generate(32)
    assert out1 == out2  # same value, same output: replayable
    d3, out3 = d2.generate(32)
    assert out3 != out1
    assert d.reseed_counter == 1 and d2.reseed_counter == 2 and d3.reseed_counter == 3
    with pytest.raises(AttributeError):
        d.reseed_counter = 5  # type: ignore[misc]
    assert "_key" not in repr(d) and bytes(range(48)).hex() not in repr(d)


def test_reseed_changes_the_stream_and_resets_the_counter() -> None:
    d, _ = rng.HmacDrbg(bytes(32)).generate(16)
    r = d.reseed(b"\x01" * 32, additional=b"extra")
    assert r.reseed_counter == 1
    assert r.generate(32)[1] != d.generate(32)[1]
    # Reseed is Update(entropy || additional) on the current state (SP 800-90A 10.1.2.4);
    # instantiating from the same material is a different computation.
    assert r.generate(32)[1] != rng.HmacDrbg(b"\x01" * 32 + b"extra").generate(32)[1]


def test_limits_and_bad_inputs() -> None:
    d = rng.HmacDrbg(rng.entropy(48))
    assert len(d.generate(rng.MAX_BYTES_PER_REQUEST)[1]) == 65536
    with pytest.raises(ValueError, match="per request"):
        d.generate(rng.MAX_BYTES_PER_REQUEST + 1)
    with pytest.raises(ValueError, match="entropy"):
        rng.HmacDrbg(bytes(31))  # below the 256-bit security strength of SHA-256
    rng.HmacDrbg(bytes(16), hash_name="sha1")
    with pytest.raises(ValueError, match="entropy"):
        d.reseed(bytes(8))
    with pytest.raises(ValueError):
        rng.HmacDrbg(bytes(48), hash_name="md5")
    with pytest.raises(TypeError):
        rng.HmacDrbg("seed" * 20)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        d.generate(16, additional="x")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        d.generate(-1)
    # The reseed interval: a generator past 2**48 requests refuses to generate.
    worn = d._with(d._key, d._value, rng.RESEED_INTERVAL + 1)
    with pytest.raises(ValueError, match="reseed"):
        worn.generate(1)
    assert worn.reseed(rng.entropy(32)).generate(1)[0].reseed_counter == 2


def test_accepts_all_bytes_like_inputs() -> None:
    seed = bytes(range(40))
    a = rng.HmacDrbg(seed, personalization=b"p").generate(20, b"a")[1]
    b = rng.HmacDrbg(bytearray(seed), personalization=memoryview(b"p")).generate(
        20, bytearray(b"a")
    )[1]
    assert a == b
