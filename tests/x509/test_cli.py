"""``puretls verify`` / ``puretls show`` (through x509.cli): exit codes and output."""

from __future__ import annotations

import datetime as dt
import gzip
import json

import x509
from x509.cli import show_main, verify_main

NOW = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)


def _files(tmp_path):
    k = x509.generate_private_key("ec")
    start, end = NOW - dt.timedelta(days=1), NOW + dt.timedelta(days=9)
    root = (
        x509.CertificateBuilder()
        .subject("CN=cli root")
        .public_key(k)
        .validity(start, end)
        .ca()
        .sign(k)
    )
    leaf_key = x509.generate_private_key("ec")
    leaf = (
        x509.CertificateBuilder()
        .subject("CN=cli.example")
        .public_key(leaf_key)
        .validity(start, end)
        .subject_alt_names(dns=["cli.example"], ip=["192.0.2.9"])
        .issued_by(root)
        .sign(k)
    )
    (tmp_path / "roots.pem").write_bytes(root.to_pem())
    (tmp_path / "chain.pem").write_bytes(leaf.to_pem())
    (tmp_path / "key.pem").write_bytes(leaf_key.to_pem())
    return tmp_path / "chain.pem", tmp_path / "roots.pem"


def test_verify_exit_codes(tmp_path, capsys) -> None:
    chain, roots = _files(tmp_path)
    base = [str(chain), "--roots", str(roots), "--time", "2025-06-01T00:00:00Z"]
    assert verify_main([*base, "--host", "cli.example"]) == 0
    assert verify_main([*base, "--ip", "192.0.2.9"]) == 0
    assert verify_main([*base, "--host", "other.example"]) == 1
    assert "name_mismatch" in capsys.readouterr().out
    assert verify_main([str(chain), "--roots", str(roots), "--time", "2030-01-01T00:00:00Z"]) == 1
    assert verify_main([*base, "--purpose", "client", "--json"]) == 0
    assert verify_main([str(tmp_path / "missing.pem"), "--roots", str(roots)]) == 2
    assert verify_main(["--bogus"]) == 2
    assert verify_main([]) == 2


def test_verify_json(tmp_path, capsys) -> None:
    chain, roots = _files(tmp_path)
    capsys.readouterr()
    assert (
        verify_main([str(chain), "--roots", str(roots), "--time", "2040-01-01T00:00:00Z", "--json"])
        == 1
    )
    out = json.loads(capsys.readouterr().out)
    assert out == {"valid": False, "reason": "expired", "message": out["message"], "index": 0}


def test_limbo_mode(tmp_path, capsys) -> None:
    chain, roots = _files(tmp_path)
    case = {
        "id": "puretls::smoke",
        "features": [],
        "validation_kind": "SERVER",
        "trusted_certs": [roots.read_text()],
        "untrusted_intermediates": [],
        "peer_certificate": chain.read_text(),
        "validation_time": "2025-06-01T00:00:00+00:00",
        "signature_algorithms": [],
        "key_usage": [],
        "extended_key_usage": [],
        "expected_result": "SUCCESS",
        "expected_peer_name": {"kind": "DNS", "value": "cli.example"},
        "max_chain_depth": None,
    }
    # a case whose expectation we contradict by accepting: the exit status says so
    wrong = dict(case, id="puretls::expects-failure", expected_result="FAILURE")
    path = tmp_path / "l.json.gz"
    with gzip.open(path, "wt") as f:
        json.dump({"version": 1, "testcases": [case, wrong]}, f)
    out_path = tmp_path / "results.json"
    assert verify_main(["--limbo", str(path), "--output", str(out_path)]) == 1
    results = json.loads(out_path.read_text())
    assert results["harness"] == "puretls"
    assert [r["actual_result"] for r in results["results"]] == ["SUCCESS", "SUCCESS"]
    assert "wrong-accept 1" in capsys.readouterr().out
    assert verify_main(["--limbo", str(path), "--include", "puretls::smoke"]) == 0


def test_show(tmp_path, capsys) -> None:
    chain, roots = _files(tmp_path)
    capsys.readouterr()
    assert show_main([str(chain), "--json"]) == 0
    [item] = json.loads(capsys.readouterr().out)
    assert item["subject"] == "CN=cli.example" and item["issuer"] == "CN=cli root"
    assert show_main([str(tmp_path / "key.pem")]) == 0
    assert "secp256r1" in capsys.readouterr().out
    (tmp_path / "junk.pem").write_text(
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
    )
    assert show_main([str(tmp_path / "junk.pem")]) == 2
