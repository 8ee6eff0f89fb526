"""Fixed vocabularies of the registry. Labels are translated; values are stable API and import keys."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    LIFESTYLE = "lifestyle", _("Lifestyle")
    FOOD_BEVERAGE = "food_beverage", _("Food & beverage")
    FASHION = "fashion", _("Fashion")


class BrandStatus(models.TextChoices):
    ONBOARDING = "onboarding", _("Onboarding")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    LEFT = "left", _("Left")


class SalesChannel(models.TextChoices):
    TMALL_GLOBAL_STORE = "tmall_global_store", _("Tmall Global store")
    CROSS_BORDER_DIRECT = "cross_border_direct", _("Cross-border direct")
    BOTH = "both", _("Both")


class Region(models.TextChoices):
    ABRUZZO = "abruzzo", "Abruzzo"
    BASILICATA = "basilicata", "Basilicata"
    CALABRIA = "calabria", "Calabria"
    CAMPANIA = "campania", "Campania"
    EMILIA_ROMAGNA = "emilia_romagna", "Emilia-Romagna"
    FRIULI_VENEZIA_GIULIA = "friuli_venezia_giulia", "Friuli-Venezia Giulia"
    LAZIO = "lazio", "Lazio"
    LIGURIA = "liguria", "Liguria"
    LOMBARDIA = "lombardia", "Lombardia"
    MARCHE = "marche", "Marche"
    MOLISE = "molise", "Molise"
    PIEMONTE = "piemonte", "Piemonte"
    PUGLIA = "puglia", "Puglia"
    SARDEGNA = "sardegna", "Sardegna"
    SICILIA = "sicilia", "Sicilia"
    TOSCANA = "toscana", "Toscana"
    TRENTINO_ALTO_ADIGE = "trentino_alto_adige", "Trentino-Alto Adige"
    UMBRIA = "umbria", "Umbria"
    VALLE_D_AOSTA = "valle_d_aosta", "Valle d'Aosta"
    VENETO = "veneto", "Veneto"


class Platform(models.TextChoices):
    TMALL_GLOBAL = "tmall_global", _("Tmall Global")
    TMALL = "tmall", _("Tmall")
    TAOBAO = "taobao", _("Taobao")
    PINDUODUO = "pinduoduo", _("Pinduoduo")
    HEMA = "hema", _("Hema")
    JD = "jd", _("JD.com")
    RED = "red", _("RED (Xiaohongshu)")
    DOUYIN = "douyin", _("Douyin")
    WECHAT = "wechat", _("WeChat mini-shop")


class StoreType(models.TextChoices):
    FLAGSHIP = "flagship", _("Flagship store")
    OFFICIAL = "official", _("Official store")
    DISTRIBUTOR = "distributor", _("Authorised distributor")
    PAVILION = "pavilion", _("Italian pavilion")
    MINI_PROGRAM = "mini_program", _("Mini program")


class CertificationKind(models.TextChoices):
    DOP = "dop", "DOP"
    IGP = "igp", "IGP"
    DOC = "doc", "DOC"
    DOCG = "docg", "DOCG"
    IGT = "igt", "IGT"
    STG = "stg", "STG"
    ORGANIC = "organic", _("Organic (EU)")
    SLOW_FOOD = "slow_food", _("Slow Food Presidium")
    MADE_IN_ITALY = "made_in_italy", _("100% Made in Italy")
    OTHER = "other", _("Other")


class MembershipRole(models.TextChoices):
    VIEWER = "viewer", _("Viewer")
    EDITOR = "editor", _("Editor")


class RevisionAction(models.TextChoices):
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Updated")
    ARCHIVED = "archived", _("Archived")
    UNARCHIVED = "unarchived", _("Restored from archive")
    REVERTED = "reverted", _("Reverted")
    IMPORTED = "imported", _("Imported")
