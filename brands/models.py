"""The registry: brands, their stores, products, certifications and contacts, who may see them, and their history.

Texts a Chinese consumer or a partner reads (brand name, description, story, product name) are translated
into it / en / zh-hans by django-modeltranslation (see ``translation.py``): each is a real column
(``name_it``, ``name_en``, ``name_zh_hans``) and ``brand.name`` reads the active language with fallbacks.
Writes go through ``brands.services``; access goes through ``visible_to`` / ``editable_by``.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .choices import (
    BrandStatus,
    Category,
    CertificationKind,
    MembershipRole,
    Platform,
    Region,
    RevisionAction,
    SalesChannel,
    StoreType,
)


def person_name(user) -> str:
    """How pages name a person: their full name, else their username; "" for an account deleted since."""
    return (user.get_full_name() or user.username) if user is not None else ""


class ImageAsset(models.Model):
    """An uploaded image that passed validation: re-encoded without metadata, with its renditions.

    Files are stored under server-generated names; ``renditions`` maps a rendition name to its storage
    path. Assets are never edited; a new upload makes a new asset, so history can point back to old ones.
    """

    file = models.FileField(_("file"), max_length=255)
    format = models.CharField(_("format"), max_length=8)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64, db_index=True)
    renditions = models.JSONField(default=dict)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self):
        return f"{self.original_name or self.file.name} ({self.width}×{self.height})"

    def rendition_path(self, name: str) -> str:
        """The stored name of a rendition (``thumb``, ``square``, ``banner``), or of the file itself."""
        return self.renditions.get(name) or self.file.name

    def rendition_url(self, name: str) -> str:
        """The file URL of a public image. A private one (``private/``: creatives) is served by its own view."""
        return self.file.storage.url(self.rendition_path(name))

    @property
    def thumb_url(self) -> str:
        return self.rendition_url("thumb")

    @property
    def square_url(self) -> str:
        return self.rendition_url("square")

    @property
    def banner_url(self) -> str:
        return self.rendition_url("banner")


class BrandQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Every brand for agency staff; only the brands a brand user is a member of; nothing for anyone else."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_agency_staff:
            return self
        return self.filter(pk__in=BrandMembership.objects.filter(user=user).values("brand_id"))

    def editable_by(self, user):
        """The brands a person may change directly: every brand for agency staff, none for brand users (a brand
        *editor* membership proposes changes for the agency to review: ``proposable_by``)."""
        if not user.is_authenticated or not user.is_active or not user.is_agency_staff:
            return self.none()
        return self

    def proposable_by(self, user):
        """The brands a brand user may propose changes to: where their membership says editor. Staff edit
        directly, so they propose nothing."""
        if not user.is_authenticated or not user.is_active or user.is_agency_staff:
            return self.none()
        return self.filter(
            pk__in=BrandMembership.objects.filter(user=user, role=MembershipRole.EDITOR).values("brand_id")
        )

    def active(self):
        return self.filter(archived_at__isnull=True)

    def archived(self):
        return self.filter(archived_at__isnull=False)


class Brand(models.Model):
    """An Italian brand promoted by the hub."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, db_index=True)
    subcategory = models.CharField(_("sub-category"), max_length=60, blank=True)
    region = models.CharField(_("region"), max_length=30, choices=Region.choices, blank=True, db_index=True)
    city = models.CharField(_("city"), max_length=80, blank=True)
    founded_year = models.PositiveSmallIntegerField(
        _("founding year"), null=True, blank=True, validators=[MinValueValidator(1000), MaxValueValidator(2100)]
    )
    description = models.TextField(_("description"), blank=True)
    story = models.TextField(_("story"), blank=True)
    website = models.URLField(_("website"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=BrandStatus.choices, default=BrandStatus.ONBOARDING, db_index=True
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    sales_channel = models.CharField(
        _("sales channel"), max_length=24, choices=SalesChannel.choices, default=SalesChannel.TMALL_GLOBAL_STORE
    )
    logo = models.ForeignKey(
        ImageAsset, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("logo")
    )
    cover = models.ForeignKey(
        ImageAsset, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("cover image")
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    # Derived, kept current by the services: the list page filters and sorts on them without joins.
    completeness = models.PositiveSmallIntegerField(_("completeness"), default=0, db_index=True)
    completeness_missing = models.JSONField(default=list, blank=True)
    search_text = models.TextField(blank=True, editable=False)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    objects = BrandQuerySet.as_manager()

    class Meta:
        verbose_name = _("brand")
        verbose_name_plural = _("brands")
        ordering = ["name_it"]

    def __str__(self):
        return self.name_it or self.slug

    def get_absolute_url(self):
        return reverse("brands:brand_detail", kwargs={"slug": self.slug})

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class BrandChildQuerySet(models.QuerySet):
    """Stores, products, certifications and contacts are visible exactly when their brand is."""

    def visible_to(self, user):
        return self.filter(brand__in=Brand.objects.visible_to(user))

    def editable_by(self, user):
        return self.filter(brand__in=Brand.objects.editable_by(user))


class Store(models.Model):
    """One brand's presence on one platform."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="stores", verbose_name=_("brand"))
    platform = models.CharField(_("platform"), max_length=16, choices=Platform.choices, db_index=True)
    store_type = models.CharField(_("store type"), max_length=16, choices=StoreType.choices, default=StoreType.OFFICIAL)
    url = models.URLField(_("URL"), blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)

    objects = BrandChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("store")
        verbose_name_plural = _("stores")
        ordering = ["platform"]
        constraints = [
            models.UniqueConstraint(
                fields=["brand", "platform"],
                name="store_one_per_platform",
                violation_error_message=_("This brand already has a store on this platform."),
            )
        ]

    def __str__(self):
        return f"{self.brand} · {self.get_platform_display()}"


class Product(models.Model):
    """A SKU of a brand, as featured in promotions (2-3 per brand in Hema's "We are together")."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="products", verbose_name=_("brand"))
    name = models.CharField(_("name"), max_length=160)
    code = models.CharField(_("SKU code"), max_length=40)
    price_cny = models.DecimalField(
        _("price (CNY)"), max_digits=10, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    category = models.CharField(_("product category"), max_length=60, blank=True)
    image = models.ForeignKey(
        ImageAsset, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("image")
    )

    objects = BrandChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["brand", "code"],
                name="product_code_unique_per_brand",
                violation_error_message=_("This brand already has a product with this SKU code."),
            )
        ]

    def __str__(self):
        return f"{self.code} {self.name_it}"


class Certification(models.Model):
    """Proof of authenticity (DOP, DOCG, organic, Slow Food ...).

    It is what sets a brand apart from "Italian-sounding" goods on the platforms.
    """

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="certifications", verbose_name=_("brand"))
    kind = models.CharField(_("kind"), max_length=16, choices=CertificationKind.choices)
    label = models.CharField(_("label"), max_length=120, blank=True, help_text=_("e.g. Chianti Classico DOCG"))

    objects = BrandChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["kind", "label"]

    def __str__(self):
        return self.label or self.get_kind_display()


class Contact(models.Model):
    """A person at the brand the agency talks to."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("brand"))
    name = models.CharField(_("name"), max_length=120)
    role = models.CharField(_("role"), max_length=80, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    wechat = models.CharField(_("WeChat ID"), max_length=60, blank=True)

    objects = BrandChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["name"]

    def __str__(self):
        return self.name


class BrandMembership(models.Model):
    """A brand user's access to one brand."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="brand_memberships", verbose_name=_("user")
    )
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("brand"))
    role = models.CharField(_("role"), max_length=8, choices=MembershipRole.choices, default=MembershipRole.VIEWER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("brand membership")
        verbose_name_plural = _("brand memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "brand"],
                name="membership_unique_user_brand",
                violation_error_message=_("This user is already a member of this brand."),
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.brand} ({self.role})"


class CompletenessRule(models.Model):
    """A field a brand profile must fill, for every brand or only for brands with a store on one platform.

    ``field`` is a key of ``brands.completeness.CHECKS`` (``description_zh_hans``, ``logo``, ``products`` ...).
    """

    field = models.CharField(_("required field"), max_length=40)
    platform = models.CharField(
        _("only for brands on"), max_length=16, choices=Platform.choices, blank=True, help_text=_("Empty: every brand")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("completeness rule")
        verbose_name_plural = _("completeness rules")
        ordering = ["platform", "field"]
        constraints = [
            models.UniqueConstraint(
                fields=["field", "platform"],
                name="completeness_rule_unique",
                violation_error_message=_("This rule exists already."),
            )
        ]

    def __str__(self):
        return f"{self.field} ({self.platform or 'all'})"


class BrandRevision(models.Model):
    """One saved state of a brand with its stores, products, certifications and contacts.

    ``snapshot`` is the whole profile after the change, in the same shape the services take as input, so
    restoring a revision is an ordinary update. ``changes`` lists what differs from the previous revision.
    """

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    action = models.CharField(max_length=12, choices=RevisionAction.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    comment = models.CharField(max_length=200, blank=True)
    snapshot = models.JSONField()
    changes = models.JSONField(default=list)
    # Set when the change is a brand user's proposal that staff accepted (``user`` is then the reviewer).
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("brand revision")
        verbose_name_plural = _("brand revisions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "number"], name="brand_revision_number_unique"),
        ]

    def __str__(self):
        return f"{self.brand} #{self.number}"

    @property
    def proposer_name(self) -> str:
        return person_name(self.proposed_by)

    @property
    def user_name(self) -> str:
        return person_name(self.user)


class BrandChangeProposalQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see every proposal; a brand user those of their own brands (any role: colleagues see what is
        pending, so two editors do not propose the same thing twice); nobody else any."""
        return self.filter(brand__in=Brand.objects.visible_to(user))

    def withdrawable_by(self, user):
        """A proposal is withdrawn only by the brand user who made it, while it waits for review."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(proposed_by=user, status=BrandChangeProposal.Status.PENDING)

    def pending(self):
        return self.filter(status=BrandChangeProposal.Status.PENDING)


class BrandChangeProposal(models.Model):
    """Changes a brand user proposes to their brand's profile, waiting for the agency to accept or reject them.

    ``document`` is the whole profile as proposed and ``base`` the brand as it was when the proposal was last
    saved, both in the shape of ``BrandRevision.snapshot`` (the input of the services). What the proposer
    changed is what differs between the two, so accepting applies only that on top of the brand as it is by
    then: a change staff made meanwhile to another field is kept, and one made to the same field is shown to the
    reviewer as a conflict. ``version`` grows with every save: a review page posts the version it showed, and an
    accept or reject of a proposal changed since is refused. New images of a proposal are stored privately until
    it is accepted (``brands.proposals``).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("brand"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="brand_proposals",
        verbose_name=_("proposed by"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    document = models.JSONField(_("proposed profile"))
    base = models.JSONField(_("profile it was based on"))
    base_revision = models.PositiveIntegerField(_("based on revision"))
    version = models.PositiveIntegerField(default=1)
    review_comment = models.TextField(_("review comment"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    revision_number = models.PositiveIntegerField(_("accepted as revision"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    objects = BrandChangeProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("brand change proposal")
        verbose_name_plural = _("brand change proposals")
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["status", "updated_at"], name="proposal_status_updated")]
        constraints = [
            models.UniqueConstraint(
                fields=["brand", "proposed_by"],
                condition=models.Q(status="pending"),
                name="proposal_one_pending_per_user_and_brand",
                violation_error_message=_("You already have a proposal waiting for review for this brand."),
            )
        ]

    def __str__(self):
        return f"{self.brand} · {self.get_status_display()} #{self.pk}"

    def get_absolute_url(self):
        return reverse("brands:brandchangeproposal_detail", kwargs={"slug": self.brand.slug, "pk": self.pk})

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def proposer_name(self) -> str:
        return person_name(self.proposed_by)

    @property
    def reviewer_name(self) -> str:
        return person_name(self.reviewed_by)


class ImportBatch(models.Model):
    """An uploaded brand file waiting for confirmation: its rows parsed and validated, nothing written yet."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Waiting for confirmation")
        APPLIED = "applied", _("Applied")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    file_name = models.CharField(max_length=255)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    rows = models.JSONField(default=list)
    errors = models.JSONField(default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("brand import")
        verbose_name_plural = _("brand imports")

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def is_valid(self) -> bool:
        return not self.errors and bool(self.rows)


class BrandDocument(models.Model):
    """The brand as API partners receive it, rendered once per change instead of once per request.

    One JSON text per language variant (all three languages, or one of it / en / zh-hans / zh-hant);
    ``etag`` changes whenever any variant does. Rebuilt by the services in the same transaction as the
    change it reflects, so it is never stale; ``version`` says which were rendered by an older serializer
    or for another ``PUBLIC_BASE_URL``.
    """

    brand = models.OneToOneField(Brand, primary_key=True, on_delete=models.CASCADE, related_name="document")
    etag = models.CharField(max_length=40)
    updated_at = models.DateTimeField(db_index=True)
    body_all = models.TextField()
    body_it = models.TextField()
    body_en = models.TextField()
    body_zh_hans = models.TextField()
    body_zh_hant = models.TextField()
    # What the bodies were rendered with (serializer version and PUBLIC_BASE_URL): ``rebuild_api_documents``
    # rebuilds the documents whose version is not the current one.
    version = models.CharField(max_length=40, default="")

    VARIANTS = ("all", "it", "en", "zh-hans", "zh-hant")

    class Meta:
        verbose_name = _("brand API document")
        verbose_name_plural = _("brand API documents")

    def __str__(self):
        return f"{self.brand_id} {self.etag}"

    @staticmethod
    def column(variant: str) -> str:
        return "body_" + variant.replace("-", "_")
