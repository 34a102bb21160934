"""RFC 6979 deterministic ECDSA (appendix A.2.5-A.2.7: P-256, P-384, P-521 with
SHA-1/224/256/384/512 over "sample" and "test") reproduced byte for byte, on both
backends.  The full signature set comes from OpenSSL's copy of the RFC appendix
shipped in ``cryptography_vectors`` (keys read from their PEM with `cryptography`);
the key pairs and nonces k below are typed from the RFC itself."""

from __future__ import annotations

import cryptography_vectors
import pytest
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from nocrypto import ec, hashes
from nocrypto.nist.ecdsa import decode_der, rfc6979_nonces
from tests.nocrypto._nist_backends import BACKENDS

CURVES = {"P-256": ec.P256, "P-384": ec.P384, "P-521": ec.P521}


def _vectors():
    """(curve name, d, hash name, message, expected DER) for each deterministic Sign."""
    path = "asymmetric/ECDSA/RFC6979/evppkey_ecdsa_rfc6979.txt"
    with cryptography_vectors.open_vector_file(path, "r") as f:
        blocks = f.read().split("\n\n")
    keys: dict[str, int] = {}
    out = []
    for block in blocks:
        lines = [x for x in block.strip().splitlines() if not x.startswith("#")]
        if not lines:
            continue
        if lines[0].startswith("PrivateKey="):
            name = lines[0].split("=", 1)[1].strip()
            if name.split("_")[0] not in CURVES:
                continue  # binary and smaller curves: not ours
            key = load_pem_private_key("\n".join(lines[1:]).encode(), None)
            keys[name] = key.private_numbers().private_value
            continue
        fields = dict(x.split(" = ", 1) for x in lines if " = " in x)
        if "DigestSign" not in fields or fields.get("NonceType") != "deterministic":
            continue
        curve = fields["Key"].split("_")[0]
        if curve not in CURVES:
            continue
        out.append(
            (
                curve,
                keys[fields["Key"]],
                fields["DigestSign"].lower(),
                fields["Input"].strip('"').encode(),
                bytes.fromhex(fields["Output"]),
            )
        )
    return out


VECTORS = _vectors()


def test_every_curve_and_hash_is_covered():
    assert {(v[0], v[2]) for v in VECTORS} == {
        (c, h) for c in CURVES for h in ("sha1", "sha224", "sha256", "sha384", "sha512")
    }
    assert len(VECTORS) == 30


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    ("curve_name", "d", "hash_name", "message", "expected"),
    VECTORS,
    ids=[f"{v[0]}-{v[2]}-{v[3].decode()}" for v in VECTORS],
)
def test_rfc6979_signature(backend, curve_name, d, hash_name, message, expected):
    key = CURVES[curve_name].with_arith(backend).private_key(d)
    assert key.sign(message, hash_name) == expected
    r, s = decode_der(expected)
    w = key.curve.field_bytes
    assert key.sign_p1363(message, hash_name) == r.to_bytes(w, "big") + s.to_bytes(w, "big")
    assert key.public_key().verify(expected, message, hash_name)


@pytest.mark.parametrize("backend", BACKENDS)
def test_extra_entropy_changes_the_nonce_but_still_verifies(backend):
    curve_name, d, hash_name, message, expected = VECTORS[0]
    key = CURVES[curve_name].with_arith(backend).private_key(d)
    hedged = key.sign(message, hash_name, extra_entropy=b"\x01" * 32)
    assert hedged != expected
    assert key.sign(message, hash_name, extra_entropy=b"\x01" * 32) == hedged  # same input, same k
    assert key.sign(message, hash_name, extra_entropy=True) != hedged
    assert key.public_key().verify(hedged, message, hash_name)


