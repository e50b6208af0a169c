"""The Marketo REST client: authentication, pacing, retries and typed errors."""

from framework.client.marketo import ClientStats, MarketoClient, Pacing

__all__ = ["ClientStats", "MarketoClient", "Pacing"]
