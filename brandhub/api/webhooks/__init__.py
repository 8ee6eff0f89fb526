"""Webhooks: the outbox's events delivered to partners' URLs, signed, retried, logged (an edge of ``brandhub``).

- ``addresses``: which URLs may be called (http(s) to public addresses only, in production) and a connection to
  the very address that was checked;
- ``signing``: the ``X-BrandHub-Signature`` header;
- ``services``: endpoints (register, change, disable), the relay (outbox → deliveries), one delivery attempt,
  redelivery, pruning;
- ``tasks``: the thin Celery tasks; ``views``, ``forms``, ``urls``: the managers' console; ``api``: the
  ``webhooks:manage`` endpoints.
"""
