"""asn1: ASN.1 combinators — one grammar gives a strict DER decoder, a BER decoder, a DER encoder and a random generator."""
