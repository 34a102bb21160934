"""Certification path building and validation (RFC 5280 §6.1, web-PKI profile).

``Verifier(roots, intermediates).verify(leaf, name)`` searches, depth first, for a
path from ``leaf`` to one of ``roots``.  Candidate issuers are the certificates whose
subject matches the current certificate's issuer (RFC 5280 §7.1 comparison) and
whose subjectKeyIdentifier, when both sides carry one, equals the
authorityKeyIdentifier.  Trust anchors are tried before intermediates; a candidate
that fails any check (signature, validity, CA rules, path length, name constraints)
is abandoned and the next one is tried, so a bad cross-sign does not hide a good
path.  A certificate never appears twice in a path.

The peer chooses the intermediates (in TLS, before it has authenticated), so the
search is bounded: at most ``WORK_BUDGET`` candidate issuers, and one budget of
``MAX_WORK`` units for the whole ``verify()`` call, nested CRL-signer searches
included, charged for every signature check (``SIGNATURE_COST``) and every
name-constraint comparison.  A signature result is cached per (certificate,
candidate issuer) and a name-constraint result per (constraining CA, certificate),
so re-visiting the same pair in another branch costs nothing.  Certificates with more
than ``MAX_SAN_ENTRIES`` subjectAltName entries or ``MAX_NAME_SUBTREES`` name
constraint subtrees are refused outright (see ``x509.profile``).

Trust anchors are certificates: their validity, CA rules and name constraints are
enforced (as the web PKI does); their own signature is not checked.

A certificate remembers (``Certificate._checks``) the outcome of each rule of
``x509.profile`` that reads only the certificate and the verifier's options (its role
as leaf, intermediate or anchor; key, EKU/keyUsage rules), so that a client meeting
the same chain again skips re-reading extensions; validity at the validation time,
the reference name, path length, name constraints, revocation and policies are
evaluated on every verify().
"""

from __future__ import annotations

import datetime as _dt
import functools
import ipaddress
import itertools
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from x509 import constraints, profile
from x509 import extensions as ext
from x509.errors import Reason, ValidationError
from x509.hostname import Email, match_reference_dns, matches_reference

if TYPE_CHECKING:
    from x509.certificate import Certificate
    from x509.crl import CRL

DEFAULT_MAX_DEPTH = 8  # intermediates, not counting the leaf and the anchor
WORK_BUDGET = 256  # candidate issuers examined per verify() call
# Work units per verify() call: one unit is one name-constraint comparison (about a
# microsecond in CPython); a signature check costs SIGNATURE_COST of them.  A
# legitimate chain spends a few thousand.
MAX_WORK = 1 << 20
SIGNATURE_COST = 256
PURPOSES = {"server": ext.SERVER_AUTH, "client": ext.CLIENT_AUTH}


@functools.lru_cache(maxsize=512)
def _ip_or_name(name: str) -> str | ipaddress.IPv4Address | ipaddress.IPv6Address:
    """``name`` as an IP address when it is one, else the name itself (remembered: the
    same names come back connection after connection, and a failed parse raises)."""
    try:
        return ipaddress.ip_address(name)
    except ValueError:
        return name


def _as_time(time: _dt.datetime | float | int | None) -> _dt.datetime:
    if type(time) is _dt.datetime and time.tzinfo is _dt.UTC and not time.microsecond:
        return time  # already what the rest would make of it
    if time is None:
        now = _dt.datetime.now(_dt.UTC)
    elif isinstance(time, _dt.datetime):
        if time.tzinfo is None:
            raise ValueError("time must be timezone-aware (e.g. datetime.timezone.utc)")
        now = time.astimezone(_dt.UTC)
    elif isinstance(time, int | float):
        now = _dt.datetime.fromtimestamp(time, _dt.UTC)
    else:
        raise TypeError("time must be a datetime, a POSIX timestamp or None")
    # Certificate times have one-second resolution (RFC 5280 §4.1.2.5).
    return now.replace(microsecond=0)


def _as_certificate(value: object) -> Certificate:
    """Certificates may also be given as DER bytes."""
    from x509.certificate import Certificate

    if isinstance(value, Certificate):
        return value
    if isinstance(value, bytes | bytearray | memoryview):
        return Certificate.from_der(value)
    raise TypeError(f"expected an x509.Certificate or DER bytes, got {type(value).__name__}")


class _BudgetExhausted(ValidationError):
    """The search ran out of work: it ends the whole verify() call (a candidate that
    merely fails a check lets the search go on; this must not)."""


