"""Names (RFC 5280 4.1.2.4, Appendix A) and GeneralName (4.2.1.6).

Shapes:

- ``Name``: list of RDNs; an RDN is a list of ``{"type": oid, "value": v}``.  For the
  attribute types in ``STRING_ATTRIBUTES`` ``v`` is ``(string type, text)`` with the
  string type kept (``"printableString"``, ``"utf8String"``, ``"teletexString"``,
  ``"bmpString"``, ``"universalString"``, ``"ia5String"``, ``"visibleString"``,
  ``"numericString"``), so a name re-encodes byte for byte; other types give
  ``asn1.Any`` (the exact element).
- ``GeneralName``: ``(alternative, value)``: ``("dNSName", str)``, ``("rfc822Name", str)``,
  ``("uniformResourceIdentifier", str)``, ``("iPAddress", bytes)`` (4 or 16 bytes, or
  8 / 32 with a mask in name constraints), ``("registeredID", oid)``,
  ``("directoryName", Name)``, ``("otherName", {"type-id": oid, "value": Any})``,
  ``("x400Address", [Any, ...])`` and ``("ediPartyName", [Any, ...])`` (kept raw:
  the contents elements of the implicitly tagged SEQUENCE).
"""

from __future__ import annotations

import asn1
from asn1 import field

from . import oids

AnyString = asn1.choice(
    ("teletexString", asn1.teletex_string),
    ("printableString", asn1.printable_string),
    ("universalString", asn1.universal_string),
    ("utf8String", asn1.utf8_string),
    ("bmpString", asn1.bmp_string),
    ("ia5String", asn1.ia5_string),
    ("visibleString", asn1.visible_string),
    ("numericString", asn1.numeric_string),
    name="DirectoryString",
)
DirectoryString = AnyString

STRING_ATTRIBUTES = (
    oids.COMMON_NAME,
    oids.SURNAME,
    oids.SERIAL_NUMBER,
    oids.COUNTRY_NAME,
    oids.LOCALITY_NAME,
    oids.STATE_OR_PROVINCE_NAME,
    oids.STREET_ADDRESS,
    oids.ORGANIZATION_NAME,
    oids.ORGANIZATIONAL_UNIT_NAME,
    oids.TITLE,
    oids.BUSINESS_CATEGORY,
    oids.POSTAL_CODE,
    oids.NAME,
    oids.GIVEN_NAME,
    oids.INITIALS,
    oids.GENERATION_QUALIFIER,
    oids.DN_QUALIFIER,
    oids.PSEUDONYM,
    oids.ORGANIZATION_IDENTIFIER,
    oids.USER_ID,
    oids.DOMAIN_COMPONENT,
    oids.EMAIL_ADDRESS,
    oids.UNSTRUCTURED_NAME,
    oids.JURISDICTION_LOCALITY_NAME,
    oids.JURISDICTION_STATE_OR_PROVINCE_NAME,
    oids.JURISDICTION_COUNTRY_NAME,
)

AttributeTypeAndValue = asn1.sequence(
    field("type", asn1.oid),
    field("value", asn1.any_defined_by("type", dict.fromkeys(STRING_ATTRIBUTES, AnyString))),
    name="AttributeTypeAndValue",
)
RelativeDistinguishedName = asn1.set_of(AttributeTypeAndValue, min=1, name="RDN")
Name = asn1.sequence_of(RelativeDistinguishedName, name="Name")

OtherName = asn1.sequence(
    field("type-id", asn1.oid), field("value", asn1.explicit(0, asn1.ANY)), name="OtherName"
)
GeneralName = asn1.choice(
    ("otherName", asn1.implicit(0, OtherName)),
    ("rfc822Name", asn1.implicit(1, asn1.ia5_string)),
    ("dNSName", asn1.implicit(2, asn1.ia5_string)),
    ("x400Address", asn1.implicit(3, asn1.sequence_of(asn1.ANY))),
    # Name is a CHOICE in the ASN.1 module, so the tag is EXPLICIT (X.680 31.2.7)
    ("directoryName", asn1.explicit(4, Name)),
    ("ediPartyName", asn1.implicit(5, asn1.sequence_of(asn1.ANY))),
    ("uniformResourceIdentifier", asn1.implicit(6, asn1.ia5_string)),
    ("iPAddress", asn1.implicit(7, asn1.octet_string)),
    ("registeredID", asn1.implicit(8, asn1.oid)),
    name="GeneralName",
)
GeneralNames = asn1.sequence_of(GeneralName, min=1, name="GeneralNames")
