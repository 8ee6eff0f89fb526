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
    """Italian regions: English labels, Italian and Chinese names in the catalogues (Toscana, 托斯卡纳)."""

    ABRUZZO = "abruzzo", _("Abruzzo")
    BASILICATA = "basilicata", _("Basilicata")
    CALABRIA = "calabria", _("Calabria")
    CAMPANIA = "campania", _("Campania")
    EMILIA_ROMAGNA = "emilia_romagna", _("Emilia-Romagna")
    FRIULI_VENEZIA_GIULIA = "friuli_venezia_giulia", _("Friuli Venezia Giulia")
    LAZIO = "lazio", _("Lazio")
    LIGURIA = "liguria", _("Liguria")
    LOMBARDIA = "lombardia", _("Lombardy")
    MARCHE = "marche", _("Marche")
    MOLISE = "molise", _("Molise")
    PIEMONTE = "piemonte", _("Piedmont")
    PUGLIA = "puglia", _("Apulia")
    SARDEGNA = "sardegna", _("Sardinia")
    SICILIA = "sicilia", _("Sicily")
    TOSCANA = "toscana", _("Tuscany")
    TRENTINO_ALTO_ADIGE = "trentino_alto_adige", _("Trentino-South Tyrol")
    UMBRIA = "umbria", _("Umbria")
    VALLE_D_AOSTA = "valle_d_aosta", _("Aosta Valley")
    VENETO = "veneto", _("Veneto")


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