class _Work:
    """The work one verify() call may do, shared by every search it starts, with
    the caches that keep repeated (certificate, issuer) pairs free."""

    __slots__ = ("limit", "left", "spent", "signatures", "constraints")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.left = limit
        self.spent = 0
        # (child DER, issuer DER) -> the signature verifies
        self.signatures: dict[tuple[bytes, bytes], bool] = {}
        # (constraining CA DER, certificate DER, is leaf) -> violation message or None
        self.constraints: dict[tuple[bytes, bytes, bool], str | None] = {}

    def charge(self, units: int) -> None:
        self.spent += units
        self.left -= units
        if self.left < 0:
            raise _BudgetExhausted(
                Reason.WORK_BUDGET,
                f"path building exceeded its work budget of {self.limit} units"
                " (signature checks and name-constraint comparisons)",
            )


class _Budget:
    """Candidate issuers one search may examine, and the shared work budget."""

    __slots__ = ("left", "work")

    def __init__(self, n: int, work: _Work | None = None) -> None:
        self.left = n
        self.work = work if work is not None else _Work(MAX_WORK)

    def spend(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise _BudgetExhausted(
                Reason.WORK_BUDGET,
                f"path building examined more than {WORK_BUDGET} candidate issuers",
            )


_UNCHECKED = object()
_MAX_CHECKS = 32  # remembered rule outcomes per certificate (a few profiles and roles)


def _check_once(cert: Certificate, key: tuple, index: int, check, *args: object) -> None:
    """``check(*args)``, a rule of ``x509.profile`` whose outcome depends only on
    ``cert`` and the inputs ``key`` names, run once per certificate and key: later
    calls raise the same failure (at ``index``, the certificate's place in this path)
    or pass without running it again."""
    memo = cert._checks
    outcome = memo.get(key, _UNCHECKED)
    if outcome is _UNCHECKED:
        try:
            check(*args)
            outcome = None
        except ValidationError as exc:
            if type(exc) is not ValidationError:
                raise
            outcome = (exc.reason, exc.message)
        if len(memo) >= _MAX_CHECKS:
            memo.clear()
        memo[key] = outcome
    if outcome is not None:
        raise ValidationError(outcome[0], outcome[1], index)


# Distinct profiles (by value) -> a number naming them in ``Certificate._checks``
# (drawn from a counter, so that two threads can never give two profiles the same one).
_PROFILE_TOKENS: dict[profile.Profile, int] = {}
_TOKEN_COUNTER = itertools.count()


class _Keys:
    """The ``Certificate._checks`` keys of one verifier's rules, with the option
    objects they were made from (a verifier whose options are reassigned makes new ones)."""

    __slots__ = (
        "profile",
        "eku",
        "ku",
        "server",
        "leaf",
        "key",
        "purpose",
        "ca",
        "anchor",
        "ca_eku",
    )

    def __init__(self, pol: profile.Profile, eku: tuple[str, ...], ku: tuple[str, ...]) -> None:
        token = _PROFILE_TOKENS.get(pol)
        if token is None:
            token = _PROFILE_TOKENS.setdefault(pol, next(_TOKEN_COUNTER))
        self.profile, self.eku, self.ku = pol, eku, ku
        # the CABF server-certificate rules apply unless only other purposes are asked
        self.server = not eku or ext.SERVER_AUTH in eku
        self.leaf = ("leaf", token, self.server)
        self.key = ("key", token)
        self.purpose = ("purpose", token, eku, ku)
        self.ca = ("ca", token, False)
        self.anchor = ("ca", token, True)
        self.ca_eku = ("eku", token, eku)


class Verifier:
    """Validates certificate chains against a set of trust anchors.

    ``roots``: trusted certificates.  ``intermediates``: untrusted certificates that
    may be used to build the path.  ``time``: validation time (aware datetime or
    POSIX timestamp; default now).  ``max_depth``: most intermediates allowed
    (self-issued ones not counted).  ``profile``: "webpki" (default) or "rfc5280".
    ``extended_key_usage``: OIDs (or "server"/"client") the leaf must be valid for;
    default serverAuth.  The CABF server-certificate rules (a subjectAltName is
    required, the CN must agree with it) apply unless only other purposes are asked,
    so ``["client"]`` accepts a client certificate that names its subject only.
    ``key_usage``: keyUsage bit names the leaf must assert when it has a keyUsage
    extension (a TLS peer passes ``["digitalSignature"]``: its key signs the handshake).
    ``crls``: CRLs to check revocation against; with ``revocation="hard"`` (the
    default) every certificate below the anchor must then be covered by one,
    ``"soft"`` accepts certificates no CRL covers.  ``allow_sha1``: accept SHA-1
    signatures (off by default).  ``policies``, ``require_explicit_policy``,
    ``inhibit_policy_mapping``, ``inhibit_any_policy``: the RFC 5280 §6.1.1 policy
    inputs (user-initial-policy-set, default anyPolicy; the rest default false).
    """

    def __init__(
        self,
        roots: Iterable[Certificate],
        intermediates: Iterable[Certificate] = (),
        time: _dt.datetime | float | int | None = None,
        max_depth: int | None = None,
        profile: str = "webpki",
        extended_key_usage: Sequence[str] | str | None = None,
        key_usage: Sequence[str] | None = None,
        crls: Iterable[CRL] = (),
        allow_sha1: bool = False,
        revocation: str = "hard",
        policies: Iterable[str] | None = None,
        require_explicit_policy: bool = False,
        inhibit_policy_mapping: bool = False,
        inhibit_any_policy: bool = False,
    ) -> None:
        from x509 import profile as profiles

        if profile not in profiles.PROFILES:
            raise ValueError(f"unknown profile {profile!r}; expected 'webpki' or 'rfc5280'")
        self.profile = profiles.PROFILES[profile]
        if allow_sha1:
            from dataclasses import replace

            self.profile = replace(self.profile, allow_sha1=True)
        self.roots = tuple(_as_certificate(c) for c in roots)
        self.intermediates = tuple(_as_certificate(c) for c in intermediates)
        self.time = time
        self.max_depth = DEFAULT_MAX_DEPTH if max_depth is None else int(max_depth)
        if isinstance(extended_key_usage, str):
            extended_key_usage = [extended_key_usage]
        wanted = extended_key_usage if extended_key_usage is not None else ["server"]
        self.extended_key_usage = tuple(PURPOSES.get(p, p) for p in wanted)
        self.key_usage = tuple(key_usage or ())
        self.crls = tuple(crls)
        self.policy_inputs = (
            frozenset(policies) if policies is not None else frozenset({ext.ANY_POLICY}),
            require_explicit_policy,
            inhibit_policy_mapping,
            inhibit_any_policy,
        )
        if revocation not in ("hard", "soft"):
            raise ValueError("revocation must be 'hard' or 'soft'")
        self.hard_revocation = revocation == "hard"
        self._keys: _Keys | None = None
        # Index candidate issuers by normalized subject for §7.1 name comparison; in
        # each list the anchors come first (see _candidates).
        self._by_root_subject: dict[object, list[tuple[Certificate, bool]]] = {}
        for cert in self.roots:
            key = cert.subject.canonical()
            found = self._by_root_subject.setdefault(key, [])
            if all(cert.der != c.der for c, _ in found):
                found.append((cert, True))
        self._root_ders = frozenset(c.der for c in self.roots)
        self._by_subject = self._index(self.intermediates)

    def _index(
        self, intermediates: tuple[Certificate, ...]
    ) -> dict[object, list[tuple[Certificate, bool]]]:
        """The roots index with ``intermediates`` added (after the anchors of their
        subject), each certificate once."""
        by_subject = dict(self._by_root_subject)
        seen = set(self._root_ders)
        for cert in intermediates:
            if cert.der in seen:
                continue
            seen.add(cert.der)
            key = cert.subject.canonical()
            by_subject[key] = [*by_subject.get(key, ()), (cert, False)]
        return by_subject

    def for_chain(
        self,
        intermediates: Iterable[Certificate] = (),
        time: _dt.datetime | float | int | None = None,
    ) -> Verifier:
        """A verifier with this one's roots and options, and ``intermediates`` and
        ``time`` in place of its own: what ``Verifier(roots, intermediates, time, ...)``
        would be, without indexing the roots again (a TLS client checks every server's
        chain against the same roots)."""
        self._rule_keys()  # made once, for every verifier derived from this one
        new = object.__new__(Verifier)
        new.__dict__.update(self.__dict__)
        new.intermediates = tuple(_as_certificate(c) for c in intermediates)
        new.time = time
        new._by_subject = self._index(new.intermediates)
        return new

    # -- the public entry point -------------------------------------------------

    def verify(
        self,
        leaf: Certificate,
        name: str | ipaddress.IPv4Address | ipaddress.IPv6Address | Email | None = None,
    ) -> list[Certificate]:
        """The validated path, leaf first and trust anchor last; raises ValidationError."""
        now = _as_time(self.time)
        pol = self.profile
        keys = self._rule_keys()
        _check_once(leaf, keys.leaf, 0, profile.check_leaf, leaf, pol, keys.server)
        self._check_validity(leaf, now, 0)
        _check_once(leaf, keys.purpose, 0, self._check_leaf_purpose, leaf)
        if name is not None:
            if isinstance(name, str):
                name = _ip_or_name(name)
            if isinstance(name, str):
                matched = match_reference_dns(leaf.dns_identities(), name)
            else:
                sans = leaf.san.names if leaf.san is not None else ()
                matched = matches_reference(list(sans), name)
            if not matched:
                raise ValidationError(
                    Reason.NAME_MISMATCH, f"certificate is not valid for {name}", 0
                )
        _check_once(leaf, keys.key, 0, profile.check_key, leaf, pol, 0)
        if leaf.der in self._root_ders:
            # directly trusted (a pinned self-signed server certificate)
            return [leaf]
        budget = _Budget(WORK_BUDGET)
        errors: list[ValidationError] = []
        path = self._extend([leaf], now, budget, errors)
        if path is None:
            raise self._best_error(errors, leaf)
        return path

    def _rule_keys(self) -> _Keys:
        keys = self._keys
        if (
            keys is None
            or keys.profile is not self.profile
            or keys.eku is not self.extended_key_usage
            or keys.ku is not self.key_usage
        ):
            keys = self._keys = _Keys(self.profile, self.extended_key_usage, self.key_usage)
        return keys

    # -- path building ----------------------------------------------------------

    def _candidates(self, cert: Certificate) -> list[tuple[Certificate, bool]]:
        # anchors first (each _by_subject list has them first): the shortest trusted
        # path wins
        found = self._by_subject.get(cert.issuer.canonical(), [])
        aki = cert.authority_key_identifier
        key_id = aki.key_identifier if aki is not None else None
        if key_id is None:
            return found
        out = []
        for cand, anchor in found:
            ski = cand.subject_key_identifier
            if ski is not None and ski != key_id:
                continue
            out.append((cand, anchor))
        return out

    def _extend(
        self,
        path: list[Certificate],
        now: _dt.datetime,
        budget: _Budget,
        errors: list[ValidationError],
        nested: bool = False,
    ) -> list[Certificate] | None:
        child = path[-1]
        ders = [c.der for c in path]
        for cand, anchor in self._candidates(child):
            budget.spend()
            if cand.der in ders:
                continue  # a loop
            index = len(path)
            try:
                self._check_issuer(path, cand, anchor, now, index, budget, nested)
            except _BudgetExhausted:
                raise
            except ValidationError as exc:
                errors.append(exc)
                continue
            if anchor:
                full_path = [*path, cand]
                if self.profile.policy_processing and not nested and self._policy_can_fail(path):
                    from x509 import policy

                    try:  # a path that fails policy checks lets the search go on
                        policy.process(full_path, *self.policy_inputs)
                    except ValidationError as exc:
                        errors.append(exc)
                        continue
                return full_path
            full = self._extend([*path, cand], now, budget, errors, nested)
            if full is not None:
                return full
        return None

    def _policy_can_fail(self, certs: list[Certificate]) -> bool:
        """Whether RFC 5280 policy processing of a path whose certificates below the
        anchor are ``certs`` can fail.  Without initial-explicit-policy it can only
        when one of them has policyConstraints (the sole source of a zero
        explicit_policy: it starts at n + 1 and each of the n - 1 intermediates and
        the wrap-up take at most one from it) or policyMappings (which may map
        anyPolicy); policy.process then runs.  Otherwise it would only compute the
        path's policies, which verify() does not return.  (A certificatePolicies kept
        undecoded counts too, so that process() meets it exactly as before.)"""
        if self.policy_inputs[1]:
            return True
        for cert in certs:
            if not cert._policy_plain:
                return True
        return False

    def _check_issuer(
        self,
        path: list[Certificate],
        cand: Certificate,
        anchor: bool,
        now: _dt.datetime,
        index: int,
        budget: _Budget,
        nested: bool = False,
    ) -> None:
        pol = self.profile
        keys = self._rule_keys()
        work = budget.work
        child = path[-1]
        # path length: intermediates below cand, self-issued ones excepted (§6.1.4 (l))
        below = 0
        for c in path[1:]:
            if not c._self_issued:
                below += 1
        if below > self.max_depth:
            raise ValidationError(Reason.PATH_LENGTH, "path longer than max_depth", index)
        _check_once(
            cand,
            keys.anchor if anchor else keys.ca,
            index,
            profile.check_ca,
            cand,
            pol,
            index,
            anchor,
        )
        self._check_validity(cand, now, index)
        _check_once(cand, keys.key, index, profile.check_key, cand, pol, index)
        _check_once(
            cand,
            keys.ca_eku,
            index,
            profile.check_eku,
            cand,
            self.extended_key_usage,
            index,
            False,
            pol,
        )
        bc = cand.basic_constraints
        if bc is not None and bc.path_length is not None and below > bc.path_length:
            raise ValidationError(
                Reason.PATH_LENGTH, f"pathLenConstraint {bc.path_length} exceeded", index
            )
        scheme = profile.check_signature_algorithm(child, pol, index - 1)
        pair = (child.der, cand.der)
        good = work.signatures.get(pair)
        if good is None:
            work.charge(SIGNATURE_COST)
            good = child.verify_signature(cand.public_key(), pol.allow_sha1, scheme)
            work.signatures[pair] = good
        if not good:
            raise ValidationError(Reason.BAD_SIGNATURE, "signature does not verify", index - 1)
        nc = cand.name_constraints
        if nc is not None:
            self._apply_name_constraints(cand, nc, path, work)
        if self.crls:
            from x509 import crl as crl_module

            crl_module.check_revocation(
                child,
                cand,
                self.crls,
                now,
                index - 1,
                self.hard_revocation,
                None if nested else self._crl_signers(now, budget.work),
            )

    def _crl_signers(self, now: _dt.datetime, work: _Work):
        """Certificates named like a CRL's issuer that validate to a trust anchor
        (their own CRLs are checked without a further signer search).  The searches
        draw on the calling verify()'s work budget."""

        def signers(crl: CRL) -> list[Certificate]:
            out = []
            budget = _Budget(WORK_BUDGET, work)
            for cand, anchor in self._by_subject.get(crl.issuer.canonical(), []):
                try:
                    if anchor or self._extend([cand], now, budget, [], nested=True):
                        out.append(cand)
                except _BudgetExhausted:
                    raise
                except ValidationError:
                    continue
            return out

        return signers

    @staticmethod
    def _apply_name_constraints(
        ca: Certificate, nc: ext.NameConstraints, path: list[Certificate], work: _Work
    ) -> None:
        for i, cert in enumerate(path):
            # §6.1.3 (b): self-issued intermediates are exempt; the leaf never is
            if i > 0 and cert.is_self_issued:
                continue
            key = (ca.der, cert.der, i == 0)
            if key in work.constraints:
                problem = work.constraints[key]
            else:
                sans = cert.san.names if cert.san is not None else ()
                try:
                    constraints.check(
                        nc, constraints.names_of(cert.subject, sans, i == 0), work.charge
                    )
                    problem = None
                except constraints.ConstraintViolation as exc:
                    problem = str(exc)
                work.constraints[key] = problem
            if problem is not None:
                raise ValidationError(Reason.NAME_CONSTRAINTS, problem, i)

    # -- single-certificate checks ----------------------------------------------

    @staticmethod
    def _check_validity(cert: Certificate, now: _dt.datetime, index: int) -> None:
        if now < cert.not_valid_before:
            raise ValidationError(
                Reason.NOT_YET_VALID, f"not valid before {cert.not_valid_before}", index
            )
        if now > cert.not_valid_after:
            raise ValidationError(Reason.EXPIRED, f"expired at {cert.not_valid_after}", index)

    def _check_leaf_purpose(self, leaf: Certificate) -> None:
        profile.check_eku(leaf, self.extended_key_usage, 0, True, self.profile)
        if self.key_usage:
            ku = leaf.key_usage
            if ku is not None:
                missing = [u for u in self.key_usage if u not in ku]
                if missing:
                    raise ValidationError(
                        Reason.KEY_USAGE, f"keyUsage lacks {', '.join(missing)}", 0
                    )

    @staticmethod
    def _best_error(errors: list[ValidationError], leaf: Certificate) -> ValidationError:
        if not errors:
            return ValidationError(
                Reason.NO_PATH,
                f"no issuer found for {leaf.issuer.rfc4514_string()!r} among the trusted "
                "and intermediate certificates",
                None,
            )
        # the error found deepest in the search says most about why no path exists
        return max(errors, key=lambda e: e.index if e.index is not None else -1)


def verify_chain(
    chain: Sequence[Certificate],
    roots: Iterable[Certificate],
    name: str | ipaddress.IPv4Address | ipaddress.IPv6Address | Email | None = None,
    **options: object,
) -> list[Certificate]:
    """Validate ``chain`` (leaf first, then intermediates in any order) against ``roots``."""
    if not chain:
        raise ValueError("empty chain")
    verifier = Verifier(roots, chain[1:], **options)  # type: ignore[arg-type]
    return verifier.verify(chain[0], name)
