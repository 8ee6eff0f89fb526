"""Plain data of the demo campaigns: one campaign per festival of the shopping calendar, with its content items.

Nothing here has a date: an item is placed ``day`` days from its festival's day (its first day) at a China-time
hour, so the same specs fill any year. Each item says what it becomes when it goes out after "now"
(``upcoming``: draft, in_review, approved, scheduled or cancelled) and when its hour has passed (``past``:
published, failed, cancelled, or a draft nobody finished); the loader walks it there through the workflow.

Brands are positions in the campaign's brand list: with ``demo=True`` position 0 is the demo brand (the brand
user's), the others are registry brands picked by category and sub-category. Every company, person and KOL is
invented.
"""

from dataclasses import dataclass

ALL_LANGUAGES = ("zh", "en", "it")

# Invented KOLs: key -> (Chinese name as on the platform, name in Latin letters).
KOLS = {
    "lily": ("意式生活家Lily", "Lily"),
    "coco": ("珠宝控Coco", "Coco"),
    "vivi": ("米兰买手Vivi", "Vivi"),
    "laochen": ("酒评人老陈", "Lao Chen"),
    "xiaolu": ("吃货小鹿", "Xiaolu"),
    "amu": ("家居博主阿木", "Amu"),
}

# Sizes of the generated creatives that fit the channel (CreativeSize defaults); other sizes are given per item.
# Items on these channels get a creative once their material is ready: drafts and cancelled items have none.
CREATIVE_SIZES = {
    "banner": (1920, 540),
    "tmall_article": (750, 422),
    "wechat_article": (900, 383),
    "red_post": (1242, 1660),
}
MOBILE_BANNER = (750, 390)
# What the creative of each channel shows, unless the campaign or the item says otherwise.
CHANNEL_SUBJECTS = {"red_post": "people", "wechat_article": "landscape", "tmall_article": "product"}