# Straight from RFC 6979 A.2.5-A.2.7: the key pair, and the nonce k (plus r, s for
# "sample") with the curve's natural hash; this pins the HMAC_DRBG nonce stream
# itself, not only the signatures built on it.
APPENDIX = {
    "P-256": dict(
        x="C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721",
        ux="60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6",
        uy="7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299",
        hash="sha256",
        k_sample="A6E3C57DD01ABE90086538398355DD4C3B17AA873382B0F24D6129493D8AAD60",
        r_sample="EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716",
        s_sample="F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8",
        k_test="D16B6AE827F17175E040871A1C7EC3500192C4C92677336EC2537ACAEE0008E0",
    ),
    "P-384": dict(
        x="6B9D3DAD2E1B8C1C05B19875B6659F4DE23C3B667BF297BA9AA47740787137D8"
        "96D5724E4C70A825F872C9EA60D2EDF5",
        ux="EC3A4E415B4E19A4568618029F427FA5DA9A8BC4AE92E02E06AAE5286B300C64"
        "DEF8F0EA9055866064A254515480BC13",
        uy="8015D9B72D7D57244EA8EF9AC0C621896708A59367F9DFB9F54CA84B3F1C9DB1"
        "288B231C3AE0D4FE7344FD2533264720",
        hash="sha384",
        k_sample="94ED910D1A099DAD3254E9242AE85ABDE4BA15168EAF0CA87A555FD56D10FBCA"
        "2907E3E83BA95368623B8C4686915CF9",
        r_sample="94EDBB92A5ECB8AAD4736E56C691916B3F88140666CE9FA73D64C4EA95AD133C"
        "81A648152E44ACF96E36DD1E80FABE46",
        s_sample="99EF4AEB15F178CEA1FE40DB2603138F130E740A19624526203B6351D0A3A94F"
        "A329C145786E679E7B82C71A38628AC8",
        k_test="015EE46A5BF88773ED9123A5AB0807962D193719503C527B031B4C2D225092AD"
        "A71F4A459BC0DA98ADB95837DB8312EA",
    ),
    "P-521": dict(
        x="00FAD06DAA62BA3B25D2FB40133DA757205DE67F5BB0018FEE8C86E1B68C7E75"
        "CAA896EB32F1F47C70855836A6D16FCC1466F6D8FBEC67DB89EC0C08B0E996B8"
        "3538",
        ux="01894550D0785932E00EAA23B694F213F8C3121F86DC97A04E5A7167DB4E5BCD"
        "371123D46E45DB6B5D5370A7F20FB633155D38FFA16D2BD761DCAC474B9A2F50"
        "23A4",
        uy="00493101C962CD4D2FDDF782285E64584139C2F91B47F87FF82354D6630F746A"
        "28A0DB25741B5B34A828008B22ACC23F924FAAFBD4D33F81EA66956DFEAA2BFD"
        "FCF5",
        hash="sha512",
        k_sample="01DAE2EA071F8110DC26882D4D5EAE0621A3256FC8847FB9022E2B7D28E6F101"
        "98B1574FDD03A9053C08A1854A168AA5A57470EC97DD5CE090124EF52A2F7ECB"
        "FFD3",
        r_sample="00C328FAFCBD79DD77850370C46325D987CB525569FB63C5D3BC53950E6D4C5F"
        "174E25A1EE9017B5D450606ADD152B534931D7D4E8455CC91F9B15BF05EC36E3"
        "77FA",
        s_sample="00617CCE7CF5064806C467F678D3B4080D6F1CC50AF26CA209417308281B68AF"
        "282623EAA63E5B5C0723D8B8C37FF0777B1A20F8CCB1DCCC43997F1EE0E44DA4"
        "A67A",
        k_test="016200813020EC986863BEDFC1B121F605C1215645018AEA1A7B215A564DE9EB"
        "1B38A67AA1128B80CE391C4FB71187654AAA3431027BFC7F395766CA988C964D"
        "C56D",
    ),
}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("curve_name", list(APPENDIX))
def test_rfc6979_appendix_key_pair_nonces_and_signature(backend, curve_name):
    v = APPENDIX[curve_name]
    curve = CURVES[curve_name].with_arith(backend)
    x = int(v["x"], 16)
    key = curve.private_key(x)
    pub = key.public_key()
    assert (pub.x, pub.y) == (int(v["ux"], 16), int(v["uy"], 16))
    n = curve.params.n
    for message, k_hex in ((b"sample", v["k_sample"]), (b"test", v["k_test"])):
        digest = hashes.new(v["hash"], message).digest()
        x_octets = x.to_bytes(curve.field_bytes, "big")
        assert next(rfc6979_nonces(x_octets, digest, n, v["hash"])) == int(k_hex, 16)
    w = curve.field_bytes
    expected = int(v["r_sample"], 16).to_bytes(w, "big") + int(v["s_sample"], 16).to_bytes(w, "big")
    assert key.sign_p1363(b"sample", v["hash"]) == expected
