"""SHA-1, SHA-2, SHA-3 and SHAKE on both backends against NIST CAVP vectors and hashlib."""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nocrypto import hashes
from nocrypto.hashes import sha1_ref as sha1_py
from nocrypto.hashes import sha2 as sha2_py
from nocrypto.hashes import sha3 as sha3_py

cryptography_vectors = pytest.importorskip("cryptography_vectors")
VECTORS = Path(cryptography_vectors.__file__).parent / "hashes"

# name -> (pure-Python module, kernel module name, class name, hashlib name)
FAMILY = {
    "sha1": (sha1_py, "nocrypto.hashes._sha1_cy", "SHA1", "sha1"),
    "sha224": (sha2_py, "nocrypto.hashes._sha2_cy", "SHA224", "sha224"),
    "sha256": (sha2_py, "nocrypto.hashes._sha2_cy", "SHA256", "sha256"),
    "sha384": (sha2_py, "nocrypto.hashes._sha2_cy", "SHA384", "sha384"),
    "sha512": (sha2_py, "nocrypto.hashes._sha2_cy", "SHA512", "sha512"),
    "sha3_256": (sha3_py, "nocrypto.hashes._sha3_cy", "SHA3_256", "sha3_256"),
    "sha3_512": (sha3_py, "nocrypto.hashes._sha3_cy", "SHA3_512", "sha3_512"),
    "shake128": (sha3_py, "nocrypto.hashes._sha3_cy", "SHAKE128", "shake_128"),
    "shake256": (sha3_py, "nocrypto.hashes._sha3_cy", "SHAKE256", "shake_256"),
}
FIXED = [n for n in FAMILY if not n.startswith("shake")]
BACKENDS = ["python", "cython"]


def impl(name: str, backend: str):
    py_mod, kernel_name, cls, _ = FAMILY[name]
    if backend == "python":
        return getattr(py_mod, cls)
    try:
        mod: ModuleType = importlib.import_module(kernel_name)
    except ImportError:
        pytest.skip(f"kernel {kernel_name} is not built (run cythonize -i on it)")
    return getattr(mod, cls)


def reference(name: str, data: bytes = b""):
    return hashlib.new(FAMILY[name][3], data)


def parse_rsp(path: Path) -> list[dict[str, str]]:
    """The ``KEY = value`` records of a CAVP .rsp file, one dict per blank-line block."""
    records: list[dict[str, str]] = []
    cur: dict[str, str] = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or line.startswith("["):
            if cur:
                records.append(cur)
                cur = {}
            continue
        key, _, value = line.partition("=")
        cur[key.strip()] = value.strip()
    if cur:
        records.append(cur)
    return records


