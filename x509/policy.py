"""Certificate policy processing (RFC 5280 §6.1.2–§6.1.5, the valid_policy_tree).

Run by both profiles.  The §6.1.1 inputs are the verifier's options:
user-initial-policy-set (default {anyPolicy}), initial-explicit-policy,
initial-policy-mapping-inhibit and initial-any-policy-inhibit (default false), so by
default a path fails only when a CA in it demands an explicit policy
(requireExplicitPolicy) and no policy survives, or a CA maps a policy to or from
anyPolicy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from x509 import extensions as ext
from x509.errors import Reason, ValidationError

if TYPE_CHECKING:
    from x509.certificate import Certificate

ANY = ext.ANY_POLICY


class _Node:
    __slots__ = ("policy", "qualifiers", "expected", "parent", "children")

    def __init__(self, policy: str, qualifiers: object, expected: set[str], parent: _Node | None):
        self.policy = policy
        self.qualifiers = qualifiers
        self.expected = expected
        self.parent = parent
        self.children: list[_Node] = []
        if parent is not None:
            parent.children.append(self)


def _prune(levels: list[list[_Node]], depth: int) -> None:
    """Remove childless nodes above ``depth``, bottom-up (§6.1.3 (d)(3))."""
    for d in range(depth - 1, -1, -1):
        keep = []
        for node in levels[d]:
            if node.children:
                keep.append(node)
            elif node.parent is not None:
                node.parent.children.remove(node)
        levels[d] = keep


def process(
    path: list[Certificate],
    initial_policies: frozenset[str] = frozenset({ANY}),
    initial_explicit_policy: bool = False,
    initial_mapping_inhibit: bool = False,
    initial_any_policy_inhibit: bool = False,
) -> list[str]:
    """The user-constrained policies of ``path`` (leaf first, anchor last); raises
    ValidationError(reason="policy") when the path fails policy checks."""
    certs = list(reversed(path[:-1]))  # §6.1: certificate 1 is issued by the anchor
    n = len(certs)
    explicit_policy = 0 if initial_explicit_policy else n + 1
    inhibit_any = 0 if initial_any_policy_inhibit else n + 1
    policy_mapping = 0 if initial_mapping_inhibit else n + 1
    root = _Node(ANY, None, {ANY}, None)
    levels: list[list[_Node]] | None = [[root]]
    for i, cert in enumerate(certs, start=1):
        index = n - i  # position in the caller's leaf-first path
        cp = cert.extension(ext.CERTIFICATE_POLICIES)
        if cp is not None and levels is not None:
            levels.append([])
            parents = levels[i - 1]
            any_qualifiers = None
            for info in cp.value.policies:
                if info.policy == ANY:
                    any_qualifiers = info.qualifiers
                    continue
                matched = [p for p in parents if info.policy in p.expected]
                if not matched:
                    matched = [p for p in parents if p.policy == ANY]
                for p in matched:
                    levels[i].append(_Node(info.policy, info.qualifiers, {info.policy}, p))
            has_any = any(info.policy == ANY for info in cp.value.policies)
            if has_any and (inhibit_any > 0 or (i < n and cert.is_self_issued)):
                for p in parents:
                    present = {c.policy for c in p.children}
                    for value in sorted(p.expected - present):
                        levels[i].append(_Node(value, any_qualifiers, {value}, p))
            _prune(levels, i)
            if not levels[i]:
                levels = None
        elif cp is None:
            levels = None
        if explicit_policy <= 0 and levels is None:
            raise ValidationError(Reason.POLICY, "no valid policy for the path", index)
        if i == n:
            break
        # §6.1.4: preparation for certificate i+1
        pm = cert.extension(ext.POLICY_MAPPINGS)
        if pm is not None:
            mapping: dict[str, set[str]] = {}
            for issuer_policy, subject_policy in pm.value.mappings:
                if ANY in (issuer_policy, subject_policy):
                    raise ValidationError(Reason.POLICY, "policy mapping to anyPolicy", index)
                mapping.setdefault(issuer_policy, set()).add(subject_policy)
            if levels is not None:
                for issuer_policy, targets in mapping.items():
                    nodes = [x for x in levels[i] if x.policy == issuer_policy]
                    if policy_mapping > 0:
                        if nodes:
                            for x in nodes:
                                x.expected = set(targets)
                        else:
                            for x in [x for x in levels[i] if x.policy == ANY]:
                                assert x.parent is not None
                                levels[i].append(
                                    _Node(issuer_policy, x.qualifiers, set(targets), x.parent)
                                )
                    else:
                        for x in nodes:
                            levels[i].remove(x)
                            if x.parent is not None:
                                x.parent.children.remove(x)
                        _prune(levels, i)
                        if not levels[i]:
                            levels = None
                            break
        if not cert.is_self_issued:
            explicit_policy = max(explicit_policy - 1, 0)
            policy_mapping = max(policy_mapping - 1, 0)
            inhibit_any = max(inhibit_any - 1, 0)
        pc = cert.extension(ext.POLICY_CONSTRAINTS)
        if pc is not None:
            if pc.value.require_explicit_policy is not None:
                explicit_policy = min(explicit_policy, pc.value.require_explicit_policy)
            if pc.value.inhibit_policy_mapping is not None:
                policy_mapping = min(policy_mapping, pc.value.inhibit_policy_mapping)
        iap = cert.extension(ext.INHIBIT_ANY_POLICY)
        if iap is not None:
            inhibit_any = min(inhibit_any, iap.value.skip_certs)
    # §6.1.5 wrap-up on the leaf
    leaf = certs[-1] if certs else None
    if explicit_policy > 0:
        explicit_policy -= 1
    if leaf is not None:
        pc = leaf.extension(ext.POLICY_CONSTRAINTS)
        if pc is not None and pc.value.require_explicit_policy == 0:
            explicit_policy = 0
    if levels is not None and ANY not in initial_policies:
        levels = _intersect(levels, n, initial_policies)
    if explicit_policy <= 0 and levels is None:
        raise ValidationError(Reason.POLICY, "no acceptable policy for the path", 0)
    if levels is None:
        return []
    return sorted({x.policy for x in levels[-1]})


def _delete_subtree(levels: list[list[_Node]], depth: int, node: _Node) -> None:
    if node.parent is not None:
        node.parent.children.remove(node)
    doomed, d = [node], depth
    while doomed:
        for x in doomed:
            levels[d].remove(x)
        doomed = [c for x in doomed for c in x.children]
        d += 1


def _intersect(levels: list[list[_Node]], n: int, user: frozenset[str]) -> list[list[_Node]] | None:
    """§6.1.5 (g)(iii): keep only the user's policies in the tree."""
    # (1)-(2): nodes hanging off anyPolicy whose policy the user did not ask for go
    for d in range(1, n + 1):
        for node in list(levels[d]):
            parent = node.parent
            if parent is not None and parent.policy == ANY and node.policy != ANY:
                if node.policy not in user:
                    _delete_subtree(levels, d, node)
    # (3): an anyPolicy leaf stands for every user policy not already present
    for node in [x for x in levels[n] if x.policy == ANY]:
        present = {x.policy for x in levels[n]}
        assert node.parent is not None
        for policy in sorted(user - present):
            levels[n].append(_Node(policy, node.qualifiers, {policy}, node.parent))
        levels[n].remove(node)
        node.parent.children.remove(node)
    # (4): prune what lost its children
    for d in range(n - 1, -1, -1):
        for node in list(levels[d]):
            if not node.children:
                levels[d].remove(node)
                if node.parent is not None:
                    node.parent.children.remove(node)
    return levels if levels[n] else None