# Title and text per channel, in Chinese, English and Italian. Placeholders: theme, offer, brand, product (each
# with _zh, _en, _it) and kol_zh / kol_en.
COPY = {
    "banner": (
        ("{theme_zh}｜{brand_zh}", "{theme_en} | {brand_en}", "{theme_it} | {brand_it}"),
        ("主视觉：{brand_zh}{product_zh}。{offer_zh}。",
         "Key visual: {product_en} by {brand_en}. Offer: {offer_en}.",
         "Visual principale: {product_it} di {brand_it}. Offerta: {offer_it}."),
    ),
    "tmall_article": (
        ("走进{brand_zh}：{product_zh}背后的意大利工艺",
         "Inside {brand_en}: the Italian craft behind the {product_en}",
         "Dentro {brand_it}: il mestiere italiano dietro {product_it}"),
        ("天猫品牌号长文：从产地到工坊，讲述{brand_zh}的家族故事与{product_zh}的制作过程。{theme_zh}期间，{offer_zh}。",
         "Tmall Brand Hub story: from the land to the workshop, the family behind {brand_en} and how the "
         "{product_en} is made. During {theme_en}: {offer_en}.",
         "Articolo Tmall Brand Hub: dalla terra al laboratorio, la famiglia di {brand_it} e come nasce "
         "{product_it}. Durante {theme_it}: {offer_it}."),
    ),
    "short_video": (
        ("30秒看懂{product_zh}", "{product_en} in 30 seconds", "{product_it} in 30 secondi"),
        ("{theme_zh}短视频：镜头走进意大利，{brand_zh}亲手展示{product_zh}。{offer_zh}。",
         "{theme_en} short video: the camera goes to Italy and {brand_en} shows the {product_en} first hand. "
         "{offer_en}.",
         "Video breve per {theme_it}: la telecamera va in Italia e {brand_it} mostra {product_it}. {offer_it}."),
    ),
    "livestream": (
        ("{kol_zh}直播间：{brand_zh}专场", "{kol_en} live: a {brand_en} special",
         "In diretta con {kol_en}: speciale {brand_it}"),
        ("{kol_zh}连线意大利，现场体验{brand_zh}{product_zh}。直播间专享：{offer_zh}。",
         "{kol_en} connects with Italy and tries the {product_en} by {brand_en} live. Only in the livestream: "
         "{offer_en}.",
         "{kol_en} in collegamento con l'Italia prova dal vivo {product_it} di {brand_it}. Solo in diretta: "
         "{offer_it}."),
    ),
    "kol_post": (
        ("{kol_zh}种草：{brand_zh}{product_zh}", "{kol_en} recommends the {product_en} by {brand_en}",
         "{kol_en} consiglia {product_it} di {brand_it}"),
        ("{kol_zh}亲测{product_zh}：意大利原产，细节满分。{theme_zh}入手正当时，{offer_zh}。",
         "{kol_en} tried the {product_en}: made in Italy, every detail right. A good moment for {theme_en}: "
         "{offer_en}.",
         "{kol_en} ha provato {product_it}: fatto in Italia, curato in ogni dettaglio. Il momento giusto è "
         "{theme_it}: {offer_it}."),
    ),
    "taobao_popup": (
        ("{theme_zh}限时券", "{theme_en}: a time-limited coupon", "{theme_it}: un coupon a tempo"),
        ("{offer_zh}，点击领取{brand_zh}店铺券。", "{offer_en}: tap to get the {brand_en} store coupon.",
         "{offer_it}: tocca per avere il coupon del negozio {brand_it}."),
    ),
    "red_post": (
        ("{theme_zh}，我选{brand_zh}", "My pick for {theme_en}: {brand_en}",
         "La mia scelta per {theme_it}: {brand_it}"),
        ("小红书笔记：{product_zh}开箱，意大利的生活方式原来是这样的。{offer_zh}。",
         "RED note: unboxing the {product_en}, a piece of the Italian way of life. {offer_en}.",
         "Nota RED: apriamo {product_it}, un pezzo di stile di vita italiano. {offer_it}."),
    ),
    "wechat_article": (
        ("{theme_zh}：{brand_zh}的意大利故事", "{theme_en}: the Italian story of {brand_en}",
         "{theme_it}: la storia italiana di {brand_it}"),
        ("公众号推文：意大利贸易委员会带你认识{brand_zh}，以及{product_zh}的产地与工艺。{offer_zh}。",
         "WeChat article: the Italian Trade Agency introduces {brand_en}, where the {product_en} comes from and "
         "how it is made. {offer_en}.",
         "Articolo WeChat: l'Agenzia ICE presenta {brand_it}, l'origine di {product_it} e come viene fatto. "
         "{offer_it}."),
    ),
    "offline_event": (
        ("{theme_zh}线下快闪｜上海", "{theme_en}: pop-up in Shanghai", "{theme_it}: pop-up a Shanghai"),
        ("在上海意大利快闪店现场体验{brand_zh}{product_zh}，扫码关注即可领取小礼品。",
         "Try the {product_en} by {brand_en} at the Italian pop-up in Shanghai; scan the QR code for a small gift.",
         "Prova {product_it} di {brand_it} al pop-up italiano di Shanghai; inquadra il QR code per un piccolo "
         "omaggio."),
    ),
}  # fmt: skip

FAILURES = {
    "livestream": "直播间未通过平台审核，未能开播。 The platform did not clear the livestream room in time.",
    "taobao_popup": "淘宝弹窗位被平台收回。 Taobao withdrew the pop-up slot.",
}
DEFAULT_FAILURE = "平台接口超时，内容未发布。 The platform's interface timed out: nothing went out."
CANCEL_COMMENT = (
    "品牌库存未能按时到达保税仓，取消。 Cancelled: the brand's stock did not reach the bonded warehouse in time."
)


@dataclass(frozen=True)
class ItemSpec:
    """One content item, placed ``day`` days from the festival day at ``hour:minute`` China time."""

    channel: str
    day: int
    hour: int = 20
    minute: int = 0
    brands: tuple[int, ...] = (0,)
    upcoming: str = "scheduled"
    past: str = "published"
    languages: tuple[str, ...] = ALL_LANGUAGES
    kol: str = ""
    # The creative's size when not the channel's main one: another size it takes (the mobile banner), or one it
    # does not take, and the size warning shows.
    size: tuple[int, int] | None = None
    # A review round before the item came back: (the manager's comment, the sentence the editor then added).
    changes_asked: tuple[str, str] = ()


@dataclass(frozen=True)
class CampaignSpec:
    """A campaign on one festival, titled ``title`` with the festival year appended."""

    festival: str
    title: str
    category: str  # the campaign's focus and where its other brands come from ("" = any)
    color: tuple[int, int, int]  # background of its generated creatives, so the dominant colour varies
    theme: tuple[str, str, str]  # zh, en, it
    offer: tuple[str, str, str]
    items: tuple[ItemSpec, ...]
    others: int = 2  # brands besides the demo brand
    subcategories: tuple[str, ...] = ()
    demo: bool = False
    shared: bool = False  # the campaign shared between the demo brand and others, with items for each
    budget_cny: int = 50_000
    subject: str = "product"
    topic: str = "festival"


