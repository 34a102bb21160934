"""The entropy source and HMAC_DRBG (SP 800-90A 10.1.2)."""

from __future__ import annotations

import hmac as std_hmac

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nocrypto import rng
from tests.nocrypto._hash_backend import hash_backend_fixture  # noqa: F401 (fixture "backend")


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


def test_nist_cavp_hmac_drbg_sha256_personalization_and_reseed(backend: str) -> None:
    # NIST CAVP HMAC_DRBG.rsp (drbgvectors_pr_false), [SHA-256], with a personalization
    # string and a reseed without additional input: the second 1024-bit output counts.
    entropy = bytes.fromhex("fa0ee1fe39c7c390aa94159d0de97564342b591777f3e5f6a4ba2aea342ec840")
    nonce = bytes.fromhex("dd0820655cb2ffdb0da9e9310a67c9e5")
    pers = bytes.fromhex("f2e58fe60a3afc59dad37595415ffd318ccf69d67780f6fa0797dc9aa43e144c")
    reseed = bytes.fromhex("e0629b6d7975ddfa96a399648740e60f1f9557dc58b3d7415f9ba9d4dbb501f6")
    expected = bytes.fromhex(
        "f92d4cf99a535b20222a52a68db04c5af6f5ffc7b66a473a37a256bd8d298f9b4aa4af7e8d181e02367903f9"
        "3bdb744c6c2f3f3472626b40ce9bd6a70e7b8f93992a16a76fab6b5f162568e08ee6c3e804aefd952ddd3acb"
        "791c50f2ad69e9a04028a06a9c01d3a62aca2aaf6efe69ed97a016213a2dd642b4886764072d9cbe"
    )
    d = rng.HmacDrbg(entropy + nonce, "sha256", personalization=pers).reseed(reseed)
    d, _ = d.generate(128)
    _, out = d.generate(128)
    assert out == expected


def test_nist_cavp_hmac_drbg_sha512_additional_input_and_reseed(backend: str) -> None:
    # NIST CAVP HMAC_DRBG.rsp (drbgvectors_pr_false), [SHA-512], additional input on the
    # reseed and on both generate calls; the second 2048-bit output counts.
    entropy = bytes.fromhex("4686a959e17dfb96c294b09c0f7a60efb386416cfb4c8972bcc55e44a151607a")
    nonce = bytes.fromhex("5226543b4c89321bbfb0f11f18ee3462")
    reseed = bytes.fromhex("5ef50daaf29929047870235c17762f5df5d9ab1af656e0e215fcc6fd9fc0d85d")
    add_reseed = bytes.fromhex("d2383c3e528492269e6c3b3aaa2b54fbf48731f5aa52150ce7fc644679a5e7c6")
    add1 = bytes.fromhex("c841e7a2d9d13bdb8644cd7f5d91d241a369e12dc6c9c2be50d1ed29484bff98")
    add2 = bytes.fromhex("9054cf9216af66a788d3bf6757b8987e42d4e49b325e728dc645d5e107048245")
    expected = bytes.fromhex(
        "b60d8803531b2b8583d17bdf3ac7c01f3c65cf9b069862b2d39b9024b34c172b712db0704acb078a1ab1aec0"
        "390dbaee2dec9be7b234e63da481fd469a92c77bc7bb2cfca586855520e0f9e9d47dcb9bdf2a2fdfa9f2b434"
        "2ef0ea582616b55477717cfd516d46d6383257743656f7cf8b38402ba795a8c9d35a4aa88bec623313dad6ea"
        "d689d152b54074f183b2fee556f554db343626cea853718f18d386bc8bebb0c07b3c5e96ceb391ffceece888"
        "64dbd3be83a613562c5c417a24807d5f9332974f045e79a9ade36994af6cf9bbeeb71d0025fcb4ad50f121cb"
        "c2df7cd12ff5a50cddfd9a4bbc6d942d743c8b8fbebe00eeccea3d14e07ff8454fa715da"
    )
    d = rng.HmacDrbg(entropy + nonce, "sha512").reseed(reseed, additional=add_reseed)
    d, _ = d.generate(256, additional=add1)
    _, out = d.generate(256, additional=add2)
    assert out == expected


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
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])  # one backend per test
@given(
    seed=st.binary(min_size=32, max_size=80),
    pers=st.binary(max_size=40),
    requests=st.lists(
        st.tuples(st.integers(0, 300), st.binary(max_size=40)), min_size=1, max_size=4
    ),
)
def test_generate_matches_sp800_90a_definition(backend, name, seed, pers, requests) -> None:
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
        rng.HmacDrbg(bytes(48), hash_name=256)  # type: ignore[arg-type]
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
