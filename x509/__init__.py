"""x509: certificates, keys, CSRs, CRLs, a builder, and RFC 5280 / web-PKI path validation."""
