"""Path building is bounded however hostile the intermediates (review finding H2).

The attack: K self-issued intermediates with the same subject and key, each with N
permitted dNSName subtrees, over a leaf with N SANs.  Every intermediate verifies
the leaf's signature (and every other's), so a naive depth-first search re-runs an
N x N name-constraint check for each of the hundreds of candidates it tries.  The
tests count work through the verifier's own budget and through the comparisons
actually made, never by the clock.
"""

from __future__ import annotations

import pytest

import x509
from tests.x509.chains import NOW, Spec, build, key
from tests.x509.test_verify import ours
from x509 import constraints, profile
from x509 import verify as verify_module


def attack(n: int, k: int, sans: int | None = None) -> tuple[x509.Verifier, x509.Certificate]:
    permitted = [f"zz{i}.example.com" for i in range(n)] + ["example.org"]
    specs = [Spec("Root", key("ec", 0))]
    specs += [Spec("Evil CA", key("ec", 1), permitted_dns=permitted) for _ in range(k)]
    count = n if sans is None else sans
    specs.append(
        Spec(
            "leaf",
            key("ec", 2),
            issuer=1,
            ca=False,
            dns=[f"n{i}.example.org" for i in range(count)],
        )
    )
    parsed = ours(build(specs))
    return x509.Verifier([parsed[0]], parsed[1:-1], time=NOW), parsed[-1]


@pytest.fixture
def meter(monkeypatch: pytest.MonkeyPatch) -> dict:
    """Records the verifier's work budgets and counts the comparisons and signature
    checks really made."""
    seen: dict = {"work": [], "comparisons": 0, "checks": 0, "signatures": 0}

    class RecordedWork(verify_module._Work):
        def __init__(self, limit: int) -> None:
            super().__init__(limit)
            seen["work"].append(self)

    within, check = constraints._within, constraints.check
    verify_signature = x509.Certificate.verify_signature

    def counted_within(*args, **kw):
        seen["comparisons"] += 1
        return within(*args, **kw)

    def counted_check(*args, **kw):
        seen["checks"] += 1
        return check(*args, **kw)

    def counted_signature(self, *args, **kw):
        seen["signatures"] += 1
        return verify_signature(self, *args, **kw)

    monkeypatch.setattr(verify_module, "_Work", RecordedWork)
    monkeypatch.setattr(constraints, "_within", counted_within)
    monkeypatch.setattr(constraints, "check", counted_check)
    monkeypatch.setattr(x509.Certificate, "verify_signature", counted_signature)
    return seen


def test_attack_shape_ends_with_bounded_cached_work(meter: dict) -> None:
    n, k = 40, 6
    verifier, leaf = attack(n, k)
    with pytest.raises(x509.ValidationError) as info:
        verifier.verify(leaf, "n0.example.org")
    assert info.value.reason == x509.Reason.WORK_BUDGET
    [work] = meter["work"]
    # each (intermediate, leaf) constraint check runs once however often the search
    # comes back to it, and each (certificate, issuer) signature is checked once
    assert meter["checks"] == k
    assert meter["signatures"] <= k + k * (k - 1)
    # the budget is charged for at least every comparison made...
    assert meter["comparisons"] <= work.spent
    # ...and what it was charged is the cached total, nowhere near the naive
    # hundreds-of-candidates times N x N
    per_check = (n + 1) * (n + 2)
    assert work.spent <= k * per_check + (k + k * (k - 1)) * verify_module.SIGNATURE_COST
    assert work.spent < verify_module.WORK_BUDGET * per_check // 10


def test_work_budget_stops_expensive_constraint_checks(
    meter: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Distinct intermediates defeat the cache; the shared budget ends the call."""
    n, k = 40, 12
    limit = 4 * (n + 1) * (n + 2)  # room for about four N x N checks
    monkeypatch.setattr(verify_module, "MAX_WORK", limit)
    verifier, leaf = attack(n, k)
    with pytest.raises(x509.ValidationError) as info:
        verifier.verify(leaf, "n0.example.org")
    assert info.value.reason == x509.Reason.WORK_BUDGET
    assert "work budget" in info.value.message
    [work] = meter["work"]
    assert work.left < 0  # the budget, not the candidate count, ended the search
    assert meter["checks"] < k
    # nothing ran after the budget was spent: the overshoot is one check's charge
    assert meter["comparisons"] <= limit
    assert work.spent <= limit + (n + 1) * (n + 2)


def test_one_budget_for_the_whole_call(meter: dict) -> None:
    """An ordinary chain spends a tiny fraction of the budget, and one verify() call
    makes one budget (nested searches share it)."""
    from tests.x509.test_verify import three

    parsed = ours(build(three()))
    x509.Verifier([parsed[0]], parsed[1:2], time=NOW).verify(parsed[2], "example.com")
    [work] = meter["work"]
    assert 0 < work.spent < verify_module.MAX_WORK // 100


def test_too_many_san_entries_is_refused_cleanly() -> None:
    verifier, leaf = attack(1, 1, sans=profile.MAX_SAN_ENTRIES + 1)
    with pytest.raises(x509.ValidationError) as info:
        verifier.verify(leaf, "n0.example.org")
    assert info.value.reason == x509.Reason.WORK_BUDGET
    assert f"{profile.MAX_SAN_ENTRIES + 1} entries" in info.value.message


def test_too_many_name_constraint_subtrees_is_refused_cleanly() -> None:
    permitted = [f"p{i}.example" for i in range(profile.MAX_NAME_SUBTREES)] + ["example.org"]
    specs = [
        Spec("Root", key("ec", 0)),
        Spec("Inter", key("ec", 1), issuer=0, permitted_dns=permitted),
        Spec("leaf", key("ec", 2), issuer=1, ca=False, dns=["a.example.org"]),
    ]
    parsed = ours(build(specs))
    verifier = x509.Verifier([parsed[0]], [parsed[1]], time=NOW)
    with pytest.raises(x509.ValidationError) as info:
        verifier.verify(parsed[2], "a.example.org")
    assert info.value.reason == x509.Reason.WORK_BUDGET
    assert f"{profile.MAX_NAME_SUBTREES + 1} subtrees" in info.value.message
    # one subtree fewer is an ordinary, valid chain
    specs[1] = Spec("Inter", key("ec", 1), issuer=0, permitted_dns=permitted[1:])
    parsed = ours(build(specs))
    verifier = x509.Verifier([parsed[0]], [parsed[1]], time=NOW)
    assert len(verifier.verify(parsed[2], "a.example.org")) == 3