def msg_of(rec: dict[str, str]) -> bytes:
    msg = bytes.fromhex(rec["Msg"])
    return msg[: int(rec["Len"]) // 8] if "Len" in rec else msg


RSP = {
    "sha1": ("SHA1", "SHA1"),
    "sha224": ("SHA2", "SHA224"),
    "sha256": ("SHA2", "SHA256"),
    "sha384": ("SHA2", "SHA384"),
    "sha512": ("SHA2", "SHA512"),
    "sha3_256": ("SHA3", "SHA3_256"),
    "sha3_512": ("SHA3", "SHA3_512"),
    "shake128": ("SHAKE", "SHAKE128"),
    "shake256": ("SHAKE", "SHAKE256"),
}


def rsp(name: str, kind: str) -> list[dict[str, str]]:
    folder, stem = RSP[name]
    return parse_rsp(VECTORS / folder / f"{stem}{kind}.rsp")


def check_digest(h, rec: dict[str, str], name: str) -> None:
    if name.startswith("shake"):
        want = rec["Output"]
        assert h.hexdigest(len(want) // 2) == want
    else:
        assert h.hexdigest() == rec["MD"]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", list(FAMILY))
def test_nist_short_messages(name: str, backend: str) -> None:
    cls = impl(name, backend)
    records = [r for r in rsp(name, "ShortMsg") if "Msg" in r]
    assert records
    for rec in records:
        check_digest(cls(msg_of(rec)), rec, name)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", list(FAMILY))
def test_nist_long_messages(name: str, backend: str) -> None:
    cls = impl(name, backend)
    records = [r for r in rsp(name, "LongMsg") if "Msg" in r]
    assert records
    if backend == "python":  # the reference is slow: a deterministic sample
        records = records[:: max(1, len(records) // 3)][:3]
    for rec in records:
        check_digest(cls(msg_of(rec)), rec, name)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", ["shake128", "shake256"])
def test_nist_shake_variable_output(name: str, backend: str) -> None:
    cls = impl(name, backend)
    records = [r for r in rsp(name, "VariableOut") if "Msg" in r]
    if backend == "python":
        records = records[::25]
    for rec in records:
        out = cls(bytes.fromhex(rec["Msg"])).digest(int(rec["Outputlen"]) // 8)
        assert out.hex() == rec["Output"]


def _monte_sha2(cls, seed: bytes, rounds: int) -> list[bytes]:
    """FIPS 180 SHAVS Monte Carlo: each checkpoint hashes the last three digests 1000 times."""
    out = []
    for _ in range(rounds):
        md = [seed, seed, seed]
        for _ in range(1000):
            md = [md[1], md[2], cls(md[0] + md[1] + md[2]).digest()]
        seed = md[2]
        out.append(seed)
    return out


def _monte_sha3(cls, seed: bytes, rounds: int) -> list[bytes]:
    """SHA3VS Monte Carlo: each checkpoint iterates the hash 1000 times on its own output."""
    out = []
    md = seed
    for _ in range(rounds):
        for _ in range(1000):
            md = cls(md).digest()
        out.append(md)
    return out


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", FIXED)
def test_nist_monte_carlo(name: str, backend: str) -> None:
    cls = impl(name, backend)
    records = rsp(name, "Monte")
    seed = next(r for r in records if "Seed" in r or "Msg" in r)
    seed_bytes = bytes.fromhex(seed.get("Seed") or seed["Msg"])
    expected = [bytes.fromhex(r["MD"]) for r in records if "MD" in r]
    assert len(expected) == 100
    rounds = 100 if backend == "cython" else 1  # the reference: the first checkpoint only
    monte = _monte_sha3 if name.startswith("sha3_") else _monte_sha2
    assert monte(cls, seed_bytes, rounds) == expected[:rounds]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", ["shake128", "shake256"])
def test_nist_shake_monte_carlo(name: str, backend: str) -> None:
    cls = impl(name, backend)
    folder, stem = RSP[name]
    text = (VECTORS / folder / f"{stem}Monte.rsp").read_text()
    min_bits = int(text.split("Minimum Output Length (bits) = ")[1].split("]")[0])
    max_bits = int(text.split("Maximum Output Length (bits) = ")[1].split("]")[0])
    records = parse_rsp(VECTORS / folder / f"{stem}Monte.rsp")
    msg = bytes.fromhex(next(r for r in records if "Msg" in r)["Msg"])
    expected = [(int(r["Outputlen"]), r["Output"]) for r in records if "Output" in r]
    min_len, max_len = min_bits // 8, max_bits // 8
    rounds = 100 if backend == "cython" else 1
    # SHA3VS 6.3.3: the next message is the leftmost 128 bits of the last output, and
    # the next output length comes from its rightmost 16 bits.
    out_len = max_len
    output = msg
    for j in range(rounds):
        for _ in range(1000):
            m = output[:16].ljust(16, b"\x00")
            output = cls(m).digest(out_len)
            rightmost = int.from_bytes(output[-2:], "big")
            out_len = min_len + rightmost % (max_len - min_len + 1)
        assert (len(output) * 8, output.hex()) == expected[j]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", list(FAMILY))
@given(data=st.binary(max_size=700), cuts=st.lists(st.integers(0, 700), max_size=4))
def test_random_update_splits_agree_with_hashlib(
    name: str, backend: str, data: bytes, cuts
) -> None:
    cls = impl(name, backend)
    h = cls()
    points = sorted(min(c, len(data)) for c in cuts)
    start = 0
    for i, p in enumerate([*points, len(data)]):
        chunk = data[start:p]
        h.update([bytes, bytearray, memoryview][i % 3](chunk))
        start = p
    ref = reference(name, data)
    if name.startswith("shake"):
        assert h.digest(77) == ref.digest(77)
    else:
        assert h.digest() == ref.digest()
        assert h.hexdigest() == ref.hexdigest()


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", list(FAMILY))
def test_attributes_match_hashlib(name: str, backend: str) -> None:
    h = impl(name, backend)()
    ref = reference(name)
    assert h.name == name
    assert h.digest_size == ref.digest_size
    assert h.block_size == ref.block_size


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", list(FAMILY))
def test_copy_is_independent_and_digest_does_not_consume(name: str, backend: str) -> None:
    h = impl(name, backend)(b"prefix " * 30)
    c = h.copy()
    c.update(b"only in the copy")
    args = (40,) if name.startswith("shake") else ()
    first = h.digest(*args)
    assert h.digest(*args) == first  # digest() leaves the object usable
    h.update(b"only in the copy")
    assert h.digest(*args) == c.digest(*args)
    assert h.digest(*args) == reference(name, b"prefix " * 30 + b"only in the copy").digest(*args)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", list(FAMILY))
def test_text_and_other_types_are_refused(name: str, backend: str) -> None:
    cls = impl(name, backend)
    with pytest.raises(TypeError, match="bytes"):
        cls("text")
    with pytest.raises(TypeError, match="bytes"):
        cls().update(12)


def test_new_by_hashlib_name_and_unknown_name() -> None:
    for name in FAMILY:
        h = hashes.new(name, data=b"abc")
        assert h.name == name
        if not name.startswith("shake"):
            assert h.digest() == reference(name, b"abc").digest()
    assert hashes.new("SHA256").name == "sha256"
    with pytest.raises(ValueError, match="unknown hash"):
        hashes.new("md5")
    with pytest.raises(TypeError):
        hashes.new(b"sha256")  # type: ignore[arg-type]


def test_module_constructors_use_the_active_backend() -> None:
    import nocrypto

    h = hashes.sha256(b"data")
    h.update(b"more")
    assert h.digest() == hashlib.sha256(b"datamore").digest()
    assert hashes.shake256(b"x").hexdigest(64) == hashlib.shake_256(b"x").hexdigest(64)
    if nocrypto.backend == "cython":
        built = importlib.util.find_spec("nocrypto.hashes._sha2_cy") is not None
        assert (type(h).__module__ == "nocrypto.hashes._sha2_cy") == built


KERNEL_ALGORITHMS = {
    "nocrypto.hashes._sha1_cy": ["sha1"],
    "nocrypto.hashes._sha2_cy": ["sha224", "sha256", "sha384", "sha512"],
}


def _code_paths() -> list:
    params = []
    for mod_name in KERNEL_ALGORITHMS:
        try:
            mod = importlib.import_module(mod_name)
        except ImportError:
            params.append(
                pytest.param(mod_name, "-", marks=pytest.mark.skip(reason=f"{mod_name} not built"))
            )
            continue
        params += [(mod_name, path) for path in mod.available()]
    return params


@pytest.mark.parametrize(("mod_name", "path"), _code_paths())
def test_every_c_code_path_on_this_cpu(mod_name: str, path: str) -> None:
    """SHA-NI, BMI2 and portable C each pass the NIST vectors, not just the default one."""
    mod = importlib.import_module(mod_name)
    default = mod.implementation
    mod._use(path)
    try:
        assert mod.implementation == path
        for name in KERNEL_ALGORITHMS[mod_name]:
            cls = getattr(mod, FAMILY[name][2])
            for rec in [r for r in rsp(name, "ShortMsg") if "Msg" in r]:
                check_digest(cls(msg_of(rec)), rec, name)
            for rec in [r for r in rsp(name, "LongMsg") if "Msg" in r][:8]:
                check_digest(cls(msg_of(rec)), rec, name)
            expected = [bytes.fromhex(r["MD"]) for r in rsp(name, "Monte") if "MD" in r]
            seed = next(r["Seed"] for r in rsp(name, "Monte") if "Seed" in r)
            assert _monte_sha2(cls, bytes.fromhex(seed), 3) == expected[:3]
            # Multi-block inputs fed in uneven pieces (the SIMD paths interleave blocks).
            for size in [*range(0, 700, 13), 4099]:
                data = bytes((i * 131 + size) & 0xFF for i in range(size))
                h = cls(data[: size // 3])
                h.update(data[size // 3 : size // 2])
                h.update(data[size // 2 :])
                assert h.digest() == reference(name, data).digest(), (name, size)
    finally:
        mod._use(default)


def test_fastest_path_is_the_default() -> None:
    import nocrypto

    for mod_name in KERNEL_ALGORITHMS:
        try:
            mod = importlib.import_module(mod_name)
        except ImportError:
            pytest.skip(f"{mod_name} is not built")
        assert mod.implementation == mod.available()[0]
        if {"sha_ni", "sse4_1", "ssse3"} <= nocrypto.cpu_features:
            assert mod.implementation == "sha_ni"


@pytest.mark.parametrize("name", ["sha1", "sha256", "sha512", "sha3_256", "shake128"])
def test_one_object_shared_by_threads_stays_consistent(name: str) -> None:
    # Inputs of 2 KiB or more are hashed without the GIL, under the object's lock.  Four
    # threads feed the same chunk into one object while two others take copies: every
    # update lands whole (the result is the chunk repeated, whatever the order), and
    # every copy is the hash of some whole number of chunks.
    import hashlib
    import threading

    chunk = bytes(range(256)) * 12 + b"tail"  # 3076 bytes: the GIL-free path
    per_thread, writers = 40, 4
    shared = hashes.new(name)

    def digest_of(h: Any) -> bytes:
        return h.digest(32) if name.startswith("shake") else h.digest()

    def reference(k: int) -> bytes:
        h = hashlib.new(name, chunk * k)
        return h.digest(32) if name.startswith("shake") else h.digest()

    copies: list[bytes] = []

    def write() -> None:
        for _ in range(per_thread):
            shared.update(chunk)

    def read() -> None:
        for _ in range(20):
            copies.append(digest_of(shared.copy()))

    threads = [threading.Thread(target=write) for _ in range(writers)]
    threads += [threading.Thread(target=read) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    total = per_thread * writers
    assert digest_of(shared) == reference(total)
    valid = {reference(k) for k in range(total + 1)}
    assert all(c in valid for c in copies)