Item = ItemSpec  # the table below reads better with a short name

CAMPAIGNS: tuple[CampaignSpec, ...] = (
    CampaignSpec(
        "festa-repubblica", "Italy Week for Republic Day", "", (0, 140, 69),
        ("意大利国庆周", "Italy Week", "la Settimana italiana"),
        ("意大利馆满199减30", "CNY 30 off every CNY 199 in the Italian pavilion",
         "30 CNY di sconto ogni 199 nel padiglione italiano"),
        (Item("banner", -6, 10, size=MOBILE_BANNER), Item("wechat_article", -3, 8, brands=(1,), upcoming="approved"),
         Item("short_video", -1, 18, brands=(2,), upcoming="in_review", past="failed"),
         Item("offline_event", 0, 15, upcoming="draft")),
        others=3, subject="landscape", topic="heritage", budget_cny=30_000,
    ),
    CampaignSpec(
        "618", "618 Italian style", "fashion", (230, 110, 20),
        ("618意式年中盛典", "the 618 Italian gala", "il gran galà italiano del 618"),
        ("定金立减50元", "CNY 50 off with a pre-sale deposit", "50 CNY di sconto con l'acconto in prevendita"),
        (Item("banner", -29, 20), Item("tmall_article", -20, 10, upcoming="in_review"),
         Item("kol_post", -10, 12, brands=(1,), kol="coco", upcoming="approved"),
         Item("livestream", -1, 20, kol="lily"),
         Item("banner", 0, 0, brands=(2,), size=MOBILE_BANNER, upcoming="draft"),
         Item("taobao_popup", 0, 20, brands=(1,), languages=("zh",), upcoming="cancelled", past="cancelled")),
        demo=True, budget_cny=120_000, topic="promotion",
    ),
    CampaignSpec(
        "dragon-boat", "Dragon Boat Italian flavours", "food_beverage", (20, 130, 120),
        ("端午意式风味", "Dragon Boat Italian flavours", "i sapori italiani della Festa delle barche drago"),
        ("意式礼盒买二送一", "buy two Italian gift boxes, get one free", "tre confezioni regalo al prezzo di due"),
        (Item("wechat_article", -5, 8, upcoming="approved"),
         Item("kol_post", -3, 12, brands=(1,), kol="xiaolu", languages=("zh",), upcoming="in_review"),
         Item("short_video", -1, 18, past="failed")),
        subcategories=("Pasta", "Cheese", "Cured meats"), subject="food", topic="gifting", budget_cny=25_000,
    ),
    CampaignSpec(
        "qixi", "Qixi Italian romance", "fashion", (110, 50, 150),
        ("七夕意式浪漫", "an Italian Qixi", "un Qixi all'italiana"),
        ("免费刻字并附赠礼盒", "free engraving and a gift box", "incisione gratuita e confezione regalo"),
        (Item("banner", -42, 10), Item("red_post", -21, 21, upcoming="approved"),
         Item("kol_post", -14, 12, brands=(1,), kol="coco", upcoming="in_review",
           changes_asked=("请注明刻字服务的截止日期。 Please say until when engraving can be ordered.",
                          "刻字服务截至七夕前10天。")),
         Item("livestream", -2, 20, kol="lily"), Item("wechat_article", -1, 8, brands=(2,), upcoming="draft"),
         Item("short_video", 0, 18, brands=(1,), languages=("zh",), upcoming="draft")),
        demo=True, subcategories=("Silk", "Leather goods", "Jewellery"), subject="people", topic="gifting",
        budget_cny=90_000,
    ),
    CampaignSpec(
        "wine-99", "9.9 Italian wineries", "food_beverage", (128, 20, 48),
        ("99酒水节意大利酒庄季", "the 9.9 wine festival", "la festa del vino 9.9"),
        ("满两瓶享9折并包邮", "10% off two bottles, free delivery",
         "10% di sconto su due bottiglie, consegna gratuita"),
        (Item("banner", -14, 20), Item("livestream", -5, 20, kol="laochen", upcoming="approved"),
         Item("tmall_article", -3, 10, brands=(1,), upcoming="in_review"),
         Item("kol_post", -1, 12, brands=(2,), kol="laochen", past="failed"),
         Item("banner", 0, 0, brands=(1,), size=MOBILE_BANNER, upcoming="draft")),
        others=3, subcategories=("Wine", "Spirits"), topic="authenticity", budget_cny=60_000,
    ),
    CampaignSpec(
        "mid-autumn", "Mid-Autumn Italian gift boxes", "food_beverage", (25, 45, 110),
        ("中秋意式礼盒", "the Mid-Autumn gift-box season", "la stagione dei regali di metà autunno"),
        ("企业团购满20盒享85折", "15% off corporate orders of 20 boxes",
         "15% di sconto per ordini aziendali da 20 confezioni"),
        (Item("banner", -20, 10), Item("wechat_article", -14, 8, brands=(1,), upcoming="approved"),
         Item("kol_post", -7, 12, brands=(2,), kol="xiaolu", upcoming="in_review"), Item("short_video", -3, 18),
         Item("taobao_popup", -1, 20, brands=(1,), languages=("zh",), upcoming="draft")),
        others=3, subcategories=("Biscuits", "Chocolate", "Coffee"), subject="festive", topic="gifting",
        budget_cny=70_000,
    ),
    CampaignSpec(
        "golden-week", "Golden Week Italian market", "food_beverage", (190, 150, 50),
        ("国庆黄金周意大利市集", "the Golden Week Italian market", "il mercato italiano della Settimana d'oro"),
        ("到店扫码领取意式咖啡一杯", "scan the QR code in store for a free espresso",
         "inquadra il QR code in negozio per un espresso in omaggio"),
        (Item("banner", 0, 9, size=MOBILE_BANNER), Item("offline_event", 0, 14, upcoming="approved"),
         Item("offline_event", 3, 14, brands=(1,), languages=("zh", "en")),
         Item("kol_post", 2, 12, brands=(2,), kol="xiaolu", upcoming="in_review"),
         Item("short_video", 6, 18, brands=(1,), upcoming="draft", past="cancelled")),
        others=3, subject="landscape", topic="lifestyle", budget_cny=45_000,
    ),
    CampaignSpec(
        "double-11", "Double 11 Italian night", "", (200, 16, 46),
        ("双十一意大利之夜", "Italy's Double 11 night", "la notte italiana del Double 11"),
        ("前1小时下单享赠品", "a gift with every order in the first hour",
         "un omaggio per ogni ordine della prima ora"),
        (Item("banner", -22, 20), Item("tmall_article", -15, 10, brands=(1,), upcoming="approved"),
         Item("red_post", -10, 21), Item("kol_post", -5, 12, brands=(2,), kol="coco", upcoming="in_review"),
         Item("livestream", -1, 20, brands=(0, 1, 2), kol="lily"), Item("banner", 0, 0),
         Item("banner", 0, 0, brands=(3,), size=MOBILE_BANNER, upcoming="approved", past="failed"),
         Item("taobao_popup", 0, 0, 5, brands=(1,), languages=("zh",), upcoming="draft"),
         Item("wechat_article", 0, 8, brands=(2,), upcoming="draft", past="cancelled")),
        others=3, demo=True, budget_cny=200_000, topic="promotion",
    ),
    CampaignSpec(
        "italian-cuisine-week", "Week of Italian Cuisine", "food_beverage", (30, 110, 50),
        ("意大利美食周", "the Week of Italian Cuisine", "la Settimana della cucina italiana"),
        ("满299元赠意式食谱", "an Italian recipe book with orders over CNY 299",
         "un ricettario italiano per ordini oltre 299 CNY"),
        (Item("wechat_article", 0, 8), Item("offline_event", 0, 18, 30, brands=(1,), upcoming="approved"),
         Item("short_video", 2, 18, brands=(2,), upcoming="in_review"), Item("red_post", 4, 21),
         Item("livestream", 6, 20, brands=(1,), kol="xiaolu", upcoming="draft")),
        others=3, subcategories=("Pasta", "Olive oil", "Cheese", "Balsamic vinegar"), subject="food",
        topic="recipe", budget_cny=40_000,
    ),
    CampaignSpec(
        "black-friday", "Black Friday cross-border", "", (25, 25, 25),
        ("黑五跨境直邮", "Black Friday cross-border", "il Black Friday transfrontaliero"),
        ("意大利直邮，满500元包税", "shipped from Italy, duties paid over CNY 500",
         "spedito dall'Italia, dazi inclusi oltre 500 CNY"),
        (Item("banner", -6, 10, size=MOBILE_BANNER),
         Item("taobao_popup", 0, 0, brands=(1,), languages=("zh",), upcoming="approved", past="failed"),
         Item("kol_post", -2, 12, kol="vivi", upcoming="in_review")),
        subject="logo", topic="promotion", budget_cny=35_000,
    ),
    CampaignSpec(
        "double-12", "Double 12 Italian home", "lifestyle", (30, 90, 170),
        ("双十二意式家居节", "the Double 12 Italian home days", "le giornate della casa italiana del Double 12"),
        ("满1000元减120元", "CNY 120 off every CNY 1,000", "120 CNY di sconto ogni 1.000 CNY"),
        (Item("banner", -6, 10, size=MOBILE_BANNER), Item("red_post", -4, 21, brands=(1,), size=(1080, 1080)),
         Item("kol_post", -2, 12, brands=(2,), kol="amu", upcoming="in_review"),
         Item("livestream", -1, 20, kol="amu", upcoming="approved"),
         Item("banner", 0, 0, brands=(1,), upcoming="draft")),
        others=3, subcategories=("Ceramics", "Glassware", "Home textiles", "Home fragrances"), topic="lifestyle",
    ),
    CampaignSpec(
        "christmas", "Italian Christmas gifts", "fashion", (20, 95, 55),
        ("意式圣诞礼物", "Italian Christmas gifts", "i regali di Natale italiani"),
        ("圣诞礼盒免费包装", "free Christmas wrapping", "confezione natalizia gratuita"),
        (Item("banner", -10, 10, brands=(0, 1, 2)), Item("tmall_article", -8, 10, upcoming="approved"),
         Item("kol_post", -7, 12, brands=(1,), kol="vivi"), Item("red_post", -6, 21),
         Item("wechat_article", -5, 8, brands=(1,), upcoming="approved", past="failed"),
         Item("offline_event", -4, 15, brands=(2,), languages=("zh", "en")),
         Item("livestream", -3, 20, kol="coco", upcoming="in_review",
           changes_asked=("请写明直播开始时间。 Please put the start time in the text.",
                          "直播时间：晚上8点（北京时间）。")),
         Item("short_video", -2, 18, brands=(2,), upcoming="draft"),
         Item("taobao_popup", 0, 0, languages=("zh",), upcoming="draft")),
        demo=True, shared=True, subject="festive", topic="gifting", budget_cny=110_000,
    ),
    CampaignSpec(
        "new-year", "New Year Italian toast", "food_beverage", (184, 140, 40),
        ("双旦意式举杯", "an Italian toast to the New Year", "un brindisi italiano al nuovo anno"),
        ("起泡酒第二瓶半价", "the second bottle of spumante at half price",
         "la seconda bottiglia di spumante a metà prezzo"),
        (Item("banner", -17, 10), Item("kol_post", -10, 12, brands=(1,), kol="laochen", upcoming="approved"),
         Item("red_post", -5, 21, brands=(2,), upcoming="in_review"),
         Item("livestream", -1, 20, kol="laochen", past="failed"),
         Item("wechat_article", 0, 8, brands=(1,), languages=("zh",), upcoming="draft")),
        others=3, subcategories=("Wine", "Spirits", "Chocolate"), subject="festive", budget_cny=55_000,
    ),
    CampaignSpec(
        "nianhuo", "New Year goods Italian hampers", "food_beverage", (190, 20, 30),
        ("年货节意大利礼篮", "the New Year goods festival", "la festa degli acquisti del Capodanno cinese"),
        ("年货礼篮满2件9折", "10% off two hampers", "10% di sconto su due cesti"),
        (Item("banner", 0, 0, size=MOBILE_BANNER), Item("tmall_article", 1, 10, brands=(1,), upcoming="approved"),
         Item("short_video", 3, 18, brands=(2,), upcoming="in_review"),
         Item("offline_event", 5, 14, languages=("zh", "en"), upcoming="approved"),
         Item("livestream", 7, 20, brands=(1,), kol="xiaolu", upcoming="draft"),
         Item("taobao_popup", 10, 20, brands=(2,), languages=("zh",), upcoming="cancelled", past="cancelled"),
         Item("red_post", 14, 21, upcoming="draft")),
        others=3, subcategories=("Cured meats", "Cheese", "Olive oil", "Biscuits"), subject="food", topic="gifting",
        budget_cny=80_000,
    ),
    CampaignSpec(
        "spring-festival", "Spring Festival Italian gifts", "lifestyle", (200, 30, 40),
        ("春节意式好礼", "Italian gifts for Spring Festival", "i regali italiani per il Capodanno cinese"),
        ("新春礼盒限量发售", "limited Spring Festival gift sets", "confezioni regalo in edizione limitata"),
        (Item("banner", -20, 10, size=(1200, 600), upcoming="approved"),
         Item("wechat_article", -14, 8, brands=(1,), upcoming="in_review"),
         Item("red_post", -10, 21, brands=(2,), upcoming="draft"),
         Item("kol_post", -7, 12, kol="amu", upcoming="approved", past="failed"),
         Item("short_video", -1, 18, brands=(1,), languages=("zh",), upcoming="draft")),
        others=3, subcategories=("Ceramics", "Glassware", "Home textiles"), subject="festive", topic="gifting",
        budget_cny=75_000,
    ),
    CampaignSpec(
        "valentine", "Valentine's Italian gifts", "fashion", (214, 51, 132),
        ("情人节意式心意", "an Italian Valentine's", "un San Valentino all'italiana"),
        ("每份礼盒附手写卡片", "a handwritten card in every box", "un biglietto scritto a mano in ogni confezione"),
        (Item("banner", -13, 10), Item("red_post", -7, 21, upcoming="approved"),
         Item("kol_post", -4, 12, brands=(1,), kol="coco", upcoming="in_review"),
         Item("livestream", -1, 20, kol="lily", upcoming="draft", past="failed")),
        others=1, demo=True, subcategories=("Leather goods",), subject="people", topic="gifting",
    ),
    CampaignSpec(
        "lantern", "Lantern Festival Italian sweets", "food_beverage", (230, 120, 30),
        ("元宵意式甜点", "Italian sweets for the Lantern Festival", "i dolci italiani della Festa delle Lanterne"),
        ("汤圆之外，加一份意式甜点", "an Italian dessert alongside the tangyuan",
         "un dolce italiano accanto ai tangyuan"),
        (Item("red_post", -6, 21, upcoming="in_review"),
         Item("short_video", -2, 18, brands=(1,), languages=("zh",), upcoming="draft"),
         Item("wechat_article", 0, 8, upcoming="draft")),
        subcategories=("Biscuits", "Chocolate", "Coffee"), subject="food", topic="recipe", budget_cny=20_000,
    ),
    CampaignSpec(
        "goddess-day", "Goddess Day Italian treats", "fashion", (200, 60, 120),
        ("三八女神节意式宠己", "Goddess Day", "la Festa delle dee"),
        ("女神节专享满减并赠礼", "a Goddess Day discount and a gift", "uno sconto della Festa delle dee e un omaggio"),
        (Item("banner", -12, 10, upcoming="approved"), Item("tmall_article", -8, 10, brands=(1,), upcoming="in_review"),
         Item("livestream", -1, 20, kol="lily", upcoming="approved"),
         Item("red_post", -3, 21, brands=(2,), upcoming="draft")),
        demo=True, subcategories=("Silk", "Knitwear"), subject="people", topic="lifestyle", budget_cny=65_000,
    ),
    CampaignSpec(
        "consumer-rights", "3·15 genuine Italian", "food_beverage", (20, 60, 140),
        ("3·15正品溯源", "3·15, genuine Italian", "il 3·15, autentico italiano"),
        ("扫码查看DOP/IGP认证", "scan to check the DOP/IGP certificate",
         "inquadra per verificare il certificato DOP/IGP"),
        (Item("wechat_article", 0, 8, upcoming="in_review"),
         Item("tmall_article", 0, 10, brands=(1,), upcoming="draft"),
         # Never finished: after the day it stays a draft, material overdue.
         Item("short_video", 0, 18, brands=(2,), languages=("zh", "en"), upcoming="draft", past="draft")),
        others=3, subcategories=("Cheese", "Balsamic vinegar", "Olive oil"), topic="authenticity",
        budget_cny=15_000,
    ),
    CampaignSpec(
        "520", "520 Italian fragrances", "lifestyle", (230, 80, 150),
        ("520意式告白", "520, the Italian way", "il 520 all'italiana"),
        ("520限定香氛礼盒", "a limited 520 fragrance set", "un cofanetto profumato in edizione 520"),
        (Item("red_post", -6, 21, upcoming="draft"),
         Item("kol_post", -3, 12, brands=(1,), kol="amu", languages=("zh",), upcoming="draft"),
         Item("banner", 0, 0, size=MOBILE_BANNER, upcoming="draft")),
        subcategories=("Home fragrances", "Cosmetics"), topic="gifting", budget_cny=30_000,
    ),
)  # fmt: skip
