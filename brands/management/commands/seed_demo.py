"""Load the demo: 103 fictional Italian brands, the demo users and a year of campaigns around today.

Running it again changes nothing. The campaigns come from ``campaigns.demo`` (imported here, in the command,
so the ``brands`` models still know nothing of campaigns).
"""

import contextlib

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction

from brands.choices import MembershipRole
from brands.demo import demo_brand_specs, demo_logo_png
from brands.images import image_ingest
from brands.models import Brand
from brands.services import brand_create, brand_member_add, completeness_rules

DEFAULT_DEMO_PASSWORD = "helloita-demo-2026"
DEMO_USERS = (
    ("manager", "Giulia", "Ferrari", "manager"),
    ("editor", "Li", "Wei", "editor"),
    ("brand", "Marco", "Bianchi", "brand"),
)


class Command(BaseCommand):
    help = (
        "Create the demo brands, the users manager, editor and brand (password: DEMO_PASSWORD), the demo "
        "campaigns of the year around today, their KOLs and livestreams, and their results."
    )

    def handle(self, *args, **options):
        password = settings.DEMO_PASSWORD or DEFAULT_DEMO_PASSWORD
        users = {
            username: self._user(username, first, last, role, password) for username, first, last, role in DEMO_USERS
        }
        created = self._brands()
        brand = Brand.objects.order_by("pk").first()
        if brand is not None and not users["brand"].brand_memberships.exists():
            brand_member_add(brand=brand, user=users["brand"], role=MembershipRole.VIEWER)
        membership = users["brand"].brand_memberships.select_related("brand").first()
        brand = membership.brand if membership else None
        self.stdout.write(f"Demo brands: {created} created, {Brand.objects.count()} in the registry.")
        if apps.is_installed("campaigns"):
            self._campaigns(users, brand)
            self._kols(users)
        if apps.is_installed("campaigns.tracking"):
            self._events(users, brand)
        if apps.is_installed("campaigns.results"):
            self._results(brand)
            self._livestream_results(users)
        self.stdout.write("Demo logins (user / password):")
        for username, *_rest in DEMO_USERS:
            self.stdout.write(f"  {username:8} / {password}")
        if brand is not None:
            self.stdout.write(f"  'brand' sees only: {brand}")

    def _campaigns(self, users, demo_brand) -> None:
        from campaigns.demo import load_demo_campaigns

        quiet = contextlib.nullcontext()
        if apps.is_installed("campaigns.notifications"):
            from campaigns.notifications.services import notifications_unmailed

            quiet = notifications_unmailed()  # the year's approvals and go-lives: on the pages, not in inboxes
        with quiet:
            result = load_demo_campaigns(manager=users["manager"], editor=users["editor"], demo_brand=demo_brand)
        self.stdout.write(
            f"Demo campaigns: {result.created} created ({result.items} content items, {result.creatives} creatives), "
            f"{result.total} in the calendar: {result.past} past, {result.upcoming} current or upcoming."
        )

    def _kols(self, users) -> None:
        from campaigns.demo.kols import load_demo_kols

        result = load_demo_kols(manager=users["manager"])
        self.stdout.write(
            f"Demo KOLs: {result.total_kols} in the registry with {result.total_counts} follower counts; "
            f"{result.bookings} bookings and {result.sessions} livestream sessions created."
        )

    def _events(self, users, demo_brand) -> None:
        from campaigns.tracking.demo import load_demo_events

        result = load_demo_events(manager=users["manager"], demo_brand=demo_brand)
        self.stdout.write(f"Demo events: {result.created} created, {result.links} QR codes, {result.scans} scans.")

    def _results(self, demo_brand) -> None:
        from campaigns.results.demo import load_demo_results

        result = load_demo_results(demo_brand=demo_brand)
        self.stdout.write(f"Demo results: {result.facts} facts written, {result.variants} banner variants added.")

    def _livestream_results(self, users) -> None:
        from campaigns.results.demo_livestreams import load_demo_livestream_results

        result = load_demo_livestream_results(manager=users["manager"])
        self.stdout.write(f"Demo livestream results: {result.sessions} sessions, {result.sales} sales rows.")

    def _user(self, username, first, last, role, password):
        user, was_created = get_user_model().objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "role": role, "email": f"{username}@helloita.example"},
        )
        if was_created:
            user.set_password(password)
            user.save(update_fields=["password"])
        return user

    def _brands(self) -> int:
        existing = set(Brand.objects.values_list("slug", flat=True))
        rules = completeness_rules()
        created = 0
        for spec in demo_brand_specs():
            if spec["fields"]["slug"] in existing:
                continue
            logo = None
            if spec.get("make_logo"):
                logo = image_ingest(ContentFile(demo_logo_png(spec), name=f"{spec['fields']['slug']}.png"))
            with transaction.atomic():
                brand_create(
                    user=None,
                    fields=spec["fields"],
                    stores=spec["stores"],
                    products=spec["products"],
                    certifications=spec["certifications"],
                    contacts=spec["contacts"],
                    logo=logo,
                    rules=rules,
                )
            created += 1
        return created
