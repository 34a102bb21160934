"""PEM (RFC 7468): what cryptography writes we read, what we write cryptography reads."""

from __future__ import annotations

import base64

import pytest
from cryptography import x509 as cx509
from cryptography.hazmat.primitives.serialization import Encoding
from hypothesis import given
from hypothesis import strategies as st

from x509 import ParseError, pem

labels = st.from_regex(r"[A-Z][A-Z0-9]{0,8}( [A-Z0-9]{1,8}){0,2}", fullmatch=True)


@given(label=labels, der=st.binary(max_size=300))
def test_encode_decode_roundtrip(label: str, der: bytes) -> None:
    text = pem.encode(label, der)
    # RFC 7468 strict form: 64 characters per line
    body = text.decode().splitlines()[1:-1]
    assert all(len(line) <= 64 for line in body)
    assert all(len(line) == 64 for line in body[:-1])
    [block] = pem.decode_all(text)
    assert (block.label, block.der) == (label, der)


@given(der=st.binary(min_size=1, max_size=200), ws=st.sampled_from([" ", "\t", "\r\n", "\n\n"]))
def test_lax_whitespace_and_surrounding_text(der: bytes, ws: str) -> None:
    b64 = base64.b64encode(der).decode()
    spaced = ws.join(b64[i : i + 10] for i in range(0, len(b64), 10))
    text = f"Subject: something\n-----BEGIN DATA-----{ws}{spaced}{ws}-----END DATA-----\ntrailer"
    assert pem.decode(text, ("DATA",)) == [der]


def test_several_blocks_in_order_and_labels_filter() -> None:
    text = pem.encode("A", b"1") + b"junk\n" + pem.encode("B", b"22") + pem.encode("A", b"333")
    assert [(b.label, b.der) for b in pem.decode_all(text)] == [
        ("A", b"1"),
        ("B", b"22"),
        ("A", b"333"),
    ]
    assert pem.decode(text, ("A",)) == [b"1", b"333"]
    with pytest.raises(ParseError):
        pem.decode(text, ("C",))


@pytest.mark.parametrize(
    "text",
    [
        "-----BEGIN A-----\nAAAA\n-----END B-----\n",  # label mismatch
        "-----BEGIN A-----\nAA!A\n-----END A-----\n",  # not base64
        "-----BEGIN A-----\nAA==AAAA\n-----END A-----\n",  # padding inside
        "-----BEGIN A-----\nAAAA\n",  # no END line
    ],
)
def test_malformed_blocks_raise_parse_error(text: str) -> None:
    with pytest.raises(ParseError):
        pem.decode_all(text)


def test_rfc1421_headers_are_reported() -> None:
    text = (
        "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
        "DEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\nAAAA\n"
        "-----END RSA PRIVATE KEY-----\n"
    )
    [block] = pem.decode_all(text)
    assert block.headers["Proc-Type"] == "4,ENCRYPTED"
    assert block.der == b"\x00\x00\x00"


def test_certificates_written_by_cryptography(tmp_path) -> None:
    import cryptography_vectors

    raw = cryptography_vectors.open_vector_file("x509/cryptography.io.pem", "rb").read()
    theirs = cx509.load_pem_x509_certificates(raw)
    ours = pem.decode(raw, ("CERTIFICATE",))
    assert ours == [c.public_bytes(Encoding.DER) for c in theirs]
    # and the PEM we write is read back by cryptography
    again = b"".join(pem.encode("CERTIFICATE", d) for d in ours)
    assert [c.public_bytes(Encoding.DER) for c in cx509.load_pem_x509_certificates(again)] == ours


def test_trust_store_skips_unparseable_certificates() -> None:
    import x509

    k = x509.generate_private_key("ec")
    good = x509.CertificateBuilder().subject("CN=good root").public_key(k).ca().sign(k)
    bundle = pem.encode("CERTIFICATE", b"\x30\x03\x02\x01\x00") + good.to_pem()
    with pytest.raises(ParseError):
        x509.load_pem_certificates(bundle)
    assert x509.load_trust_store(bundle) == [good]


def test_system_trust_store_loads() -> None:
    import x509

    try:
        roots = x509.load_trust_store()
    except FileNotFoundError:
        pytest.skip("no system certificate bundle on this machine")
    assert len(roots) > 50


def test_load_pem_reads_every_kind_in_order() -> None:
    import x509

    k = x509.generate_private_key("ec")
    cert = x509.CertificateBuilder().subject("CN=a").public_key(k).ca().sign(k)
    data = (
        cert.to_pem()
        + k.to_pem()
        + k.public_key().to_pem()
        + x509.CSRBuilder().subject("CN=r").sign(k).to_pem()
        + x509.CRLBuilder(cert).sign(k).to_pem()
    )
    objs = x509.load_pem(data)
    assert [type(o).__name__ for o in objs] == [
        "Certificate",
        "PrivateKey",
        "PublicKey",
        "CSR",
        "CRL",
    ]
    assert objs[0] == cert and objs[1].public_key() == objs[2] == k.public_key()
    with pytest.raises(ParseError):
        x509.load_pem(pem.encode("SOMETHING ELSE", b"\x05\x00"))
