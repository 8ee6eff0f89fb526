"""Default festivals of the Chinese online shopping calendar (from /work/shared/CALENDAR.md).

These are editable defaults, loaded into the database as data: plain values only. Conventions (see
:mod:`campaigns.calendar`):

* ``Window(start, peak, end)``: ``start``/``peak`` in days relative to the festival day (its first day), ``end``
  relative to the festival's last day; negative = before. "~N weeks" in the table is read as the 7*N days ending on
  the festival day (``start = -(7*N - 1)``, ``end = 0``).
* ``LeadTimes(content_due, ship_by, signup)``: days before the festival day. A range in the table ("3-4 weeks",
  "4-6 weeks", "6-8 weeks") is read as its middle, rounded to a whole day: 25, 35 and 49 days.
"""

from campaigns.calendar import CATEGORIES, FestivalSpec, LeadTimes, Rule, Window

ALL = CATEGORIES  # "all" in the table
FOOD = "food_beverage"
FASHION = "fashion"
LIFESTYLE = "lifestyle"

MONDAY, THURSDAY = 0, 3

DEFAULT_FESTIVALS: tuple[FestivalSpec, ...] = (
    FestivalSpec(
        key="new-year",
        name_it="Capodanno",
        name_en="New Year's Day",
        name_zh="元旦",
        rule=Rule(kind="fixed", month=1, day=1),
        # "双旦" season with Christmas: from mid-December (Dec 15 = Jan 1 - 17) to Jan 1.
        window=Window(start=-17),
        lead=LeadTimes(content_due=35),  # 4-6 weeks
        categories=(FOOD, FASHION),
        notes_en="With Christmas, the 双旦 (Christmas + New Year) season from mid-December to Jan 1.",
    ),
    FestivalSpec(
        key="nianhuo",
        name_it="Festa degli acquisti per il Capodanno cinese",
        name_en="New Year goods festival",
        name_zh="年货节",
        # Starts 4 weeks before Spring Festival and lasts 3 weeks (its last day is 8 days before Spring Festival).
        rule=Rule(kind="offset", anchor="spring-festival", day_offset=-28, length_days=21),
        window=Window(start=0),  # the festival itself
        # Creative ready ~5 weeks before Spring Festival = 7 days before the nianhuo start.
        lead=LeadTimes(content_due=7),
        categories=(FOOD, LIFESTYLE),
        notes_en="Creative ready about 5 weeks before Spring Festival.",
    ),
    FestivalSpec(
        key="spring-festival",
        name_it="Capodanno cinese / Festa di Primavera",
        name_en="Spring Festival",
        name_zh="春节",
        rule=Rule(kind="lunar", month=1, day=1),
        window=Window(start=-20),  # gifting in the 3 weeks before the festival
        # Last cross-border dispatch 3-4 weeks before; content with the nianhuo creative (~5 weeks before).
        lead=LeadTimes(content_due=35, ship_by=25),
        categories=(FOOD, LIFESTYLE),
        notes_en=(
            "Logistics slow down around the holiday week: cross-border direct shipping and offline events are paused."
        ),
    ),
    FestivalSpec(
        key="valentine",
        name_it="San Valentino",
        name_en="Valentine's Day",
        name_zh="情人节",
        rule=Rule(kind="fixed", month=2, day=14),
        window=Window(start=-13),  # ~2 weeks
        lead=LeadTimes(content_due=21),
        categories=(FASHION, FOOD),
    ),
    FestivalSpec(
        key="lantern",
        name_it="Festa delle Lanterne",
        name_en="Lantern Festival",
        name_zh="元宵节",
        rule=Rule(kind="lunar", month=1, day=15),
        window=Window(start=-6),  # ~1 week
        lead=LeadTimes(content_due=21),
        categories=(FOOD,),
    ),
    FestivalSpec(
        key="goddess-day",
        name_it="Festa della donna / Festa delle dee",
        name_en="Women's / Goddess / Queen's Day",
        name_zh="三八女神节",
        rule=Rule(kind="fixed", month=3, day=8),
        window=Window(start=-12),  # from late February (Feb 24, or Feb 25 in leap years)
        # "4-6 weeks (platform sign-up)": sign-up 6 weeks before, content ready 4 weeks before.
        lead=LeadTimes(content_due=28, signup=42),
        categories=(FASHION, LIFESTYLE),
    ),
    FestivalSpec(
        key="consumer-rights",
        name_it="Giornata dei diritti dei consumatori",
        name_en="Consumer Rights Day",
        name_zh="3·15",
        rule=Rule(kind="fixed", month=3, day=15),
        window=Window(start=0),  # the day itself
        lead=LeadTimes(content_due=14),
        categories=(FOOD,),
        notes_en='Authenticity and anti-counterfeit messages (DOP/IGP, "Italian-sounding").',
    ),
    FestivalSpec(
        key="520",
        name_it="San Valentino online (520)",
        name_en="Online Valentine's",
        name_zh="520",
        rule=Rule(kind="fixed", month=5, day=20),
        window=Window(start=-6),  # ~1 week
        lead=LeadTimes(content_due=25),  # 3-4 weeks
        categories=(FASHION, LIFESTYLE, FOOD),
        notes_en='520 sounds like "I love you"; the week falls inside the 618 warm-up.',
    ),
    FestivalSpec(
        key="618",
        name_it="Festa di metà anno (618)",
        name_en="Mid-year festival",
        name_zh="618年中大促",
        rule=Rule(kind="fixed", month=6, day=18),
        # Pre-sale from mid/late May (May 13-26 in recent years): May 20 = Jun 18 - 29; runs to Jun 20.
        window=Window(start=-29, end=2),
        # Assets early May (May 4 = Jun 18 - 45); platform sign-up in April (Apr 19 = Jun 18 - 60).
        lead=LeadTimes(content_due=45, signup=60),
        categories=ALL,
    ),
    FestivalSpec(
        key="festa-repubblica",
        name_it="Festa della Repubblica",
        name_en="Italian Republic Day",
        name_zh="意大利国庆日",
        rule=Rule(kind="fixed", month=6, day=2),
        window=Window(start=-6),  # 1 week
        lead=LeadTimes(content_due=21),
        categories=ALL,
        notes_en="Italy-themed content.",
    ),
    FestivalSpec(
        key="dragon-boat",
        name_it="Festa delle barche drago",
        name_en="Dragon Boat Festival",
        name_zh="端午节",
        rule=Rule(kind="lunar", month=5, day=5),
        window=Window(start=-6),  # ~1 week
        lead=LeadTimes(content_due=25),  # 3-4 weeks
        categories=(FOOD,),
        notes_en="Overlaps the end of 618.",
    ),
    FestivalSpec(
        key="qixi",
        name_it="Qixi, San Valentino cinese",
        name_en="Qixi, Chinese Valentine's",
        name_zh="七夕",
        rule=Rule(kind="lunar", month=7, day=7),
        # From early July for luxury and fashion: Qixi falls Jul 31 - Aug 29, so a fixed 6 weeks before.
        window=Window(start=-42),
        lead=LeadTimes(content_due=49),  # 6-8 weeks
        categories=(FASHION, LIFESTYLE),
        notes_en="Luxury and fashion campaigns start in early July.",
    ),
    FestivalSpec(
        key="wine-99",
        name_it="Festa del vino e degli alcolici 9.9",
        name_en="9.9 wine & spirits festival",
        name_zh="99酒水节",
        rule=Rule(kind="fixed", month=9, day=9),
        window=Window(start=-14),  # from late August (Aug 26)
        lead=LeadTimes(content_due=25),  # assets by mid-August (Aug 15)
        categories=(FOOD,),
        notes_en="Wine and spirits; plan a winery livestream.",
    ),
    FestivalSpec(
        key="mid-autumn",
        name_it="Festa di metà autunno",
        name_en="Mid-Autumn Festival",
        name_zh="中秋节",
        rule=Rule(kind="lunar", month=8, day=15),
        window=Window(start=-20),  # ~3 weeks of gift-box season
        lead=LeadTimes(content_due=42),  # 6 weeks
        categories=(FOOD, LIFESTYLE),
        notes_en="Gift-box season.",
    ),
    FestivalSpec(
        key="golden-week",
        name_it="Settimana d'oro della Festa nazionale",
        name_en="National Day Golden Week",
        name_zh="国庆黄金周",
        rule=Rule(kind="span", month=10, day=1, length_days=7),  # Oct 1-7
        window=Window(start=0),  # the 7 days
        lead=LeadTimes(content_due=28),
        categories=(FOOD, FASHION),
        notes_en="Peak for offline events with QR codes; print the QR codes 2 weeks before.",
    ),
    FestivalSpec(
        key="double-11",
        name_it="Festa dei single (Double 11)",
        name_en="Singles' Day",
        name_zh="双十一",
        rule=Rule(kind="fixed", month=11, day=11),
        # Pre-sale from ~Oct 20-24 20:00: Oct 20 = Nov 11 - 22. Peak: the Nov 11 00:00 launch (the year's biggest
        # spike). Ends Nov 11 23:59.
        window=Window(start=-22, peak=0, end=0),
        # Assets late September (Sep 25 = Nov 11 - 47); sign-up Aug-Sep (Sep 12 = Nov 11 - 60).
        lead=LeadTimes(content_due=47, signup=60),
        categories=ALL,
        notes_en="Pre-sale opens at 20:00 and the Nov 11 00:00 launch is the year's biggest spike (China time).",
    ),
    FestivalSpec(
        key="italian-cuisine-week",
        name_it="Settimana della cucina italiana nel mondo",
        name_en="Week of Italian Cuisine in the World",
        name_zh="意大利美食周",
        # Third full Monday-Sunday week of November: every Monday up to Nov 24 starts a week lying entirely in
        # November, so the third full week starts on the third Monday (Nov 15-21).
        rule=Rule(kind="nth_weekday", month=11, weekday=MONDAY, nth=3, length_days=7),
        window=Window(start=0),  # the week
        lead=LeadTimes(content_due=28),
        categories=(FOOD,),
    ),
    FestivalSpec(
        key="black-friday",
        name_it="Black Friday",
        name_en="Black Friday",
        name_zh="黑色星期五",
        rule=Rule(kind="nth_weekday", month=11, weekday=THURSDAY, nth=4, day_offset=1),
        window=Window(start=-6),  # ~1 week
        lead=LeadTimes(content_due=21),
        categories=ALL,
        notes_en="Cross-border brands; cross-border direct shipping.",
    ),
    FestivalSpec(
        key="double-12",
        name_it="Double 12",
        name_en="Double 12",
        name_zh="双十二",
        rule=Rule(kind="fixed", month=12, day=12),
        window=Window(start=-6),  # ~1 week
        lead=LeadTimes(content_due=21),
        categories=(LIFESTYLE, FASHION),
    ),
    FestivalSpec(
        key="christmas",
        name_it="Natale",
        name_en="Christmas",
        name_zh="圣诞节",
        rule=Rule(kind="fixed", month=12, day=25),
        window=Window(start=-10),  # mid to late December (Dec 15-25)
        lead=LeadTimes(content_due=35),  # 4-6 weeks
        categories=(FOOD, FASHION),
        notes_en="Panettone and spumante season; with New Year, the 双旦 season.",
    ),
)
