"""Serve: the SPARQL protocol, a local read-only server and a client for remote endpoints."""
