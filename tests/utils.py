"""Helpers shared by tests."""


def stored_files(root) -> list:
    """All files below a media root."""
    return sorted(p for p in root.rglob("*") if p.is_file())
