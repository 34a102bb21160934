"""HMAC, HKDF, HKDF-Expand-Label and the TLS 1.2 PRF against RFC, Wycheproof and oracle
values, with the hash objects of each backend in turn."""

from __future__ import annotations

import hmac as std_hmac
import json
import re
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes as c_hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF, HKDFExpand
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tlslite.mathtls import PRF_1_2

import nocrypto
from tests.nocrypto._hash_backend import hash_backend_fixture  # noqa: F401 (fixture "backend")

cryptography_vectors = pytest.importorskip("cryptography_vectors")
VECTORS = Path(cryptography_vectors.__file__).parent

C_HASH = {
    "sha1": c_hashes.SHA1,
    "sha224": c_hashes.SHA224,
    "sha256": c_hashes.SHA256,
    "sha384": c_hashes.SHA384,
    "sha512": c_hashes.SHA512,
}


# The backend fixture patches the hash table once per test; hypothesis examples share it.
same_backend_for_all_examples = settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _records(path: Path) -> list[dict[str, str]]:
    """``KEY = value`` records; a record ends where one of its keys appears again."""
    out: list[dict[str, str]] = []
    cur: dict[str, str] = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        k, _, v = line.partition("=")
        k = k.strip()
        if k in cur:
            out.append(cur)
            cur = {}
        cur[k] = v.strip()
    if cur:
        out.append(cur)
    return out


@pytest.mark.parametrize("name", ["sha224", "sha256", "sha384", "sha512"])
def test_rfc4231_hmac_sha2(backend: str, name: str) -> None:
    records = [r for r in _records(VECTORS / "HMAC" / f"rfc-4231-{name}.txt") if "MD" in r]
    assert len(records) >= 5
    for r in records:
        key, msg = bytes.fromhex(r["Key"]), bytes.fromhex(r["Msg"])
        assert nocrypto.hmac(key, msg, name).hex() == r["MD"]


def test_rfc2202_hmac_sha1(backend: str) -> None:
    records = [r for r in _records(VECTORS / "HMAC" / "rfc-2202-sha1.txt") if "MD" in r]
    assert records
    for r in records:
        key, msg = bytes.fromhex(r["Key"]), bytes.fromhex(r["Msg"])
        assert nocrypto.hmac(key, msg, "sha1").hex() == r["MD"]


@pytest.mark.parametrize("name", ["sha1", "sha256"])
def test_rfc5869_hkdf(backend: str, name: str) -> None:
    path = VECTORS / "KDF" / f"rfc-5869-HKDF-{name.upper()}.txt"
    records = [r for r in _records(path) if "OKM" in r]
    assert records
    for r in records:
        salt = bytes.fromhex(r["salt"]) if r.get("salt") else b""
        prk = nocrypto.hkdf_extract(salt, bytes.fromhex(r["IKM"]), name)
        assert prk.hex() == r["PRK"]
        info = bytes.fromhex(r.get("info", ""))
        assert nocrypto.hkdf_expand(prk, info, int(r["L"]), name).hex() == r["OKM"]


@pytest.mark.parametrize("name", ["sha1", "sha224", "sha256", "sha384", "sha512"])
def test_wycheproof_hmac(backend: str, name: str, wycheproof_dir: Path) -> None:
    data = json.loads((wycheproof_dir / f"hmac_{name}_test.json").read_text())
    count = 0
    for group in data["testGroups"]:
        tag_bytes = group["tagSize"] // 8
        for t in group["tests"]:
            key, msg = bytes.fromhex(t["key"]), bytes.fromhex(t["msg"])
            tag = nocrypto.hmac(key, msg, name)[:tag_bytes]
            agrees = nocrypto.constant_time_equal(tag, bytes.fromhex(t["tag"]))
            assert agrees == (t["result"] == "valid"), t["tcId"]
            count += 1
    assert count == data["numberOfTests"]


@pytest.mark.parametrize("name", ["sha1", "sha256", "sha384", "sha512"])
def test_wycheproof_hkdf(backend: str, name: str, wycheproof_dir: Path) -> None:
    data = json.loads((wycheproof_dir / f"hkdf_{name}_test.json").read_text())
    count = 0
    for group in data["testGroups"]:
        for t in group["tests"]:
            ikm, salt, info = (bytes.fromhex(t[k]) for k in ("ikm", "salt", "info"))
            if t["result"] == "invalid":
                with pytest.raises(ValueError):
                    nocrypto.hkdf_expand(
                        nocrypto.hkdf_extract(salt, ikm, name), info, t["size"], name
                    )
            else:
                prk = nocrypto.hkdf_extract(salt, ikm, name)
                assert nocrypto.hkdf_expand(prk, info, t["size"], name).hex() == t["okm"], t["tcId"]
            count += 1
    assert count == data["numberOfTests"]


