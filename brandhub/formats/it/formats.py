"""Italian dates as Italian writes them: 1 dicembre 2026, dicembre 2026, not Django's "01 Dicembre 2026".

Django's Italian catalogue capitalises month names. These formats use ``E`` (the "alt. month" names) instead of
``F``, and our own catalogue (``locale/it``) gives those in lower case; the names are listed below so that
``makemessages`` keeps them in the catalogue. The weekday is left out of the date and time (Django's Italian
weekdays are capitalised too). The rest is Django's (FORMAT_MODULE_PATH overrides only what is named here).
"""

from django.utils.translation import pgettext_lazy

DATE_FORMAT = "j E Y"  # 1 dicembre 2026
DATETIME_FORMAT = "j E Y, H:i"  # 1 dicembre 2026, 14:30
YEAR_MONTH_FORMAT = "E Y"  # dicembre 2026
MONTH_DAY_FORMAT = "j E"  # 1 dicembre

LOWER_CASE_MONTHS = (
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
)
