"""Rebuild the stored API documents of brands after the serializer or ``PUBLIC_BASE_URL`` changed.

Only documents that are missing or carry another version are rebuilt (``--all``: every one), a chunk per
transaction, so the API keeps answering meanwhile. Run it after a deploy that raised
``brands.api.documents.DOCUMENT_VERSION`` or changed ``PUBLIC_BASE_URL``.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from brands.api.documents import brand_documents_rebuild, brands_with_old_documents, document_version
from brands.models import Brand

CHUNK = 500


class Command(BaseCommand):
    help = "Rebuild the brands' API documents that are missing or old (--all: every one)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="rebuild every document, old or not")

    def handle(self, *args, **options):
        brands = Brand.objects.all() if options["all"] else brands_with_old_documents()
        ids = list(brands.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), CHUNK):
            with transaction.atomic():
                brand_documents_rebuild(ids[start : start + CHUNK], chunk_size=CHUNK)
        self.stdout.write(f"{len(ids)} document(s) rebuilt (version {document_version()}).")
