"""Helpers shared by tests."""


def stored_files(root) -> list:
    """All files below a media root."""
    return sorted(p for p in root.rglob("*") if p.is_file())


def count_queries(client, url: str) -> int:
    """How many SQL queries one GET of ``url`` runs (it must answer 200)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)
