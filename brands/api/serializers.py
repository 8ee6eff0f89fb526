"""The brand as partners see it. Used once per change to render ``BrandDocument`` bodies, and by the schema.

Texts come in the three languages as an object, or as one string when the partner asks for a language
(``?lang=`` or ``Accept-Language``); ``zh-hant`` (Hong Kong, Taiwan) is converted from ``zh-hans`` with
OpenCC. A text missing in the asked language falls back to English, then Italian.
"""

import functools

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from brands.models import Brand, ImageAsset

LANGUAGES = ("it", "en", "zh-hans")
TRANSLATED_SCHEMA = {
    "oneOf": [
        {"type": "string", "description": "The text in the language asked for (with fallbacks)."},
        {
            "type": "object",
            "description": "The text in each language; empty string where not written.",
            "properties": {lang: {"type": "string"} for lang in LANGUAGES},
            "required": list(LANGUAGES),
        },
    ]
}


@functools.cache
def _to_traditional():
    import opencc

    return opencc.OpenCC("s2t.json")


def pick(values: dict, variant: str) -> str:
    """One language out of a ``{"it", "en", "zh-hans"}`` object, with fallbacks (zh-hant converted)."""
    if variant == "zh-hant":
        return _to_traditional().convert(values["zh-hans"]) if values["zh-hans"] else values["en"] or values["it"]
    return values[variant] or values["en"] or values["it"]


@extend_schema_field(TRANSLATED_SCHEMA)
class TranslatedField(serializers.Field):
    """Serialized with all three languages; ``documents.variant`` reduces it to one language afterwards."""

    def __init__(self, field: str, **kwargs):
        self.translated_field = field
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        return {lang: getattr(obj, f"{self.translated_field}_{lang.replace('-', '_')}") or "" for lang in LANGUAGES}


class ImageSerializer(serializers.Serializer):
    original = serializers.SerializerMethodField()
    thumb = serializers.SerializerMethodField()
    square = serializers.SerializerMethodField()
    banner = serializers.SerializerMethodField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()

    def _url(self, path: str) -> str:
        url = ImageAsset.file.field.storage.url(path)
        # Local storage gives a path on our own host; S3 (brandhub.storage) an absolute, unsigned public URL.
        return url if "://" in url else settings.PUBLIC_BASE_URL.rstrip("/") + url

    def get_original(self, asset) -> str:
        return self._url(asset.file.name)

    def get_thumb(self, asset) -> str:
        return self._url(asset.renditions.get("thumb", asset.file.name))

    def get_square(self, asset) -> str:
        return self._url(asset.renditions.get("square", asset.file.name))

    def get_banner(self, asset) -> str:
        return self._url(asset.renditions.get("banner", asset.file.name))


class StoreSerializer(serializers.Serializer):
    platform = serializers.CharField()
    store_type = serializers.CharField()
    url = serializers.CharField()
    opened_on = serializers.DateField(allow_null=True)


class ProductSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = TranslatedField("name")
    price_cny = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True, coerce_to_string=True)
    category = serializers.CharField()
    image = ImageSerializer(allow_null=True)


class CertificationSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()


class BrandSerializer(serializers.ModelSerializer):
    name = TranslatedField("name")
    description = TranslatedField("description")
    story = TranslatedField("story")
    archived = serializers.SerializerMethodField()
    logo = ImageSerializer(allow_null=True)
    cover = ImageSerializer(allow_null=True)
    stores = StoreSerializer(many=True)
    products = ProductSerializer(many=True)
    certifications = CertificationSerializer(many=True)
    updated_at = serializers.DateTimeField()

    class Meta:
        model = Brand
        fields = [
            "slug",
            "name",
            "category",
            "subcategory",
            "region",
            "city",
            "founded_year",
            "website",
            "status",
            "archived",
            "sales_channel",
            "joined_on",
            "description",
            "story",
            "logo",
            "cover",
            "stores",
            "products",
            "certifications",
            "updated_at",
        ]

    def get_archived(self, brand) -> bool:
        return brand.archived_at is not None
