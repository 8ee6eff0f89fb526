"""Fields kept in Italian, English and Simplified Chinese (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Brand, Product


@register(Brand)
class BrandTranslationOptions(TranslationOptions):
    fields = ("name", "description", "story")
    required_languages = ("it",)


@register(Product)
class ProductTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("it",)
