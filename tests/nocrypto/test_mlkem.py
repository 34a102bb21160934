"""ML-KEM (FIPS 203) on both backends: Wycheproof vectors and cryptography as an oracle."""

from __future__ import annotations

import importlib
import json

import pytest
from cryptography.hazmat.primitives.asymmetric import mlkem as oracle
from hypothesis import given
from hypothesis import strategies as st

import nocrypto
from nocrypto import mlkem, mlkem_pke

KERNEL = "nocrypto._mlkem_pke_cy"
PARAMS = {512: mlkem.ML_KEM_512, 768: mlkem.ML_KEM_768, 1024: mlkem.ML_KEM_1024}


def _kernel():
    try:
        return importlib.import_module(KERNEL)
    except ImportError:
        return None


def _switch(mp, impl):
    mp.setattr(mlkem, "_impl", impl)
    mlkem._matrix.cache_clear()  # the cached matrix must come from the backend under test


@pytest.fixture(params=["python", "cython"])
def backend(request, monkeypatch):
    impl = mlkem_pke if request.param == "python" else _kernel()
    if impl is None:
        pytest.skip(f"kernel {KERNEL} is not built")
    _switch(monkeypatch, impl)
    yield request.param
    mlkem._matrix.cache_clear()


def _tests(wycheproof_dir, name, backend):
    data = json.loads((wycheproof_dir / name).read_text())
    tests = [t for g in data["testGroups"] for t in g["tests"]]
    # Every vector on the kernel; every 8th on the slow pure-Python reference, or when the
    # hashes run pure Python too (NOCRYPTO_BACKEND=python).
    return tests if backend == "cython" and nocrypto.backend == "cython" else tests[::8]


@pytest.mark.parametrize("n", [512, 768, 1024])
def test_wycheproof_keygen_and_decaps(backend, wycheproof_dir, n):
    params = PARAMS[n]
    for t in _tests(wycheproof_dir, f"mlkem_{n}_test.json", backend):
        seed, c = bytes.fromhex(t["seed"]), bytes.fromhex(t["c"])
        if t["result"] == "invalid":  # a seed or a ciphertext of the wrong length
            with pytest.raises(ValueError):
                ek, dk = params.keygen_from_seed(seed)
                params.decaps(dk, c)
            continue
        ek, dk = params.keygen_from_seed(seed)
        assert ek.hex() == t["ek"], t["tcId"]
        # Includes "random" and "bit flipped" ciphertexts: implicit rejection's J(z || c).
        assert params.decaps(dk, c).hex() == t["K"], (t["tcId"], t["comment"])


@pytest.mark.parametrize("n", [512, 768, 1024])
def test_wycheproof_encaps(backend, wycheproof_dir, n):
    params = PARAMS[n]
    for t in _tests(wycheproof_dir, f"mlkem_{n}_encaps_test.json", backend):
        ek, m = bytes.fromhex(t["ek"]), bytes.fromhex(t["m"])
        if t["result"] == "invalid":  # wrong length or coefficients >= q
            with pytest.raises(nocrypto.InvalidKeyError):
                params.encaps(ek, m)
            continue
        shared, c = params.encaps(ek, m)
        assert (shared.hex(), c.hex()) == (t["K"], t["c"]), t["tcId"]


@pytest.mark.parametrize("n", [512, 768, 1024])
def test_wycheproof_keygen_from_seed(backend, wycheproof_dir, n):
    for t in _tests(wycheproof_dir, f"mlkem_{n}_keygen_seed_test.json", backend):
        ek, dk = PARAMS[n].keygen_from_seed(bytes.fromhex(t["seed"]))
        assert (ek.hex(), dk.hex()) == (t["ek"], t["dk"]), t["tcId"]


@pytest.mark.parametrize("n", [512, 768, 1024])
def test_wycheproof_decaps_key_checks(backend, wycheproof_dir, n):
    data = json.loads((wycheproof_dir / f"mlkem_{n}_semi_expanded_decaps_test.json").read_text())
    for t in (t for g in data["testGroups"] for t in g["tests"]):
        dk, c = bytes.fromhex(t["dk"]), bytes.fromhex(t["c"])
        if t["result"] == "invalid":  # wrong lengths, or dk failing the hash check
            with pytest.raises(nocrypto.InvalidKeyError):
                PARAMS[n].decaps(dk, c)
        else:
            assert PARAMS[n].decaps(dk, c).hex() == t["K"], t["tcId"]


ORACLES = {768: oracle.MLKEM768PrivateKey, 1024: oracle.MLKEM1024PrivateKey}


@given(n=st.sampled_from([768, 1024]), seed=st.binary(min_size=64, max_size=64))
def test_oracle_round_trips_both_ways(n, seed):
    theirs = ORACLES[n].from_seed_bytes(seed)
    impls = [mlkem_pke] + ([_kernel()] if _kernel() else [])
    for impl in impls:
        with pytest.MonkeyPatch.context() as mp:
            _switch(mp, impl)
            ek, dk = PARAMS[n].keygen_from_seed(seed)
            assert ek == theirs.public_key().public_bytes_raw()
            shared, c = theirs.public_key().encapsulate()
            assert PARAMS[n].decaps(dk, c) == shared
            ours, c2 = PARAMS[n].encaps(ek)
            assert theirs.decapsulate(c2) == ours
    mlkem._matrix.cache_clear()


@pytest.mark.parametrize("d", [1, 4, 5, 10, 11])
def test_kernel_compress_matches_the_reference_on_every_coefficient(d):
    # Compress_d runs on secret coefficients; the kernel divides by q with a multiply and
    # shift (no divide instruction, KyberSlash).  Check it on all of [0, q) for every d the
    # parameter sets use.
    kernel = _kernel()
    if kernel is None:
        pytest.skip(f"kernel {KERNEL} is not built")
    everything = list(range(mlkem_pke.Q)) + [0] * (-mlkem_pke.Q % 256)
    for start in range(0, len(everything), 256):
        poly = everything[start : start + 256]
        encoded = mlkem_pke.encode(12, poly)
        expected = mlkem_pke.encode(d, mlkem_pke.compress(d, poly))
        assert kernel.compress(d, encoded) == expected, (d, start)


def test_altered_ciphertext_gives_a_different_key():
    ek, dk = mlkem.ML_KEM_768.keygen()
    shared, c = mlkem.ML_KEM_768.encaps(ek)
    assert mlkem.ML_KEM_768.decaps(dk, bytearray(c)) == shared
    bad = bytes([c[0] ^ 1]) + c[1:]
    rejected = mlkem.ML_KEM_768.decaps(dk, bad)
    assert rejected != shared and len(rejected) == 32
    assert mlkem.ML_KEM_768.decaps(dk, bad) == rejected  # implicit rejection is deterministic


def test_misuse_is_reported():
    with pytest.raises(ValueError):
        mlkem.ML_KEM_768.keygen(d=bytes(31))
    ek, dk = mlkem.ML_KEM_512.keygen()
    with pytest.raises(nocrypto.InvalidKeyError):
        mlkem.ML_KEM_768.encaps(ek)  # a 512 key given to 768
    with pytest.raises(nocrypto.InvalidKeyError):
        mlkem.ML_KEM_512.decaps(dk, bytes(767))
    with pytest.raises(TypeError):
        mlkem.ML_KEM_512.encaps("ek")
