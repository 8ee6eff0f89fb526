"""Festival names in Italian, English and Simplified Chinese (django-modeltranslation).

Content items keep their per-language texts as plain columns instead: an item may be written in Chinese
only, and modeltranslation's "original language" column would then have nothing to hold.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Festival


@register(Festival)
class FestivalTranslationOptions(TranslationOptions):
    fields = ("name",)
