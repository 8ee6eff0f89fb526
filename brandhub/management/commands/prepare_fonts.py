"""``manage.py prepare_fonts``: make the PDFs' base font now (some seconds, once per machine) rather than during the
first report or QR sheet someone asks for. ``make run`` and the container's start run it; it does nothing when the
font is there already."""

import time

from django.core.management.base import BaseCommand

from brandhub.pdf import base_font


class Command(BaseCommand):
    help = "Make the PDF base font (Noto Sans SC for Latin and GB 2312) if it is not on disk yet."

    def handle(self, *args, **options):
        started = time.perf_counter()
        paths, characters = base_font()
        seconds = time.perf_counter() - started
        if options["verbosity"]:
            self.stdout.write(
                f"PDF base font ready ({len(characters):,} characters, {seconds:.1f} s): {paths[''].parent}"
            )
