"""TLS wire format: code points (one module per IANA registry), a reader and a writer."""