@pytest.mark.parametrize("name", ["sha1", "sha256", "sha384", "sha512", "sha3_256"])
@same_backend_for_all_examples
@given(key=st.binary(max_size=300), msg=st.binary(max_size=600))
def test_hmac_agrees_with_stdlib(backend: str, name: str, key: bytes, msg: bytes) -> None:
    expected = std_hmac.new(key, msg, name).digest()
    assert nocrypto.hmac(key, msg, name) == expected
    assert nocrypto.hmac(bytearray(key), memoryview(msg), name) == expected
    # The keyed object: chained updates and copies give the same tag.
    mac = nocrypto.Hmac(key, name)
    half = mac.copy().update(msg[: len(msg) // 2])
    assert half.copy().update(msg[len(msg) // 2 :]).digest() == expected
    assert mac.mac(msg[:3], msg[3:]) == expected


@pytest.mark.parametrize("name", ["sha256", "sha384"])
@same_backend_for_all_examples
@given(
    salt=st.binary(max_size=80),
    ikm=st.binary(max_size=80),
    info=st.binary(max_size=80),
    length=st.integers(0, 600),
)
def test_hkdf_agrees_with_cryptography(
    backend: str, name: str, salt: bytes, ikm: bytes, info: bytes, length: int
) -> None:
    algo = C_HASH[name]()
    prk = nocrypto.hkdf_extract(salt, ikm, name)
    expected_prk = std_hmac.new(salt or bytes(algo.digest_size), ikm, name).digest()
    assert prk == expected_prk
    if length:  # cryptography refuses length 0
        oracle = HKDF(algo, length, salt or None, info).derive(ikm)
        assert nocrypto.hkdf_expand(prk, info, length, name) == oracle
        assert HKDFExpand(C_HASH[name](), length, info).derive(prk) == oracle
        assert nocrypto.hkdf(salt, ikm, info, length, name) == oracle
    else:
        assert nocrypto.hkdf_expand(prk, info, 0, name) == b""


_HEADING = re.compile(r"^   \{(client|server)\}  (.*)$")
_FIELD = re.compile(r"^      (\w[\w ]*?) \((\d+) octets\):(.*)$")
_HEX_BYTE = re.compile(r"^[0-9a-f]{2}$")


def _rfc8448_steps(text: str) -> list[tuple[str, dict[str, bytes]]]:
    """(heading, {field: bytes}) for every step of the RFC 8448 traces.

    A field announces its length in octets, so its bytes are collected across line and
    page breaks by taking the next that many two-hex-digit tokens.
    """
    lines = text.splitlines()
    steps: list[tuple[str, dict[str, bytes]]] = []
    for i, line in enumerate(lines):
        m = _HEADING.match(line)
        if m:
            steps.append((m.group(2), {}))
            continue
        f = _FIELD.match(line)
        if not f or not steps:
            continue
        want = int(f.group(2))
        tokens = f.group(3).split()
        j = i + 1
        while sum(1 for t in tokens if _HEX_BYTE.match(t)) < want:
            tokens += lines[j].split()
            j += 1
        steps[-1][1][f.group(1)] = bytes.fromhex(
            "".join(t for t in tokens if _HEX_BYTE.match(t))[: 2 * want]
        )
    return steps


def test_rfc8448_key_schedule(backend: str, reference_dir: Path) -> None:
    """Every extract, Derive-Secret and traffic-key step of the RFC 8448 traces."""
    steps = _rfc8448_steps((reference_dir / "rfc8448.txt").read_text())
    checked = {"extract": 0, "derive": 0, "keys": 0}
    for heading, fields in steps:
        if heading.startswith("extract secret") and "secret" in fields:
            salt = fields.get("salt", b"")  # "salt: 0" means HashLen zero octets
            assert nocrypto.hkdf_extract(salt, fields["IKM"], "sha256") == fields["secret"]
            checked["extract"] += 1
        elif heading.startswith("derive secret") and "expanded" in fields:
            label = re.search(r'"tls13 ([^"]+)"', heading)
            assert label is not None
            got = nocrypto.derive_secret(fields["PRK"], label.group(1), fields["hash"], "sha256")
            assert got == fields["expanded"], heading
            checked["derive"] += 1
        elif "traffic keys" in heading and "key expanded" in fields:
            for what in ("key", "iv"):
                want = fields[f"{what} expanded"]
                got = nocrypto.hkdf_expand_label(fields["PRK"], what, b"", len(want), "sha256")
                assert got == want, heading
            checked["keys"] += 1
    assert checked["extract"] >= 10 and checked["derive"] >= 30 and checked["keys"] >= 10, checked


def _p_hash_oracle(secret: bytes, label_seed: bytes, length: int, name: str) -> bytes:
    """RFC 5246 5 P_hash, written directly over the standard library's HMAC."""
    out, a = b"", label_seed
    while len(out) < length:
        a = std_hmac.new(secret, a, name).digest()
        out += std_hmac.new(secret, a + label_seed, name).digest()
    return out[:length]


@pytest.mark.parametrize("name", ["sha256", "sha384"])
@same_backend_for_all_examples
@given(
    secret=st.binary(max_size=100),
    label=st.binary(min_size=1, max_size=20),
    seed=st.binary(max_size=80),
    length=st.integers(0, 300),
)
def test_tls12_prf_matches_rfc5246_definition(
    backend: str, name: str, secret: bytes, label: bytes, seed: bytes, length: int
) -> None:
    got = nocrypto.tls12_prf(secret, label, seed, length, name)
    assert got == _p_hash_oracle(secret, label + seed, length, name)
    if name == "sha256" and length:  # a second, independent oracle
        assert got == bytearray(
            PRF_1_2(bytearray(secret), bytearray(label), bytearray(seed), length)
        )


def test_tls12_prf_known_answer(backend: str) -> None:
    # The TLS 1.2 PRF-SHA256 test vector circulated on the IETF TLS list
    # (also in tlslite-ng's and Go's test suites): 100 bytes of output.
    secret = bytes.fromhex("9bbe436ba940f017b17652849a71db35")
    seed = bytes.fromhex("a0ba9f936cda311827a6f796ffd5198c")
    out = nocrypto.tls12_prf(secret, b"test label", seed, 100, "sha256")
    assert out.hex() == (
        "e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9c9a46b4e"
        "14baf9af0fa022f7077def17abfd3797c0564bab4fbc91666e9def9b97fce34f796789baa48082d122ee42c5"
        "a72e5a5110fff70187347b66"
    )


def test_bad_inputs(backend: str) -> None:
    with pytest.raises(TypeError, match="key"):
        nocrypto.hmac("text key", b"m", "sha256")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        nocrypto.hmac(b"k", 5, "sha256")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown hash"):
        nocrypto.hmac(b"k", b"m", "md5")
    with pytest.raises(ValueError, match="fixed-length"):
        nocrypto.hmac(b"k", b"m", "shake128")
    with pytest.raises(ValueError, match="exceeds"):
        nocrypto.hkdf_expand(bytes(32), b"", 255 * 32 + 1, "sha256")
    assert len(nocrypto.hkdf_expand(bytes(32), b"", 255 * 32, "sha256")) == 255 * 32
    with pytest.raises(ValueError):
        nocrypto.hkdf_expand(bytes(32), b"", -1, "sha256")
    with pytest.raises(TypeError):
        nocrypto.hkdf_expand(bytes(32), b"", 3.0, "sha256")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="label"):
        nocrypto.hkdf_expand_label(bytes(32), b"x" * 250, b"", 32, "sha256")
    with pytest.raises(ValueError, match="context"):
        nocrypto.hkdf_expand_label(bytes(32), b"key", bytes(256), 32, "sha256")
    with pytest.raises(TypeError):
        nocrypto.tls12_prf(bytes(32), b"l", "seed", 32, "sha256")  # type: ignore[arg-type]


def _ct_implementations() -> list:
    from nocrypto import ct

    params: list = [pytest.param(ct.reference_constant_time_equal, id="python")]
    try:
        from nocrypto import _ct_cy

        params.append(pytest.param(_ct_cy.constant_time_equal, id="cython"))
    except ImportError:
        params.append(
            pytest.param(None, id="cython", marks=pytest.mark.skip(reason="_ct_cy not built"))
        )
    return params


@pytest.mark.parametrize("equal", _ct_implementations())
@given(a=st.binary(max_size=64), b=st.binary(max_size=64))
def test_constant_time_equal_is_equality(equal, a: bytes, b: bytes) -> None:
    assert equal(a, b) == (a == b)
    assert equal(bytearray(a), memoryview(a))
    doubled = bytes(v for v in a for _ in range(2))
    assert equal(memoryview(doubled)[::2], a)  # a strided (non-contiguous) view
    with pytest.raises(TypeError):
        equal("a", "a")
    with pytest.raises(TypeError):
        equal(b"a", 5)


@given(
    key=st.binary(max_size=300),
    parts=st.lists(st.binary(max_size=200), max_size=4),
    name=st.sampled_from(["sha224", "sha256", "sha384", "sha512"]),
)
def test_kernel_one_call_hmac_agrees_with_stdlib(key: bytes, parts: list[bytes], name: str) -> None:
    # nocrypto.kdf hands its SHA-2 HMACs to this kernel call; the parts are hashed as
    # their concatenation, the key hashed first when longer than the block.
    import importlib

    try:
        kernel = importlib.import_module("nocrypto.hashes._sha2_cy")
    except ImportError:
        pytest.skip("kernel nocrypto.hashes._sha2_cy is not built")
    cls = getattr(kernel, name.upper())
    expected = std_hmac.new(key, b"".join(parts), name).digest()
    assert kernel.hmac_digest(cls, key, *parts) == expected
    assert kernel.hmac_digest(cls, memoryview(key), *map(bytearray, parts)) == expected
    with pytest.raises(TypeError):
        kernel.hmac_digest(cls, "key", b"msg")
    with pytest.raises(TypeError):
        kernel.hmac_digest(cls, key, "msg")
