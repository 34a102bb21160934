"""Effectful shells around the pure engine: blocking sockets (asyncio and ssl-compat elsewhere)."""
