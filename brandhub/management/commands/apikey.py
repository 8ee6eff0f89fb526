"""Manage partner API keys from the shell: ``apikey create --name Tmall --scopes brands:read,calendar:read``.

``create`` prints the key on its last line (the only time it is shown).
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from brandhub.models import ApiKey
from brandhub.services import apikey_create, apikey_revoke
from brands.models import Brand


class Command(BaseCommand):
    help = "Create, list or revoke partner API keys."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a key and print it (once).")
        create.add_argument("--name", required=True)
        create.add_argument("--scopes", required=True, help=f"Comma-separated: {', '.join(ApiKey.Scope.values)}")
        create.add_argument("--brands", default="", help="Comma-separated brand slugs the key is limited to.")
        create.add_argument("--expires-days", type=int, default=None)
        sub.add_parser("list", help="List keys (prefixes only).")
        revoke = sub.add_parser("revoke", help="Revoke a key by its prefix.")
        revoke.add_argument("prefix")

    def handle(self, *args, action, **options):
        return getattr(self, f"_{action}")(**options)

    def _create(self, *, name, scopes, brands, expires_days, **_options):
        slugs = [s.strip() for s in brands.split(",") if s.strip()]
        found = list(Brand.objects.filter(slug__in=slugs))
        missing = sorted(set(slugs) - {b.slug for b in found})
        if missing:
            raise CommandError(f"Unknown brands: {', '.join(missing)}")
        expires = timezone.now() + datetime.timedelta(days=expires_days) if expires_days else None
        try:
            api_key, key = apikey_create(
                actor=None,
                name=name,
                scopes=[s.strip() for s in scopes.split(",") if s.strip()],
                brands=found,
                expires_at=expires,
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(f"Created key {api_key.prefix} for {api_key.name} ({', '.join(api_key.scopes)}).")
        self.stdout.write("Store it now: it is not shown again.")
        self.stdout.write(key)

    def _list(self, **_options):
        for api_key in ApiKey.objects.order_by("created_at"):
            state = "revoked" if api_key.revoked_at else "expired" if not api_key.is_usable else "active"
            used = api_key.last_used_at.isoformat() if api_key.last_used_at else "never"
            self.stdout.write(f"{api_key.prefix}  {state:8} {api_key.name}  [{', '.join(api_key.scopes)}]  used {used}")

    def _revoke(self, *, prefix, **_options):
        api_key = ApiKey.objects.filter(prefix=prefix).first()
        if api_key is None:
            raise CommandError(f"No key with prefix {prefix}.")
        apikey_revoke(actor=None, api_key=api_key)
        self.stdout.write(f"Revoked {api_key}.")
