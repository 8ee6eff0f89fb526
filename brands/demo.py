"""Deterministic, fictional demo data: 103 Italian brands with stores, products, certifications and a contact.

Every company and person here is invented; names are built from made-up surnames and place-like names plus a
trade word ("Frantoio Colle Aurelio", "Maglificio Bertazzi"). Everything comes from one seeded ``random.Random``,
so two calls return equal specs. Only the standard library and Pillow are used: no Django models here; the
``seed_demo`` command feeds the specs to ``brands.services.brand_create``.
"""

import colorsys
import datetime
import hashlib
import io
import random
import re
import unicodedata
from decimal import Decimal

from PIL import Image, ImageDraw, ImageFont

SEED = 20261123
FIRST_JOIN = datetime.date(2024, 1, 1)
LAST_DATE = datetime.date(2026, 10, 31)

# region -> (Italian, English, Chinese)
REGIONS = {
    "abruzzo": ("Abruzzo", "Abruzzo", "阿布鲁佐"),
    "basilicata": ("Basilicata", "Basilicata", "巴西利卡塔"),
    "calabria": ("Calabria", "Calabria", "卡拉布里亚"),
    "campania": ("Campania", "Campania", "坎帕尼亚"),
    "emilia_romagna": ("Emilia-Romagna", "Emilia-Romagna", "艾米利亚-罗马涅"),
    "friuli_venezia_giulia": ("Friuli-Venezia Giulia", "Friuli Venezia Giulia", "弗留利-威尼斯朱利亚"),
    "lazio": ("Lazio", "Lazio", "拉齐奥"),
    "liguria": ("Liguria", "Liguria", "利古里亚"),
    "lombardia": ("Lombardia", "Lombardy", "伦巴第"),
    "marche": ("Marche", "Marche", "马尔凯"),
    "molise": ("Molise", "Molise", "莫利塞"),
    "piemonte": ("Piemonte", "Piedmont", "皮埃蒙特"),
    "puglia": ("Puglia", "Apulia", "普利亚"),
    "sardegna": ("Sardegna", "Sardinia", "撒丁岛"),
    "sicilia": ("Sicilia", "Sicily", "西西里"),
    "toscana": ("Toscana", "Tuscany", "托斯卡纳"),
    "trentino_alto_adige": ("Trentino-Alto Adige", "Trentino-South Tyrol", "特伦蒂诺-上阿迪杰"),
    "umbria": ("Umbria", "Umbria", "翁布里亚"),
    "valle_d_aosta": ("Valle d'Aosta", "Aosta Valley", "瓦莱达奥斯塔"),
    "veneto": ("Veneto", "Veneto", "威尼托"),
}

# Invented surnames for family brands: (Italian, Chinese transliteration[, the only region it fits]).
FAMILY_NAMES = [
    ("Bertazzi", "贝尔塔齐"), ("Morandelli", "莫兰德利"), ("Castrucci", "卡斯特鲁奇"), ("Felicioni", "费利乔尼"),
    ("Brambati", "布兰巴蒂"), ("Zanolli", "扎诺利"), ("Ravagnani", "拉瓦尼亚尼"), ("Ciampelli", "钱佩利"),
    ("Donadelli", "多纳德利"), ("Fornasari", "福尔纳萨里"), ("Lanzoni", "兰佐尼"), ("Menegatti", "梅内加蒂"),
    ("Orlandini", "奥兰迪尼"), ("Pagliarani", "帕利亚拉尼"), ("Quaranta", "夸兰塔"), ("Righetti", "里盖蒂"),
    ("Sartorelli", "萨尔托雷利"), ("Tassinari", "塔西纳里"), ("Uberti", "乌贝尔蒂"), ("Valdameri", "瓦尔达梅里"),
    ("Zampieri", "赞皮耶里"), ("Alberighi", "阿尔贝里吉"), ("Bonaccorsi", "博纳科尔西"), ("Calvetti", "卡尔韦蒂"),
    ("Dalmonte", "达尔蒙特"), ("Ercolani", "埃尔科拉尼"), ("Fabbrini", "法布里尼"), ("Ghirelli", "吉雷利"),
    ("Iacobelli", "雅各贝利"), ("Landucci", "兰杜奇"), ("Martellotti", "马尔泰洛蒂"), ("Nardelli", "纳尔德利"),
    ("Orsatti", "奥尔萨蒂"), ("Pellegatti", "佩莱加蒂"), ("Roncaglia", "龙卡利亚"), ("Salvadori", "萨尔瓦多里"),
    ("Tebaldi", "泰巴尔迪"), ("Vannucci", "万努奇"), ("Zucchelli", "祖凯利"), ("Benassi", "贝纳西"),
    ("Corradini", "科拉迪尼"), ("Fiorillo", "菲奥里洛"), ("Guidotti", "圭多蒂"), ("Lombardelli", "隆巴尔德利"),
    ("Manfredini", "曼弗雷迪尼"), ("Negrisoli", "内格里索利"), ("Pastorelli", "帕斯托雷利"), ("Rinaldini",
     "里纳尔迪尼"),
    ("Scarpellini", "斯卡尔佩利尼"), ("Trevisani", "特雷维萨尼"), ("Vescovi", "韦斯科维"), ("Bellandi", "贝兰迪"),
    ("Casoni", "卡索尼"), ("Desiderati", "德西德拉蒂"), ("Ferracuti", "费拉库蒂"), ("Giacomelli", "贾科梅利"),
    ("Marinucci", "马里努奇"), ("Piccinini", "皮奇尼尼"), ("Rosmarini", "罗斯马里尼"), ("Santangeli", "桑坦杰利"),
    ("Venturelli", "文图雷利"), ("Zanardi", "扎纳尔迪"), ("Baldacci", "巴尔达奇"), ("Cerretani", "切雷塔尼"),
    ("Falaschi", "法拉斯基"), ("Granelli", "格拉内利"), ("Loreti", "洛雷蒂"), ("Mancuso", "曼库索"),
    ("Palumbo", "帕伦博"), ("Ruggieri", "鲁杰里"), ("Sciarra", "夏拉"), ("Valenti", "瓦伦蒂"),
    ("Cataldi", "卡塔尔迪"), ("D'Alessio", "达莱西奥"), ("Mastrangelo", "马斯特兰杰洛"), ("Esposti", "埃斯波斯蒂"),
    ("Tosolini", "托索利尼", "friuli_venezia_giulia"), ("Lo Presti", "洛普雷斯蒂", "sicilia"),
    ("Pinna", "平纳", "sardegna"), ("Melis", "梅利斯", "sardegna"), ("Gruber", "格鲁伯", "trentino_alto_adige"),
    ("Pichler", "皮希勒", "trentino_alto_adige"), ("Desandré", "德桑德雷", "valle_d_aosta"),
]  # fmt: skip

# Invented place-like names: (Italian, Chinese meaning name).
PLACE_NAMES = [
    ("Colle Aurelio", "奥雷利奥山"), ("Val di Sole", "太阳谷"), ("Poggio Ventoso", "风丘"), ("Fonte Chiara", "清泉"),
    ("Rocca Bruna", "褐岩堡"), ("Pian dei Gelsi", "桑树原"), ("Torre dei Falchi", "猎鹰塔"), ("Le Lucciole", "萤火虫"),
    ("Collina d'Argento", "银丘"), ("Borgo San Lieto", "圣列托村"), ("Monte Lauro", "月桂山"), ("Case Rosse", "红屋"),
    ("Corte Alta", "高庭"), ("Terre di Levante", "东方原野"), ("Villa Ortensia", "绣球花园"), ("Costa Serena",
     "宁静海岸"),
    ("Il Mandorlo", "杏仁树"), ("Castel Varano", "瓦拉诺堡"), ("Piana degli Ulivi", "橄榄平原"), ("Sette Querce",
     "七橡树"),
    ("Valle Antica", "古谷"), ("Campo Lungo", "长田"), ("Tre Fontane", "三泉"), ("Monte Corvo", "乌鸦山"),
    ("Colle Fiorito", "花丘"), ("Serra Alta", "高岭"), ("San Vitale", "圣维塔莱"), ("Ca' del Vento", "风之屋"),
    ("Poggio alle Api", "蜂丘"), ("Lago Verde", "绿湖"), ("Stella Marina", "海星"), ("Borgo Antico", "古镇"),
    ("Punta Rossa", "红岬"), ("Prato Fiorito", "花甸"), ("Rio Freddo", "寒溪"), ("Pietra Grigia", "灰石"),
    ("Luna Nuova", "新月"), ("Sole Alto", "高阳"), ("Selva Scura", "幽林"), ("Monte Cedro", "雪松山"),
    ("Quattro Venti", "四风"), ("Ponte Antico", "古桥"), ("Capo Sereno", "宁岬"), ("Le Terrazze", "梯田"),
    ("Olmo Bianco", "白榆"), ("Casale dei Tigli", "椴树农舍"), ("Gelso Nero", "黑桑"),
]  # fmt: skip

# Founding families of place-named brands, and contacts' surnames: (Italian, Chinese).
COMMON_SURNAMES = [
    ("Rossi", "罗西"), ("Bianchi", "比安基"), ("Ferri", "费里"), ("Conti", "孔蒂"), ("Galli", "加利"),
    ("Greco", "格雷科"), ("Rinaldi", "里纳尔迪"), ("Leone", "莱昂内"), ("Longo", "隆戈"), ("Gentile", "真蒂莱"),
    ("Sala", "萨拉"), ("Colombo", "科隆博"), ("Marini", "马里尼"), ("Barbieri", "巴尔别里"), ("Fontana", "丰塔纳"),
    ("Serra", "塞拉"), ("Testa", "泰斯塔"), ("Fabbri", "法布里"), ("Caputo", "卡普托"), ("Ricci", "里奇"),
    ("Mariani", "马里亚尼"), ("Bruno", "布鲁诺"), ("Vitale", "维塔莱"), ("Moro", "莫罗"),
]  # fmt: skip
FIRST_NAMES = [
    "Giulia", "Marco", "Francesca", "Luca", "Chiara", "Alessandro", "Elena", "Matteo", "Sara", "Davide", "Valentina",
    "Andrea", "Federica", "Stefano", "Silvia", "Paolo", "Martina", "Lorenzo", "Beatrice", "Tommaso", "Irene",
    "Riccardo", "Laura", "Nicola", "Anna", "Simone", "Elisa", "Filippo", "Camilla",
]  # fmt: skip
FOUNDER_NAMES = [
    "Giuseppe", "Giovanni", "Antonio", "Luigi", "Pietro", "Angelo", "Carlo", "Teresa", "Maria", "Rosa", "Enrico",
    "Vittorio", "Amalia", "Emilio",
]  # fmt: skip
FAMILY_ROLES = ("Owner", "Founder", "CEO", "General Manager")
STAFF_ROLES = (
    "Export Manager", "Marketing Manager", "Brand Manager", "E-commerce Manager",
    "Sales Director Asia-Pacific", "Head of International Sales", "China Market Manager",
)  # fmt: skip
GENERATIONS = (
    ("prima", "first", "第一代"), ("seconda", "second", "第二代"), ("terza", "third", "第三代"),
    ("quarta", "fourth", "第四代"), ("quinta", "fifth", "第五代"),
)  # fmt: skip
VALUES = [
    ("unisce i metodi di un tempo a uno sguardo internazionale",
     "combines time-honoured methods with an international outlook", "将传统工艺与国际视野相结合"),
    ("seleziona ancora di persona ogni materia prima", "still selects every raw material in person",
     "仍亲自挑选每一种原料"),
    ("ha portato il marchio in oltre venti paesi", "has taken the brand to more than twenty countries",
     "已将品牌带到二十多个国家"),
    ("lavora a stretto contatto con i piccoli produttori del territorio", "works closely with small local producers",
     "与当地小型生产者紧密合作"),
    ("ha scelto la Cina come primo mercato asiatico", "chose China as its first Asian market",
     "选择中国作为在亚洲的第一个市场"),
    ("investe in energia solare e imballaggi riciclabili", "invests in solar power and recyclable packaging",
     "积极投资太阳能与可回收包装"),
]  # fmt: skip

# Description and story templates, aligned across languages (same index = same content).
DESCRIPTIONS = [
    ("{name} produce {what_it} {a_city} ({region_it}) dal {year}. {detail_it}",
     "{name} has been making {what_en} in {city}, {region_en}, since {year}. {detail_en}",
     "{name_zh}自{year}年起扎根意大利{region_zh}，专注于{what_zh}。{detail_zh}"),
    ("{name} è un marchio di {city} ({region_it}) specializzato in {what_it}. {detail_it}",
     "{name} is a brand from {city}, {region_en}, specialising in {what_en}. {detail_en}",
     "{name_zh}是来自意大利{region_zh}的品牌，主营{what_zh}。{detail_zh}"),
    ("Da {city} al mondo: dal {year} {name} realizza {what_it}. {detail_it}",
     "From {city} to the world: since {year}, {name} has been crafting {what_en}. {detail_en}",
     "从{region_zh}走向世界，{name_zh}自{year}年起坚持传统工艺，出品{what_zh}。{detail_zh}"),
]  # fmt: skip
STORIES_OLD = [
    ("Tutto comincia nel {year}, quando {founder} apre {origin_it} {a_city}. Oggi a guidare {name} è la "
     "{gen_it} generazione della famiglia {family}, che {value_it}.",
     "It all began in {year}, when {founder} opened {origin_en} in {city}. Today {name} is run by the "
     "{gen_en} generation of the {family} family, who {value_en}.",
     "一切始于{year}年，{family_zh}家族在{region_zh}开设了{origin_zh}。如今，{name_zh}由家族{gen_zh}传人掌舵，"
     "他们{value_zh}。"),
    ("La famiglia {family} lavora {a_city} dal {year}, e {origin_it} si trovava a pochi passi dalla sede di "
     "oggi. {detail_it} Con la {gen_it} generazione, {name} {value_it}.",
     "The {family} family has worked in {city} since {year}; {origin_en} stood a few steps from today's "
     "premises. {detail_en} With the {gen_en} generation, {name} {value_en}.",
     "{family_zh}家族自{year}年起在{region_zh}经营，当年的{origin_zh}距今天的厂址仅几步之遥。{detail_zh}"
     "传到{gen_zh}，{name_zh}{value_zh}。"),
]  # fmt: skip
STORY_YOUNG = (
    "{name} nasce nel {year} {a_city} da un'idea di {founder}, che {value_it}. {detail_it}",
    "{name} was founded in {year} in {city} by {founder}, who {value_en}. {detail_en}",
    "{name_zh}于{year}年在{region_zh}创立，创始人{value_zh}。{detail_zh}",
)

ORGANIC = ("organic", "EU Organic", 0.25)
SLOW_FOOD = ("slow_food", "Presidio Slow Food", 0.08)
MADE_IN_ITALY = ("made_in_italy", "100% Made in Italy", 0.45)

# Sub-categories per category. names: (Italian pattern, English pattern, Chinese suffix); what/origin/details:
# (it, en, zh); regions: region -> plausible cities; products: (it, en, zh, min CNY, max CNY, product category),
# "{v}" is a vintage; certs: city or region -> labels (kind from the suffix); extras: (kind, label, chance).
SUBCATEGORIES = {
    "food_beverage": [
        {
            "name": "Wine", "code": "WN", "count": 5,
            "names": [("Cantina {n}", "{n} Winery", "酒庄"), ("Tenuta {n}", "{n} Estate", "庄园"),
                      ("Cantine {n}", "{n} Wine Cellars", "酒窖")],
            "what": ("vini da vitigni autoctoni", "wines from native grape varieties", "本土葡萄品种酿造的葡萄酒"),
            "origin": ("la prima cantina", "the first cellar", "第一座酒窖"),
            "details": [
                ("Le uve sono raccolte a mano e vinificate in piccoli lotti.",
                 "Grapes are picked by hand and vinified in small batches.", "葡萄全部手工采摘，小批量酿造。"),
                ("I vigneti in collina godono di forti escursioni termiche.",
                 "The hillside vineyards enjoy wide swings between day and night temperatures.",
                 "山坡葡萄园昼夜温差大，果实风味浓郁。"),
                ("Ogni riserva affina almeno due anni in botti di rovere.",
                 "Every reserve ages for at least two years in oak casks.", "每款珍藏酒均在橡木桶中陈酿至少两年。"),
            ],
            "regions": {
                "piemonte": ("Alba", "Barolo", "Canelli"), "toscana": ("Greve in Chianti", "Montalcino", "Bolgheri"),
                "veneto": ("Valdobbiadene", "Negrar", "Soave"),
                "friuli_venezia_giulia": ("Cormons", "Cividale del Friuli"),
                "trentino_alto_adige": ("Trento", "Caldaro"), "lombardia": ("Erbusco", "Sondrio"),
                "emilia_romagna": ("Castelvetro di Modena", "Faenza"), "marche": ("Jesi", "Offida"),
                "umbria": ("Montefalco", "Orvieto"), "lazio": ("Frascati", "Piglio"), "abruzzo": ("Ortona",),
                "molise": ("Campobasso", "Larino"), "campania": ("Avellino", "Taurasi"),
                "puglia": ("Manduria", "Andria"),
                "basilicata": ("Rionero in Vulture", "Venosa"), "calabria": ("Cirò Marina",),
                "sicilia": ("Randazzo", "Vittoria", "Marsala"), "sardegna": ("Berchidda", "Jerzu"),
                "liguria": ("Riomaggiore", "Sarzana"), "valle_d_aosta": ("Aymavilles", "Morgex"),
            },
            "certs": {
                "piemonte": ("Barolo DOCG", "Barbera d'Asti DOCG", "Langhe DOC"),
                "toscana": ("Chianti Classico DOCG", "Brunello di Montalcino DOCG", "Toscana IGT", "Bolgheri DOC"),
                "veneto": ("Amarone della Valpolicella DOCG", "Conegliano Valdobbiadene Prosecco Superiore DOCG",
                           "Soave DOC"),
                "friuli_venezia_giulia": ("Collio DOC", "Friuli Colli Orientali DOC"),
                "trentino_alto_adige": ("Trento DOC", "Alto Adige DOC"),
                "lombardia": ("Franciacorta DOCG", "Valtellina Superiore DOCG"),
                "emilia_romagna": ("Lambrusco di Sorbara DOC", "Romagna Sangiovese DOC"),
                "marche": ("Verdicchio dei Castelli di Jesi DOC", "Offida DOCG"),
                "umbria": ("Montefalco Sagrantino DOCG", "Orvieto DOC"),
                "lazio": ("Cesanese del Piglio DOCG", "Frascati Superiore DOCG"),
                "abruzzo": ("Montepulciano d'Abruzzo DOC", "Trebbiano d'Abruzzo DOC"),
                "molise": ("Tintilia del Molise DOC", "Biferno DOC"),
                "campania": ("Taurasi DOCG", "Fiano di Avellino DOCG"),
                "puglia": ("Primitivo di Manduria DOC", "Castel del Monte DOC", "Puglia IGT"),
                "basilicata": ("Aglianico del Vulture DOC",), "calabria": ("Cirò DOC", "Calabria IGT"),
                "sicilia": ("Etna DOC", "Cerasuolo di Vittoria DOCG", "Terre Siciliane IGT"),
                "sardegna": ("Vermentino di Gallura DOCG", "Cannonau di Sardegna DOC"),
                "liguria": ("Cinque Terre DOC", "Colli di Luni DOC"), "valle_d_aosta": ("Valle d'Aosta DOC",),
            },
            "extras": (ORGANIC, SLOW_FOOD),
            "products": [
                ("Rosso Riserva {v}", "Red Reserve {v}", "珍藏红葡萄酒 {v}", 220, 880, "Red wine"),
                ("Bianco {v}", "White {v}", "干白葡萄酒 {v}", 120, 360, "White wine"),
                ("Spumante Metodo Classico Brut", "Classic Method Brut Sparkling Wine", "传统法干型起泡酒", 200, 520,
                 "Sparkling wine"),
                ("Rosato {v}", "Rosé {v}", "桃红葡萄酒 {v}", 110, 280, "Rosé wine"),
                ("Passito 375 ml", "Passito Dessert Wine 375 ml", "风干甜白葡萄酒 375毫升", 180, 460, "Dessert wine"),
                ("Cofanetto degustazione 3 bottiglie", "Three-bottle Tasting Box", "三瓶品鉴礼盒", 520, 1380,
                 "Gift box"),
            ],
        },
        {
            "name": "Olive oil", "code": "OL", "count": 4,
            "names": [("Frantoio {n}", "{n} Oil Mill", "榨油坊"), ("Oleificio {n}", "{n} Olive Oil", "橄榄油坊")],
            "what": ("olio extravergine di oliva", "extra virgin olive oil", "特级初榨橄榄油"),
            "origin": ("il primo frantoio", "the first olive mill", "第一座榨油坊"),
            "details": [
                ("Le olive sono frante a freddo entro poche ore dalla raccolta.",
                 "Olives are cold-pressed within hours of being picked.", "橄榄在采摘后数小时内完成冷榨。"),
                ("Gli uliveti secolari crescono su terreni ricchi di calcare.",
                 "Its centuries-old olive groves grow on limestone-rich soil.", "百年橄榄树生长在富含石灰岩的土壤中。"),
                ("L'olio ha note fruttate di erba fresca e carciofo.",
                 "The oil has fruity notes of fresh grass and artichoke.", "油品带有青草与洋蓟的清新果香。"),
            ],
            "regions": {
                "toscana": ("Lucca", "Reggello"), "puglia": ("Bitonto", "Andria", "Lecce"),
                "umbria": ("Trevi", "Spoleto"),
                "liguria": ("Imperia", "Taggia"), "sicilia": ("Castelvetrano", "Ragusa"), "calabria": ("Rossano",),
                "lazio": ("Canino", "Fara in Sabina"), "sardegna": ("Alghero", "Seneghe"),
                "molise": ("Venafro", "Larino"),
                "basilicata": ("Ferrandina",), "abruzzo": ("Loreto Aprutino",), "campania": ("Vallo della Lucania",),
                "marche": ("Cartoceto",), "lombardia": ("Salò",),
            },
            "certs": {
                "toscana": ("Olio Toscano IGP",), "puglia": ("Terra di Bari DOP", "Olio di Puglia IGP"),
                "umbria": ("Umbria DOP",), "liguria": ("Riviera Ligure DOP",), "sicilia": ("Sicilia IGP",),
                "calabria": ("Olio di Calabria IGP",), "Canino": ("Canino DOP",), "Fara in Sabina": ("Sabina DOP",),
                "sardegna": ("Sardegna DOP",), "molise": ("Molise DOP",), "basilicata": ("Olio Lucano IGP",),
                "abruzzo": ("Aprutino Pescarese DOP",), "campania": ("Cilento DOP",), "marche": ("Cartoceto DOP",),
                "lombardia": ("Garda DOP",),
            },
            "extras": (("organic", "EU Organic", 0.4), SLOW_FOOD),
            "products": [
                ("Olio extravergine di oliva 500 ml", "Extra Virgin Olive Oil 500 ml", "特级初榨橄榄油 500毫升", 128,
                 268, "Olive oil"),
                ("Olio nuovo 250 ml", "New Harvest Olive Oil 250 ml", "当季新榨橄榄油 250毫升", 98, 188, "Olive oil"),
                ("Monocultivar 500 ml", "Single-cultivar Olive Oil 500 ml", "单一品种橄榄油 500毫升", 158, 328,
                 "Olive oil"),
                ("Olio al limone 250 ml", "Lemon-infused Olive Oil 250 ml", "柠檬风味橄榄油 250毫升", 88, 168,
                 "Flavoured oil"),
                ("Latta da 3 litri", "3-litre Tin", "3升装铁罐橄榄油", 398, 698, "Olive oil"),
            ],
        },
        {
            "name": "Cheese", "code": "CH", "count": 4,
            "names": [("Caseificio {n}", "{n} Dairy", "奶酪坊"), ("Latteria {n}", "{n} Creamery", "乳品坊")],
            "what": ("formaggi stagionati", "aged cheeses", "陈年奶酪"),
            "origin": ("il primo caseificio", "the first dairy", "第一间奶酪作坊"),
            "details": [
                ("Il latte arriva ogni mattina da stalle entro venti chilometri.",
                 "Milk arrives every morning from farms within twenty kilometres.",
                 "牛奶每天清晨来自二十公里内的牧场。"),
                ("Le forme stagionano per molti mesi in cantine naturali.",
                 "The wheels mature for many months in natural cellars.", "奶酪在天然地窖中熟成数月。"),
                ("Ogni forma viene girata e spazzolata a mano.",
                 "Every wheel is turned and brushed by hand.", "每一轮奶酪都经手工翻转和刷洗。"),
            ],
            "regions": {
                "emilia_romagna": ("Parma", "Reggio Emilia", "Modena"), "lombardia": ("Lodi", "Cremona"),
                "campania": ("Battipaglia", "Caserta"), "sardegna": ("Macomer", "Nuoro"), "lazio": ("Viterbo",),
                "toscana": ("Pienza", "Grosseto"), "piemonte": ("Bra", "Cuneo"),
                "valle_d_aosta": ("Aosta", "Valpelline"),
                "veneto": ("Asiago",), "puglia": ("Gioia del Colle", "Andria"), "sicilia": ("Ragusa",),
                "friuli_venezia_giulia": ("Codroipo",), "molise": ("Agnone",), "basilicata": ("Moliterno",),
                "trentino_alto_adige": ("Cavalese",),
            },
            "certs": {
                "emilia_romagna": ("Parmigiano Reggiano DOP",), "lombardia": ("Grana Padano DOP", "Gorgonzola DOP"),
                "campania": ("Mozzarella di Bufala Campana DOP",),
                "sardegna": ("Pecorino Sardo DOP", "Fiore Sardo DOP"),
                "lazio": ("Pecorino Romano DOP",), "toscana": ("Pecorino Toscano DOP",),
                "piemonte": ("Bra DOP", "Toma Piemontese DOP"), "valle_d_aosta": ("Fontina DOP",),
                "veneto": ("Asiago DOP",), "Gioia del Colle": ("Mozzarella di Gioia del Colle DOP",),
                "Andria": ("Burrata di Andria IGP",), "sicilia": ("Ragusano DOP",),
                "friuli_venezia_giulia": ("Montasio DOP",), "molise": ("Caciocavallo Silano DOP",),
                "basilicata": ("Canestrato di Moliterno IGP",),
                "trentino_alto_adige": ("Spressa delle Giudicarie DOP",),
            },
            "extras": (SLOW_FOOD,),
            "products": [
                ("Stagionato 24 mesi, 1 kg", "24-month Aged Cheese, 1 kg", "24个月陈年奶酪 1公斤", 268, 468,
                 "Hard cheese"),
                ("Semistagionato 500 g", "Semi-aged Cheese 500 g", "半熟成奶酪 500克", 128, 228, "Cheese"),
                ("Scaglie 200 g", "Cheese Flakes 200 g", "奶酪薄片 200克", 58, 98, "Cheese"),
                ("Grattugiato 100 g", "Grated Cheese 100 g", "现磨奶酪粉 100克", 38, 68, "Grated cheese"),
                ("Degustazione tre stagionature", "Three-age Tasting Set", "三种熟成期品鉴套装", 298, 588, "Gift box"),
            ],
        },
        {
            "name": "Pasta", "code": "PA", "count": 4,
            "names": [("Pastificio {n}", "{n} Pasta", "意面坊"), ("Antico Pastificio {n}", "{n} Heritage Pasta",
                                                                  "意面工坊")],
            "what": ("pasta di semola trafilata al bronzo", "bronze-die durum wheat pasta", "铜模挤压的硬质小麦意面"),
            "origin": ("il primo pastificio", "the first pasta workshop", "第一间意面作坊"),
            "details": [
                ("L'essiccazione lenta a bassa temperatura dura fino a 48 ore.",
                 "Slow, low-temperature drying takes up to 48 hours.", "低温慢速干燥长达48小时。"),
                ("Il grano duro proviene da agricoltori della regione.",
                 "The durum wheat comes from farmers in the region.", "硬质小麦来自本地区的农户。"),
                ("La superficie ruvida trattiene meglio il sugo.",
                 "Its rough surface holds sauce better.", "粗糙的表面能更好地挂住酱汁。"),
            ],
            "regions": {
                "campania": ("Gragnano",), "puglia": ("Altamura", "Corato"),
                "abruzzo": ("Fara San Martino", "Lanciano"),
                "marche": ("Campofilone",), "molise": ("Campobasso", "Isernia"), "basilicata": ("Matera", "Potenza"),
                "sicilia": ("Mazara del Vallo",), "umbria": ("Foligno",), "emilia_romagna": ("Parma",),
            },
            "certs": {"campania": ("Pasta di Gragnano IGP",), "marche": ("Maccheroncini di Campofilone IGP",)},
            "extras": (("organic", "EU Organic", 0.35),),
            "products": [
                ("Spaghetti 500 g", "Spaghetti 500 g", "意大利直面 500克", 28, 58, "Pasta"),
                ("Paccheri 500 g", "Paccheri 500 g", "大管面 500克", 32, 68, "Pasta"),
                ("Fusilli integrali 500 g", "Wholewheat Fusilli 500 g", "全麦螺旋面 500克", 30, 60, "Pasta"),
                ("Tagliatelle all'uovo 250 g", "Egg Tagliatelle 250 g", "鸡蛋宽面 250克", 32, 66, "Egg pasta"),
                ("Confezione regalo 6 formati", "Six-shape Gift Box", "六款意面礼盒", 168, 328, "Gift box"),
            ],
        },
        {
            "name": "Cured meats", "code": "SA", "count": 3,
            "names": [("Salumificio {n}", "{n} Salumi", "火腿坊"), ("Salumeria {n}", "{n} Charcuterie", "腌肉坊")],
            "what": ("salumi stagionati secondo ricette tradizionali", "cured meats made to traditional recipes",
                     "按传统配方风干的意式腌肉"),
            "origin": ("la prima bottega", "the first butcher's shop", "第一间肉铺"),
            "details": [
                ("La stagionatura avviene in locali ventilati dall'aria di collina.",
                 "Curing takes place in rooms ventilated by hill air.", "腌肉在山间自然风中完成风干熟成。"),
                ("Si usano solo carne italiana, sale marino e spezie.",
                 "Only Italian pork, sea salt and spices are used.", "仅使用意大利猪肉、海盐和香料。"),
            ],
            "regions": {
                "emilia_romagna": ("Langhirano", "Zibello"), "friuli_venezia_giulia": ("San Daniele del Friuli",),
                "trentino_alto_adige": ("Merano", "Silandro"), "toscana": ("Carrara", "Siena"),
                "calabria": ("Spilinga",),
                "umbria": ("Norcia",), "lombardia": ("Chiavenna",), "valle_d_aosta": ("Arnad",),
                "basilicata": ("Picerno",), "veneto": ("Montagnana",),
            },
            "certs": {
                "Langhirano": ("Prosciutto di Parma DOP",), "Zibello": ("Culatello di Zibello DOP",),
                "friuli_venezia_giulia": ("Prosciutto di San Daniele DOP",),
                "trentino_alto_adige": ("Speck Alto Adige IGP",),
                "Carrara": ("Lardo di Colonnata IGP",), "Siena": ("Prosciutto Toscano DOP", "Finocchiona IGP"),
                "calabria": ("Soppressata di Calabria DOP",), "umbria": ("Prosciutto di Norcia IGP",),
                "lombardia": ("Bresaola della Valtellina IGP",), "valle_d_aosta": ("Vallée d'Aoste Lard d'Arnad DOP",),
                "basilicata": ("Lucanica di Picerno IGP",), "veneto": ("Prosciutto Veneto Berico-Euganeo DOP",),
            },
            "extras": (SLOW_FOOD,),
            "products": [
                ("Prosciutto 18 mesi affettato 100 g", "18-month Prosciutto, Sliced 100 g", "18个月风干火腿切片 100克",
                 58, 108, "Cured ham"),
                ("Salame nostrano 300 g", "Traditional Salame 300 g", "传统萨拉米香肠 300克", 68, 128, "Salami"),
                ("Coppa stagionata 500 g", "Aged Coppa 500 g", "风干猪颈肉 500克", 118, 218, "Cured meat"),
                ("Tagliere degustazione 4 salumi", "Four-salumi Tasting Board", "四款腌肉品鉴拼盘", 198, 368,
                 "Gift box"),
            ],
        },
        {
            "name": "Balsamic vinegar", "code": "BA", "count": 3,
            "names": [("Acetaia {n}", "{n} Balsamic", "香醋坊")],
            "what": ("aceto balsamico invecchiato in botti di legno", "balsamic vinegar aged in wooden casks",
                     "木桶陈酿的香醋"),
            "origin": ("la prima acetaia", "the first vinegar loft", "第一间醋坊"),
            "details": [
                ("La batteria di botti di rovere, castagno e ciliegio passa di padre in figlio.",
                 "Its set of oak, chestnut and cherry casks is handed down from parent to child.",
                 "橡木、栗木和樱桃木醋桶代代相传。"),
                ("Il mosto cotto proviene da uve Trebbiano e Lambrusco.",
                 "The cooked must comes from Trebbiano and Lambrusco grapes.",
                 "熬煮葡萄汁来自特雷比亚诺和蓝布鲁斯科葡萄。"),
            ],
            "regions": {"emilia_romagna": ("Modena", "Vignola", "Spilamberto", "Castelfranco Emilia")},
            "certs": {
                "emilia_romagna": ("Aceto Balsamico di Modena IGP", "Aceto Balsamico Tradizionale di Modena DOP"),
            },
            "extras": (ORGANIC,),
            "products": [
                ("Aceto Balsamico di Modena 250 ml", "Balsamic Vinegar of Modena 250 ml", "摩德纳香醋 250毫升", 68,
                 138, "Vinegar"),
                ("Tradizionale extravecchio 100 ml", "Traditional Extra-aged Balsamic 100 ml",
                 "特级陈酿传统香醋 100毫升",
                 680, 1280, "Vinegar"),
                ("Glassa balsamica 150 ml", "Balsamic Glaze 150 ml", "香醋浓缩酱 150毫升", 48, 88, "Condiment"),
                ("Condimento bianco 250 ml", "White Balsamic Condiment 250 ml", "白香醋调味汁 250毫升", 58, 108,
                 "Condiment"),
            ],
        },
        {
            "name": "Coffee", "code": "CF", "count": 3,
            "names": [("Torrefazione {n}", "{n} Coffee Roasters", "咖啡烘焙坊"), ("Caffè {n}", "{n} Coffee", "咖啡")],
            "what": ("miscele di caffè per espresso", "espresso coffee blends", "意式浓缩咖啡拼配豆"),
            "origin": ("la prima torrefazione", "the first roastery", "第一间咖啡烘焙坊"),
            "details": [
                ("Ogni origine viene tostata separatamente e lentamente.",
                 "Each origin is roasted separately and slowly.", "每种产地的咖啡豆都单独慢速烘焙。"),
                ("Le miscele sono pensate per un espresso cremoso e persistente.",
                 "The blends are designed for a creamy, long-lasting espresso.", "拼配专为醇厚绵长的意式浓缩而设计。"),
            ],
            "regions": {
                "campania": ("Napoli", "Salerno"), "friuli_venezia_giulia": ("Trieste",), "piemonte": ("Torino",),
                "veneto": ("Padova", "Verona"), "lazio": ("Roma",), "lombardia": ("Milano", "Bergamo"),
                "liguria": ("Genova",), "sicilia": ("Catania",), "emilia_romagna": ("Bologna",),
            },
            "extras": (("organic", "EU Organic", 0.2), ("other", "Espresso Italiano Certificato", 0.3)),
            "products": [
                ("Miscela Espresso in grani 1 kg", "Espresso Blend Beans 1 kg", "意式浓缩咖啡豆 1公斤", 168, 298,
                 "Coffee beans"),
                ("Macinato per moka 250 g", "Moka Ground Coffee 250 g", "摩卡壶研磨咖啡粉 250克", 48, 88,
                 "Ground coffee"),
                ("Capsule compatibili, 50 pezzi", "Compatible Capsules, 50 pcs", "兼容咖啡胶囊 50粒", 98, 168,
                 "Coffee capsules"),
                ("100% Arabica in grani 500 g", "100% Arabica Beans 500 g", "100%阿拉比卡咖啡豆 500克", 108, 198,
                 "Coffee beans"),
            ],
        },
        {
            "name": "Chocolate", "code": "CO", "count": 3,
            "names": [("Cioccolateria {n}", "{n} Chocolate", "巧克力工坊"), ("Dolciaria {n}", "{n} Confectionery",
                                                                          "甜品坊")],
            "what": ("cioccolato artigianale", "artisan chocolate", "手工巧克力"),
            "origin": ("il primo laboratorio", "the first workshop", "第一间巧克力工坊"),
            "details": [
                ("Le fave di cacao sono tostate e raffinate in casa.",
                 "Cocoa beans are roasted and refined in-house.", "可可豆在自家工坊烘焙和精磨。"),
                ("Le ricette non usano grassi vegetali diversi dal burro di cacao.",
                 "The recipes use no vegetable fat other than cocoa butter.", "配方中除可可脂外不含其他植物油脂。"),
            ],
            "regions": {
                "piemonte": ("Torino", "Alba", "Cuneo"), "sicilia": ("Modica",), "toscana": ("Pontedera", "Prato"),
                "umbria": ("Perugia",), "lombardia": ("Milano",), "veneto": ("Verona",),
            },
            "certs": {"sicilia": ("Cioccolato di Modica IGP",), "piemonte": ("Nocciola Piemonte IGP",)},
            "extras": (("organic", "EU Organic", 0.15),),
            "products": [
                ("Gianduiotti assortiti 250 g", "Assorted Gianduiotti 250 g", "什锦榛子巧克力 250克", 88, 168,
                 "Chocolate"),
                ("Tavoletta fondente 70% 100 g", "70% Dark Chocolate Bar 100 g", "70%黑巧克力 100克", 38, 78,
                 "Chocolate bar"),
                ("Crema spalmabile alle nocciole 200 g", "Hazelnut Spread 200 g", "榛子酱 200克", 58, 108, "Spread"),
                ("Scatola pralineria 24 pezzi", "24-piece Praline Gift Box", "24粒夹心巧克力礼盒", 198, 398,
                 "Gift box"),
            ],
        },
        {
            "name": "Spirits", "code": "SP", "count": 3,
            "names": [("Distilleria {n}", "{n} Distillery", "酒厂"), ("Liquorificio {n}", "{n} Liqueurs", "利口酒坊")],
            "what": ("grappe, amari e liquori", "grappas, amari and liqueurs", "格拉帕、苦味酒与利口酒"),
            "origin": ("il primo alambicco", "the first still", "第一台蒸馏器"),
            "details": [
                ("La distillazione avviene in alambicchi discontinui di rame.",
                 "Distillation takes place in copper pot stills.", "采用铜制壶式蒸馏器分批蒸馏。"),
                ("Erbe e agrumi sono raccolti a mano nella zona.",
                 "Herbs and citrus are hand-picked locally.", "草本与柑橘均在当地手工采摘。"),
            ],
            "regions": {
                "veneto": ("Bassano del Grappa", "Conegliano"), "friuli_venezia_giulia": ("Gorizia",),
                "trentino_alto_adige": ("Trento",), "piemonte": ("Torino", "Canelli"),
                "campania": ("Amalfi", "Sorrento"),
                "calabria": ("Reggio Calabria",), "sicilia": ("Caltanissetta",), "valle_d_aosta": ("Aosta",),
                "abruzzo": ("Sulmona",), "sardegna": ("Cagliari",),
            },
            "certs": {
                "veneto": ("Grappa Veneta IG",), "friuli_venezia_giulia": ("Grappa Friulana IG",),
                "trentino_alto_adige": ("Grappa Trentina IG",), "piemonte": ("Vermouth di Torino IG",),
                "Amalfi": ("Limone Costa d'Amalfi IGP",), "Sorrento": ("Limone di Sorrento IGP",),
                "calabria": ("Bergamotto di Reggio Calabria DOP",), "valle_d_aosta": ("Grappa della Valle d'Aosta IG",),
            },
            "products": [
                ("Grappa riserva 700 ml", "Reserve Grappa 700 ml", "珍藏格拉帕 700毫升", 268, 568, "Grappa"),
                ("Amaro alle erbe 700 ml", "Herbal Amaro 700 ml", "草本苦味酒 700毫升", 198, 368, "Liqueur"),
                ("Limoncello 500 ml", "Limoncello 500 ml", "柠檬甜酒 500毫升", 128, 228, "Liqueur"),
                ("Vermouth rosso 750 ml", "Red Vermouth 750 ml", "红味美思 750毫升", 168, 328, "Aromatised wine"),
                ("Gin botanico 700 ml", "Botanical Gin 700 ml", "植物风味金酒 700毫升", 238, 428, "Gin"),
            ],
        },
        {
            "name": "Biscuits", "code": "BI", "count": 3,
            "names": [("Biscottificio {n}", "{n} Biscuits", "饼干坊"), ("Forno {n}", "{n} Bakery", "烘焙坊")],
            "what": ("biscotti e dolci da forno", "biscuits and baked sweets", "饼干与烘焙甜点"),
            "origin": ("il primo forno", "the first bakery", "第一间烘焙坊"),
            "details": [
                ("Gli impasti usano burro fresco e uova da galline allevate a terra.",
                 "The doughs use fresh butter and barn-laid eggs.", "面团采用新鲜黄油和散养鸡蛋。"),
                ("I biscotti sono sfornati ogni giorno in piccole quantità.",
                 "Biscuits are baked daily in small batches.", "饼干每天小批量新鲜出炉。"),
            ],
            "regions": {
                "toscana": ("Prato", "Siena"), "piemonte": ("Novara",), "lombardia": ("Saronno", "Cremona"),
                "veneto": ("Vicenza",), "sardegna": ("Sassari",), "sicilia": ("Palermo",),
                "emilia_romagna": ("Ferrara",),
                "liguria": ("Sanremo",),
            },
            "certs": {"toscana": ("Cantucci Toscani IGP",)},
            "extras": (("organic", "EU Organic", 0.2),),
            "products": [
                ("Cantucci alle mandorle 250 g", "Almond Cantucci 250 g", "杏仁脆饼 250克", 48, 88, "Biscuits"),
                ("Frollini al burro 300 g", "Butter Shortbread 300 g", "黄油酥饼 300克", 38, 78, "Biscuits"),
                ("Amaretti morbidi 200 g", "Soft Amaretti 200 g", "软心杏仁饼 200克", 48, 88, "Biscuits"),
                ("Latta regalo assortita 500 g", "Assorted Gift Tin 500 g", "什锦饼干礼盒 500克", 128, 238, "Gift box"),
            ],
        },
    ],
    "fashion": [
        {
            "name": "Leather goods", "code": "LG", "count": 6,
            "names": [("Pelletteria {n}", "{n} Leather", "皮具"), ("Atelier {n}", "{n} Atelier", "皮具工坊")],
            "what": ("borse e piccola pelletteria in cuoio conciato al vegetale",
                     "bags and small leather goods in vegetable-tanned leather", "植鞣皮手袋与小皮具"),
            "origin": ("la prima bottega artigiana", "the first artisan workshop", "第一间手工作坊"),
            "details": [
                ("Ogni borsa è tagliata e cucita a mano da artigiani esperti.",
                 "Every bag is cut and stitched by hand by experienced artisans.",
                 "每只包袋均由资深工匠手工裁剪和缝制。"),
                ("Le pelli provengono da concerie italiane certificate.",
                 "Hides come from certified Italian tanneries.", "皮料来自经认证的意大利制革厂。"),
            ],
            "regions": {
                "toscana": ("Firenze", "Scandicci", "Santa Croce sull'Arno"), "campania": ("Napoli", "Solofra"),
                "marche": ("Tolentino",), "veneto": ("Arzignano",), "lombardia": ("Milano",), "lazio": ("Roma",),
            },
            "extras": (MADE_IN_ITALY, ("other", "Pelle Conciata al Vegetale", 0.2)),
            "products": [
                ("Borsa a spalla in pelle", "Leather Shoulder Bag", "真皮单肩包", 1680, 4980, "Bags"),
                ("Portafoglio in vacchetta", "Calfskin Wallet", "小牛皮钱包", 580, 1280, "Small leather goods"),
                ("Cintura in cuoio", "Leather Belt", "真皮腰带", 480, 980, "Belts"),
                ("Porta carte", "Card Holder", "卡包", 280, 680, "Small leather goods"),
                ("Borsa weekend", "Weekend Bag", "周末旅行包", 2680, 5980, "Bags"),
            ],
        },
        {
            "name": "Knitwear", "code": "KN", "count": 5,
            "names": [("Maglificio {n}", "{n} Knitwear", "针织坊")],
            "what": ("maglieria in cashmere e lana merino", "cashmere and merino wool knitwear",
                     "羊绒与美利奴羊毛针织服饰"),
            "origin": ("il primo maglificio", "the first knitting mill", "第一间针织厂"),
            "details": [
                ("I filati sono lavorati su telai rettilinei e rifiniti a mano.",
                 "Yarns are worked on flat-bed machines and finished by hand.", "纱线在横机上编织后由手工完成收尾。"),
                ("Ogni capo viene lavato e controllato uno per uno.",
                 "Each garment is washed and inspected individually.", "每件衣物都逐一洗涤和检验。"),
            ],
            "regions": {
                "emilia_romagna": ("Carpi",), "umbria": ("Corciano", "Perugia"), "piemonte": ("Biella",),
                "veneto": ("Treviso",), "lombardia": ("Bergamo",), "valle_d_aosta": ("Aosta",), "marche": ("Fermo",),
                "trentino_alto_adige": ("Bolzano",),
            },
            "extras": (MADE_IN_ITALY,),
            "products": [
                ("Maglione girocollo in cashmere", "Cashmere Crew-neck Sweater", "羊绒圆领毛衣", 1980, 4680,
                 "Knitwear"),
                ("Cardigan in merino", "Merino Cardigan", "美利奴羊毛开衫", 980, 2280, "Knitwear"),
                ("Sciarpa in cashmere", "Cashmere Scarf", "羊绒围巾", 880, 1880, "Accessories"),
                ("Dolcevita in lana", "Wool Turtleneck", "羊毛高领衫", 880, 1980, "Knitwear"),
            ],
        },
        {
            "name": "Footwear", "code": "FW", "count": 5,
            "names": [("Calzaturificio {n}", "{n} Shoes", "鞋履"), ("Calzoleria {n}", "{n} Shoemakers", "制鞋坊")],
            "what": ("calzature in pelle lavorate a mano", "handmade leather shoes", "手工皮鞋"),
            "origin": ("il primo calzaturificio", "the first shoe workshop", "第一间制鞋作坊"),
            "details": [
                ("Le suole sono cucite con il metodo Goodyear.", "Soles are Goodyear-welted.",
                 "鞋底采用固特异工艺缝制。"),
                ("Ogni paio richiede oltre duecento passaggi manuali.",
                 "Each pair takes more than two hundred manual steps.", "每双鞋需要经过两百多道手工工序。"),
            ],
            "regions": {
                "marche": ("Fermo", "Civitanova Marche", "Porto Sant'Elpidio"), "veneto": ("Stra", "Fiesso d'Artico"),
                "lombardia": ("Vigevano", "Parabiago"), "puglia": ("Casarano", "Barletta"), "campania": ("Napoli",),
                "emilia_romagna": ("San Mauro Pascoli",), "toscana": ("Lucca",),
            },
            "extras": (MADE_IN_ITALY,),
            "products": [
                ("Mocassino in pelle", "Leather Loafer", "真皮乐福鞋", 1680, 3680, "Shoes"),
                ("Stringata Oxford", "Oxford Lace-up", "牛津系带皮鞋", 1980, 4280, "Shoes"),
                ("Sneaker in nappa", "Nappa Leather Sneaker", "纳帕皮运动鞋", 1280, 2680, "Sneakers"),
                ("Stivaletto Chelsea", "Chelsea Boot", "切尔西短靴", 2280, 4680, "Boots"),
                ("Sandalo in cuoio", "Leather Sandal", "真皮凉鞋", 880, 1880, "Sandals"),
            ],
        },
        {
            "name": "Jewellery", "code": "JW", "count": 5,
            "names": [("Oreficeria {n}", "{n} Jewellery", "珠宝"), ("Gioielli {n}", "{n} Fine Jewellery", "金饰坊")],
            "what": ("gioielli in oro e argento", "gold and silver jewellery", "金银首饰"),
            "origin": ("il primo banco orafo", "the first goldsmith's bench", "第一张金匠工作台"),
            "details": [
                ("Ogni pezzo è modellato, saldato e incastonato a mano.",
                 "Each piece is modelled, soldered and set by hand.", "每件作品都经手工塑形、焊接与镶嵌。"),
                ("L'oro utilizzato proviene da filiere certificate.",
                 "The gold comes from certified supply chains.", "所用黄金来自经认证的供应链。"),
            ],
            "regions": {
                "veneto": ("Vicenza", "Bassano del Grappa"), "toscana": ("Arezzo", "Firenze"), "piemonte": ("Valenza",),
                "campania": ("Torre del Greco",), "sardegna": ("Bosa",), "lazio": ("Roma",), "sicilia": ("Trapani",),
                "lombardia": ("Milano",),
            },
            "extras": (MADE_IN_ITALY,),
            "products": [
                ("Anello in oro 18 carati", "18k Gold Ring", "18K金戒指", 3680, 9800, "Rings"),
                ("Orecchini in argento", "Silver Earrings", "银耳环", 680, 1580, "Earrings"),
                ("Collana con pendente", "Pendant Necklace", "吊坠项链", 1880, 5680, "Necklaces"),
                ("Bracciale rigido", "Bangle", "手镯", 1480, 4280, "Bracelets"),
            ],
        },
        {
            "name": "Tailoring", "code": "TL", "count": 4,
            "names": [("Sartoria {n}", "{n} Tailoring", "裁缝坊"), ("Camiceria {n}", "{n} Shirtmakers", "衬衫坊")],
            "what": ("abiti e camicie su misura", "made-to-measure suits and shirts", "量身定制西装与衬衫"),
            "origin": ("la prima sartoria", "the first tailor's shop", "第一间裁缝铺"),
            "details": [
                ("Le giacche sono costruite a mano con tela interna cucita.",
                 "Jackets are hand-built with sewn canvas interlinings.", "西装采用手工缝制的全麻衬结构。"),
                ("Ogni cliente sceglie tra oltre mille tessuti.",
                 "Each client chooses from more than a thousand fabrics.", "每位顾客可从一千多种面料中挑选。"),
            ],
            "regions": {
                "campania": ("Napoli",), "lazio": ("Roma",), "lombardia": ("Milano",), "abruzzo": ("Penne", "Pescara"),
                "puglia": ("Martina Franca",), "sicilia": ("Palermo",), "piemonte": ("Torino",),
            },
            "extras": (MADE_IN_ITALY,),
            "products": [
                ("Giacca sfoderata in lino", "Unlined Linen Jacket", "无衬里亚麻西装外套", 4680, 9800, "Jackets"),
                ("Camicia in popeline su misura", "Made-to-measure Poplin Shirt", "定制府绸衬衫", 980, 1980, "Shirts"),
                ("Abito due pezzi in lana", "Two-piece Wool Suit", "羊毛两件套西装", 8800, 18800, "Suits"),
                ("Cravatta sette pieghe", "Seven-fold Tie", "七折领带", 680, 1280, "Ties"),
            ],
        },
        {
            "name": "Eyewear", "code": "EY", "count": 3,
            "names": [("Occhialeria {n}", "{n} Eyewear", "眼镜")],
            "what": ("occhiali in acetato e titanio", "acetate and titanium eyewear", "醋酸纤维与钛金属眼镜"),
            "origin": ("il primo laboratorio di occhiali", "the first eyewear workshop", "第一间眼镜作坊"),
            "details": [
                ("Le montature vengono lucidate a mano per tre giorni.",
                 "Frames are hand-polished over three days.", "镜框需经三天手工抛光。"),
                ("Ogni modello è disegnato e prototipato in casa.",
                 "Every model is designed and prototyped in-house.", "每款镜框都在自家工坊设计与打样。"),
            ],
            "regions": {
                "veneto": ("Belluno", "Agordo", "Pieve di Cadore"), "friuli_venezia_giulia": ("Pordenone",),
                "lombardia": ("Milano",),
            },
            "extras": (MADE_IN_ITALY,),
            "products": [
                ("Occhiale da sole in acetato", "Acetate Sunglasses", "醋酸纤维太阳镜", 1280, 2680, "Sunglasses"),
                ("Montatura da vista in titanio", "Titanium Optical Frame", "钛金属光学镜架", 1480, 2980,
                 "Optical frames"),
                ("Occhiale da sole pilota", "Aviator Sunglasses", "飞行员太阳镜", 1180, 2380, "Sunglasses"),
                ("Astuccio in pelle", "Leather Glasses Case", "皮质眼镜盒", 280, 580, "Accessories"),
            ],
        },
        {
            "name": "Silk", "code": "SK", "count": 3,
            "names": [("Setificio {n}", "{n} Silk", "丝绸"), ("Seterie {n}", "{n} Silk Mills", "丝织坊")],
            "what": ("foulard, cravatte e tessuti in seta stampata", "printed silk scarves, ties and fabrics",
                     "印花真丝围巾、领带与面料"),
            "origin": ("la prima stamperia", "the first printing works", "第一间印染坊"),
            "details": [
                ("Ogni disegno è inciso su quadri e stampato a mano.",
                 "Each design is engraved on screens and printed by hand.", "每款图案都刻制丝网并手工印制。"),
                ("Gli orli dei foulard sono arrotolati e cuciti a mano.",
                 "Scarf hems are hand-rolled and stitched.", "丝巾卷边全部手工缝制。"),
            ],
            "regions": {
                "lombardia": ("Como", "Cernobbio", "Grandate"), "campania": ("Caserta",), "calabria": ("Catanzaro",),
            },
            "extras": (MADE_IN_ITALY,),
            "products": [
                ("Foulard in seta stampata 90x90", "Printed Silk Scarf 90x90 cm", "印花真丝方巾 90x90厘米", 880, 1880,
                 "Scarves"),
                ("Cravatta in seta", "Silk Tie", "真丝领带", 580, 1180, "Ties"),
                ("Stola in seta e cashmere", "Silk and Cashmere Stole", "真丝羊绒披肩", 1280, 2680, "Scarves"),
                ("Pochette in twill di seta", "Silk Twill Pocket Square", "真丝斜纹口袋巾", 380, 780, "Accessories"),
            ],
        },
        {
            "name": "Hats", "code": "HA", "count": 3,
            "names": [("Cappellificio {n}", "{n} Hats", "帽坊")],
            "what": ("cappelli in feltro e paglia", "felt and straw hats", "毛毡帽与草帽"),
            "origin": ("il primo cappellificio", "the first hat workshop", "第一间制帽作坊"),
            "details": [
                ("Le tese sono modellate a vapore su forme in legno.",
                 "Brims are steam-shaped on wooden blocks.", "帽檐在木模上经蒸汽定型。"),
                ("Ogni cappello è rifinito con nastro in gros-grain.",
                 "Each hat is finished with grosgrain ribbon.", "每顶帽子都以罗缎丝带收边。"),
            ],
            "regions": {
                "toscana": ("Signa", "Campi Bisenzio"), "piemonte": ("Alessandria",),
                "marche": ("Montappone", "Massa Fermana"), "lombardia": ("Monza",),
            },
            "extras": (MADE_IN_ITALY,),
            "products": [
                ("Panama intrecciato a mano", "Hand-woven Panama Hat", "手工编织巴拿马草帽", 1280, 2680, "Hats"),
                ("Fedora in feltro", "Felt Fedora", "毛毡礼帽", 1680, 3280, "Hats"),
                ("Coppola in tweed", "Tweed Flat Cap", "粗花呢鸭舌帽", 480, 980, "Caps"),
                ("Cappello di paglia a tesa larga", "Wide-brim Straw Hat", "宽檐草帽", 880, 1880, "Hats"),
            ],
        },
    ],
    "lifestyle": [
        {
            "name": "Ceramics", "code": "CE", "count": 6,
            "names": [("Ceramiche {n}", "{n} Ceramics", "陶瓷"), ("Bottega Ceramica {n}", "{n} Pottery", "陶艺坊")],
            "what": ("ceramiche dipinte a mano", "hand-painted ceramics", "手绘陶瓷"),
            "origin": ("la prima fornace", "the first kiln", "第一座窑炉"),
            "details": [
                ("Ogni pezzo è decorato a pennello con smalti tradizionali.",
                 "Every piece is brush-decorated with traditional glazes.", "每件作品都用传统釉料手工彩绘。"),
                ("L'argilla viene cotta due volte per smalti brillanti.",
                 "The clay is fired twice for bright glazes.", "陶土经过两次烧制，釉色明亮。"),
            ],
            "regions": {
                "umbria": ("Deruta", "Gubbio"), "campania": ("Vietri sul Mare",), "sicilia": ("Caltagirone",),
                "emilia_romagna": ("Faenza",), "liguria": ("Albisola Superiore",), "puglia": ("Grottaglie",),
                "abruzzo": ("Castelli",), "toscana": ("Montelupo Fiorentino", "Impruneta"),
                "lazio": ("Civita Castellana",),
                "marche": ("Pesaro",), "basilicata": ("Matera",), "sardegna": ("Oristano",), "veneto": ("Nove",),
            },
            "extras": (MADE_IN_ITALY,),
            "products": [
                ("Piatto decorato a mano 30 cm", "Hand-painted Plate, 30 cm", "手绘陶盘 30厘米", 380, 880, "Tableware"),
                ("Set 4 tazzine da caffè", "Set of 4 Espresso Cups", "意式咖啡杯四件套", 280, 580, "Tableware"),
                ("Vaso in maiolica", "Majolica Vase", "马约利卡陶瓶", 680, 1680, "Decor"),
                ("Centrotavola", "Centrepiece Bowl", "桌面装饰果盘", 480, 1080, "Decor"),
            ],
        },
        {
            "name": "Home textiles", "code": "TX", "count": 5,
            "names": [("Tessitura {n}", "{n} Textiles", "织造坊"), ("Lanificio {n}", "{n} Wool Mill", "毛纺坊")],
            "what": ("tessili per la casa in lino, cotone e lana", "linen, cotton and wool home textiles",
                     "亚麻、棉与羊毛家纺"),
            "origin": ("il primo telaio", "the first loom", "第一台织机"),
            "details": [
                ("I tessuti sono realizzati su telai jacquard.", "Fabrics are woven on jacquard looms.",
                 "面料在提花织机上织造。"),
                ("Si usano solo fibre naturali e tinture a basso impatto.",
                 "Only natural fibres and low-impact dyes are used.", "仅使用天然纤维和低影响染料。"),
            ],
            "regions": {
                "lombardia": ("Busto Arsizio",), "toscana": ("Prato",), "piemonte": ("Biella",),
                "umbria": ("Montefalco", "Città di Castello"), "sardegna": ("Samugheo", "Nule"),
                "emilia_romagna": ("Santarcangelo di Romagna",), "trentino_alto_adige": ("Bressanone",),
                "valle_d_aosta": ("Valgrisenche",), "calabria": ("Longobucco",), "veneto": ("Venezia",),
            },
            "extras": (MADE_IN_ITALY, ("other", "OEKO-TEX Standard 100", 0.35)),
            "products": [
                ("Set lenzuola in lino", "Linen Sheet Set", "亚麻床品套件", 1280, 2880, "Bed linen"),
                ("Tovaglia jacquard", "Jacquard Tablecloth", "提花桌布", 580, 1280, "Table linen"),
                ("Plaid in lana", "Wool Throw", "羊毛盖毯", 980, 2280, "Throws"),
                ("Set asciugamani in spugna", "Terry Towel Set", "毛巾浴巾套装", 380, 880, "Bath linen"),
            ],
        },
        {
            "name": "Cosmetics", "code": "CS", "count": 5,
            "names": [("Officina Cosmetica {n}", "{n} Skincare", "护肤工坊"), ("Laboratorio {n}", "{n} Botanicals",
                                                                           "植萃工坊")],
            "what": ("cosmetici naturali con ingredienti del territorio", "natural cosmetics with local ingredients",
                     "以当地原料制成的天然护肤品"),
            "origin": ("la prima erboristeria", "the first herbalist's shop", "第一间草本店"),
            "details": [
                ("Le formule usano oli vegetali spremuti a freddo.", "Formulas use cold-pressed plant oils.",
                 "配方采用冷榨植物油。"),
                ("I prodotti sono testati dermatologicamente e mai sugli animali.",
                 "Products are dermatologically tested and never on animals.",
                 "产品均经皮肤科测试，且从不进行动物试验。"),
            ],
            "regions": {
                "toscana": ("Firenze", "Siena"), "lombardia": ("Milano",), "calabria": ("Reggio Calabria",),
                "sicilia": ("Catania", "Taormina"), "puglia": ("Lecce",), "liguria": ("Sanremo",),
                "piemonte": ("Torino",),
                "emilia_romagna": ("Bologna",), "lazio": ("Roma",), "sardegna": ("Cagliari",),
            },
            "extras": (("organic", "Cosmesi biologica certificata", 0.35), (*MADE_IN_ITALY[:2], 0.3)),
            "products": [
                ("Crema viso idratante 50 ml", "Moisturising Face Cream 50 ml", "保湿面霜 50毫升", 268, 568,
                 "Skincare"),
                ("Siero all'olio d'oliva 30 ml", "Olive Oil Serum 30 ml", "橄榄油精华 30毫升", 328, 688, "Skincare"),
                ("Sapone naturale 100 g", "Natural Soap 100 g", "天然手工皂 100克", 58, 128, "Body care"),
                ("Crema mani 75 ml", "Hand Cream 75 ml", "护手霜 75毫升", 98, 198, "Body care"),
                ("Eau de toilette 100 ml", "Eau de Toilette 100 ml", "淡香水 100毫升", 480, 980, "Fragrance"),
            ],
        },
        {
            "name": "Glassware", "code": "GL", "count": 4,
            "names": [("Vetreria {n}", "{n} Glassworks", "玻璃工坊"), ("Cristalleria {n}", "{n} Crystal", "水晶坊")],
            "what": ("vetro soffiato e cristallo lavorati a mano", "hand-worked blown glass and crystal",
                     "手工吹制玻璃与水晶器皿"),
            "origin": ("la prima fornace", "the first furnace", "第一座熔炉"),
            "details": [
                ("Ogni bicchiere è soffiato a bocca e molato a mano.", "Each glass is mouth-blown and hand-ground.",
                 "每只杯子都由人工吹制并手工打磨。"),
                ("I maestri vetrai lavorano in coppia davanti alla fornace.",
                 "Master glassmakers work in pairs at the furnace.", "玻璃大师们在熔炉前两人一组协作。"),
            ],
            "regions": {
                "veneto": ("Murano", "Venezia"), "toscana": ("Colle di Val d'Elsa", "Empoli"), "liguria": ("Altare",),
                "umbria": ("Piegaro",),
            },
            "extras": (MADE_IN_ITALY,),
            "products": [
                ("Calici da vino, set da 2", "Wine Glasses, Set of 2", "葡萄酒杯两只装", 480, 1180, "Glassware"),
                ("Caraffa soffiata", "Blown Glass Carafe", "吹制玻璃醒酒瓶", 580, 1380, "Glassware"),
                ("Vaso in vetro", "Glass Vase", "玻璃花瓶", 880, 2680, "Decor"),
                ("Bicchieri colorati, set da 6", "Coloured Tumblers, Set of 6", "彩色玻璃杯六件套", 680, 1480,
                 "Glassware"),
            ],
        },
        {
            "name": "Design furniture", "code": "FU", "count": 4,
            "names": [("Mobilificio {n}", "{n} Furniture", "家具"), ("{n} Design", "{n} Design", "设计")],
            "what": ("arredi in legno massello dal design contemporaneo", "contemporary design furniture in solid wood",
                     "当代设计实木家具"),
            "origin": ("la prima falegnameria", "the first carpentry workshop", "第一间木工坊"),
            "details": [
                ("Gli incastri sono realizzati a mano senza viti metalliche.",
                 "Joints are made by hand without metal screws.", "榫卯接合全部手工完成，不使用金属螺丝。"),
                ("Il legno proviene da foreste gestite in modo sostenibile.",
                 "The wood comes from sustainably managed forests.", "木材来自可持续管理的森林。"),
            ],
            "regions": {
                "lombardia": ("Cantù", "Meda", "Lissone"), "veneto": ("Bassano del Grappa", "Treviso"),
                "friuli_venezia_giulia": ("Manzano", "Udine"), "marche": ("Pesaro",), "toscana": ("Cascina",),
                "emilia_romagna": ("Forlì",), "trentino_alto_adige": ("Ortisei",), "valle_d_aosta": ("Aosta",),
            },
            "extras": (MADE_IN_ITALY, ("other", "FSC Chain of Custody", 0.4)),
            "products": [
                ("Sedia in frassino", "Ash Wood Chair", "白蜡木餐椅", 1980, 4680, "Chairs"),
                ("Tavolino in noce", "Walnut Side Table", "胡桃木边几", 2680, 6800, "Tables"),
                ("Lampada da tavolo", "Table Lamp", "设计台灯", 1280, 3280, "Lighting"),
                ("Libreria modulare", "Modular Bookcase", "模块化书架", 5800, 12800, "Storage"),
            ],
        },
        {
            "name": "Kitchenware", "code": "KW", "count": 4,
            "names": [("Coltelleria {n}", "{n} Knives", "刀具"), ("Officina {n}", "{n} Cookware", "厨具")],
            "what": ("coltelli e utensili da cucina forgiati", "forged kitchen knives and cookware", "锻造厨刀与厨具"),
            "origin": ("la prima forgia", "the first forge", "第一座锻造炉"),
            "details": [
                ("Le lame sono forgiate e affilate a mano.", "Blades are forged and sharpened by hand.",
                 "刀刃全部手工锻造和开刃。"),
                ("I manici sono in legno d'ulivo e corno.", "Handles are made of olive wood and horn.",
                 "刀柄采用橄榄木与牛角制成。"),
            ],
            "regions": {
                "friuli_venezia_giulia": ("Maniago",), "lombardia": ("Lumezzane", "Premana"), "piemonte": ("Omegna",),
                "sardegna": ("Pattada", "Arbus"), "molise": ("Frosolone",), "toscana": ("Scarperia",),
            },
            "extras": (MADE_IN_ITALY,),
            "products": [
                ("Coltello da cuoco 20 cm", "Chef's Knife 20 cm", "20厘米主厨刀", 680, 1480, "Knives"),
                ("Set 6 coltelli da bistecca", "Set of 6 Steak Knives", "牛排刀六件套", 880, 1980, "Knives"),
                ("Padella in rame", "Copper Frying Pan", "铜制煎锅", 980, 2280, "Cookware"),
                ("Caffettiera moka 6 tazze", "6-cup Moka Pot", "六杯份摩卡壶", 280, 580, "Coffee makers"),
                ("Tagliere in ulivo", "Olive Wood Chopping Board", "橄榄木砧板", 280, 680, "Kitchen tools"),
            ],
        },
        {
            "name": "Stationery", "code": "ST", "count": 3,
            "names": [("Cartiera {n}", "{n} Paper", "纸坊"), ("Legatoria {n}", "{n} Bindery", "装帧坊")],
            "what": ("carta fatta a mano, quaderni e articoli da scrivania", "handmade paper, notebooks and desk items",
                     "手工纸、笔记本与桌面文具"),
            "origin": ("la prima legatoria", "the first bindery", "第一间装订作坊"),
            "details": [
                ("I quaderni sono cuciti a filo e rilegati in pelle.", "Notebooks are thread-sewn and leather-bound.",
                 "笔记本采用线装并以皮革装帧。"),
                ("La carta è prodotta da stracci di cotone, foglio per foglio.",
                 "The paper is made from cotton rags, sheet by sheet.", "纸张以棉布浆逐张手工抄制而成。"),
            ],
            "regions": {
                "marche": ("Fabriano",), "campania": ("Amalfi",), "toscana": ("Firenze",), "veneto": ("Venezia",),
                "emilia_romagna": ("Bologna",),
            },
            "extras": (MADE_IN_ITALY, ("other", "FSC Chain of Custody", 0.3)),
            "products": [
                ("Quaderno rilegato in pelle A5", "Leather-bound A5 Notebook", "A5皮面笔记本", 280, 580, "Notebooks"),
                ("Set carta da lettere", "Writing Paper Set", "信纸信封套装", 180, 380, "Paper"),
                ("Penna stilografica", "Fountain Pen", "钢笔", 880, 2280, "Writing instruments"),
                ("Agenda settimanale", "Weekly Planner", "周计划本", 198, 398, "Notebooks"),
            ],
        },
        {
            "name": "Home fragrances", "code": "HF", "count": 3,
            "names": [("Profumeria {n}", "{n} Fragrances", "香氛"), ("Essenze {n}", "{n} Scents", "香氛坊")],
            "what": ("candele e profumi per la casa", "candles and home fragrances", "香薰蜡烛与家居香氛"),
            "origin": ("la prima bottega", "the first shop", "第一间小店"),
            "details": [
                ("Le candele sono colate a mano in cera vegetale.", "Candles are hand-poured in plant-based wax.",
                 "蜡烛以植物蜡手工浇注而成。"),
                ("Le fragranze nascono da agrumi ed erbe mediterranee.",
                 "The scents draw on Mediterranean citrus and herbs.", "香调源自地中海柑橘与草本。"),
            ],
            "regions": {
                "toscana": ("Firenze", "Lucca"), "liguria": ("Sanremo", "Genova"), "calabria": ("Reggio Calabria",),
                "sicilia": ("Siracusa",), "lombardia": ("Milano",), "veneto": ("Venezia",), "campania": ("Sorrento",),
                "puglia": ("Lecce",),
            },
            "extras": (MADE_IN_ITALY,),
            "products": [
                ("Candela profumata 200 g", "Scented Candle 200 g", "香薰蜡烛 200克", 280, 580, "Candles"),
                ("Diffusore a bastoncini 250 ml", "Reed Diffuser 250 ml", "藤条香薰 250毫升", 380, 780, "Diffusers"),
                ("Spray per ambienti 100 ml", "Room Spray 100 ml", "室内香氛喷雾 100毫升", 180, 380, "Room sprays"),
                ("Sacchetti profumati, set da 3", "Scented Sachets, Set of 3", "香囊三件套", 128, 268, "Sachets"),
            ],
        },
    ],
}  # fmt: skip

# How much of the demo registry each region gets, roughly (divided by how often it was already used).
REGION_WEIGHT = {
    "toscana": 3, "lombardia": 3, "veneto": 3, "piemonte": 2.5, "emilia_romagna": 2.5, "campania": 2.5, "puglia": 2,
    "sicilia": 2, "marche": 1.5, "umbria": 1.5, "lazio": 1.5, "trentino_alto_adige": 1.2, "friuli_venezia_giulia": 1.2,
    "sardegna": 1.2, "liguria": 1, "abruzzo": 1, "calabria": 1, "basilicata": 0.7, "molise": 0.6, "valle_d_aosta": 0.6,
}  # fmt: skip
# Share of brands named after a place rather than a family, per category.
PLACE_SHARE = {"food_beverage": 0.55, "fashion": 0.15, "lifestyle": 0.4}
STATUSES = ["active"] * 78 + ["onboarding"] * 13 + ["paused"] * 10 + ["left"] * 2
STORE_TYPES = {
    "tmall_global": ("flagship", "official"), "tmall": ("flagship", "official", "distributor"),
    "taobao": ("official", "distributor"), "pinduoduo": ("official", "distributor"),
    "hema": ("pavilion", "distributor"),
    "jd": ("flagship", "official"), "red": ("official",), "douyin": ("official", "flagship"),
    "wechat": ("mini_program",),
}  # fmt: skip
EXTRA_PLATFORMS = ("red", "douyin", "jd", "wechat", "tmall", "hema", "taobao", "pinduoduo")
DIRECT_PLATFORMS = ("tmall_global", "hema", "jd", "red", "douyin", "pinduoduo")
CERT_SUFFIXES = {"DOCG": "docg", "DOC": "doc", "DOP": "dop", "IGP": "igp", "IGT": "igt", "STG": "stg"}


def _pick_region(rng: random.Random, sub: dict, use: dict) -> str:
    """A plausible region for the sub-category: big producer regions first, then spread over all twenty."""
    regions = list(sub["regions"])
    weights = [REGION_WEIGHT[r] / (1 + use[r]) ** 2 / (1 + 3 * use.get((sub["name"], r), 0)) for r in regions]
    return rng.choices(regions, weights=weights)[0]


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", _ascii(text).lower()).strip("-")[:80].rstrip("-")


def _initials(text: str) -> str:
    words = [w for w in re.split(r"[\s']+", _ascii(text)) if w[:1].isupper() or w[:1].isdigit()]
    return (words[0][0] + (words[-1][0] if len(words) > 1 else "")).upper() if words else "?"


def _code_prefix(part: str) -> str:
    words = [w for w in re.split(r"[\s']+", _ascii(part)) if w[:1].isupper()]
    return "".join(w[0] for w in words).upper() if len(words) > 1 else re.sub(r"[^A-Z]", "", part.upper())[:3]


def _cert_kind(label: str) -> str:
    return CERT_SUFFIXES.get(label.rsplit(" ", 1)[-1], "other")


def _random_date(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def _price(rng: random.Random, low: int, high: int) -> Decimal:
    value = rng.randint(low, high)
    value = value // 100 * 100 + 80 if value >= 1000 else value // 10 * 10 + 8
    return Decimal(value).quantize(Decimal("0.01"))


def _take_part(pools: dict, kind: str, region: str) -> tuple:
    """The first unused name part of ``kind`` fitting the region (region-bound surnames first), else another kind."""
    for pool in (pools[kind], pools["place" if kind == "family" else "family"]):
        fitting = [p for p in pool if len(p) > 2 and p[2] == region] or [p for p in pool if len(p) == 2]
        if fitting:
            pool.remove(fitting[0])
            return fitting[0]
    raise RuntimeError("Not enough name parts for the demo brands.")


def _texts(rng: random.Random, ctx: dict, sub: dict) -> dict:
    """Descriptions and stories in it / en / zh-hans; a few left blank on purpose."""
    detail, story_detail = rng.sample(sub["details"], 2)
    value = rng.choice(VALUES)
    generation = min(5, (2026 - ctx["year"]) // 27)
    gen = GENERATIONS[max(generation, 1) - 1]
    ctx = {**ctx, "gen_it": gen[0], "gen_en": gen[1], "gen_zh": gen[2]}
    for key, triple in (("what", sub["what"]), ("origin", sub["origin"]), ("value", value)):
        ctx.update({f"{key}_it": triple[0], f"{key}_en": triple[1], f"{key}_zh": triple[2]})
    langs = ("it", "en", "zh_hans")
    texts = {}
    for lang, template, text in zip(langs, rng.choice(DESCRIPTIONS), detail, strict=True):
        texts[f"description_{lang}"] = template.format(**ctx, **{f"detail_{lang[:2]}": text})
    stories = rng.choice(STORIES_OLD) if generation >= 2 else STORY_YOUNG
    for lang, template, text in zip(langs, stories, story_detail, strict=True):
        texts[f"story_{lang}"] = template.format(**ctx, **{f"detail_{lang[:2]}": text})
    roll = rng.random()
    if roll < 0.06:
        texts.update(story_it="", story_en="", story_zh_hans="")
    else:
        if roll > 0.92:
            texts["story_en"] = ""
        if rng.random() < 0.15:
            texts["story_zh_hans"] = ""
    if rng.random() < 0.1:
        texts["description_en"] = ""
    return texts


def _stores(rng: random.Random, channel: str, status: str, joined: datetime.date, slug: str) -> list[dict]:
    count = rng.choices((1, 2, 3, 4), weights=(30, 35, 22, 13))[0]
    if channel == "both":
        count = max(count, 2)
    if status == "onboarding":
        count = min(count, 2)
    if channel == "cross_border_direct":
        platforms = rng.sample(DIRECT_PLATFORMS, count)
    else:
        platforms = ["tmall_global", *rng.sample(EXTRA_PLATFORMS, count - 1)]
    shop = slug.replace("-", "")[:24]
    stores = []
    for platform in platforms:
        store_type = rng.choice(STORE_TYPES[platform])
        if platform == "tmall_global" and channel == "cross_border_direct":
            store_type = "pavilion"
        urls = {
            "tmall_global": f"https://{shop}.tmall.hk",
            "tmall": f"https://{shop}.tmall.com",
            "taobao": f"https://shop{rng.randint(10**8, 10**9 - 1)}.taobao.com",
            "pinduoduo": f"https://mobile.yangkeduo.com/mall_page.html?mall_id={rng.randint(10**8, 10**9 - 1)}",
            "hema": f"https://www.freshhema.com/brand/{shop}",
            "jd": f"https://mall.jd.hk/index-{rng.randint(10**7, 10**8 - 1)}.html",
            "red": f"https://www.xiaohongshu.com/user/profile/{rng.getrandbits(96):024x}",
            "douyin": f"https://www.douyin.com/user/{shop}",
            "wechat": "",
        }
        opened = None
        if status != "onboarding" or rng.random() < 0.5:
            opened = min(LAST_DATE, joined + datetime.timedelta(days=rng.randint(-540, 90)))
        stores.append({"platform": platform, "store_type": store_type, "url": urls[platform], "opened_on": opened})
    return stores


def _products(rng: random.Random, sub: dict, prefix: str) -> list[dict]:
    base = rng.randint(10, 89) * 10
    products = []
    for i, (it, en, zh, low, high, category) in enumerate(rng.sample(sub["products"], rng.choice((2, 3, 3)))):
        vintage = str(rng.randint(2016, 2023))
        products.append(
            {
                "code": f"{prefix}-{sub['code']}{base + i + 1:03d}",
                "name_it": it.replace("{v}", vintage),
                "name_en": en.replace("{v}", vintage),
                "name_zh_hans": zh.replace("{v}", vintage),
                "price_cny": _price(rng, low, high),
                "category": category,
            }
        )
    return products


def _certifications(rng: random.Random, sub: dict, region: str, city: str) -> list[dict]:
    certs = sub.get("certs", {})
    labels = certs.get(city) or certs.get(region) or ()
    chosen = []
    if labels and rng.random() < 0.85:
        chosen = rng.sample(labels, 2 if len(labels) > 1 and rng.random() < 0.25 else 1)
    result = [{"kind": _cert_kind(label), "label": label} for label in chosen]
    for kind, label, chance in sub.get("extras", ()):
        if rng.random() < chance:
            result.append({"kind": kind, "label": label})
    return result


def _contact(rng: random.Random, family: str, slug: str) -> dict:
    first = rng.choice(FIRST_NAMES)
    is_family = rng.random() < 0.5
    last = family if is_family else rng.choice(COMMON_SURNAMES)[0]
    local = f"{_ascii(first)}.{_ascii(last)}".lower().replace("'", "").replace(" ", "")
    if rng.random() < 0.7:
        phone = f"+39 3{rng.randint(20, 93)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
    else:
        phone = f"+39 0{rng.randint(10, 99)} {rng.randint(100000, 9999999)}"
    wechat = ""
    if rng.random() < 0.55:
        handle = rng.choice((f"{first}_{last}", f"{first[0]}{last}{rng.randint(10, 99)}", f"{slug[:14]}_cn"))
        wechat = re.sub(r"[^a-z0-9_-]", "", _ascii(handle).lower())[:20]
    return {
        "name": f"{first} {last}",
        "role": rng.choice(FAMILY_ROLES if is_family else STAFF_ROLES),
        "email": f"{local}@{slug}.example.it",
        "phone": phone,
        "wechat": wechat,
    }


def demo_brand_specs() -> list[dict]:
    """103 brand specs, deterministic: the same seed gives the same list on every call."""
    rng = random.Random(SEED)
    pools = {"family": list(FAMILY_NAMES), "place": list(PLACE_NAMES)}
    rng.shuffle(pools["family"])
    rng.shuffle(pools["place"])
    slots = [(category, sub) for category, subs in SUBCATEGORIES.items() for sub in subs for _ in range(sub["count"])]
    rng.shuffle(slots)
    statuses = list(STATUSES)
    rng.shuffle(statuses)
    with_logo = set(rng.sample(range(len(slots)), round(len(slots) * 0.4)))
    region_use = dict.fromkeys(REGIONS, 0)
    specs = []
    for index, ((category, sub), status) in enumerate(zip(slots, statuses, strict=True)):
        region = _pick_region(rng, sub, region_use)
        region_use[region] += 1
        region_use[(sub["name"], region)] = region_use.get((sub["name"], region), 0) + 1
        used_cities = {spec["fields"]["city"] for spec in specs if spec["fields"]["subcategory"] == sub["name"]}
        city = rng.choice([c for c in sub["regions"][region] if c not in used_cities] or sub["regions"][region])
        kind = "place" if rng.random() < PLACE_SHARE[category] else "family"
        part = _take_part(pools, kind, region)
        family = part if part in FAMILY_NAMES else rng.choice(COMMON_SURNAMES)
        pattern_it, pattern_en, suffix_zh = rng.choice(sub["names"])
        name_it = pattern_it.format(n=part[0])
        slug = slugify(name_it)
        year = int(rng.triangular(1850, 2018, 1965))
        ctx = {
            "name": name_it, "name_zh": part[1] + suffix_zh, "city": city, "year": year,
            "a_city": ("ad " if city.startswith("A") else "a ") + city,
            "region_it": REGIONS[region][0], "region_en": REGIONS[region][1], "region_zh": REGIONS[region][2],
            "family": family[0], "family_zh": family[1], "founder": f"{rng.choice(FOUNDER_NAMES)} {family[0]}",
        }  # fmt: skip
        if status == "onboarding":
            joined = _random_date(rng, datetime.date(2026, 5, 1), LAST_DATE)
        elif status == "active":
            joined = _random_date(rng, FIRST_JOIN, datetime.date(2026, 6, 30))
        else:
            joined = _random_date(rng, FIRST_JOIN, datetime.date(2025, 6, 30))
        channel = rng.choices(("tmall_global_store", "cross_border_direct", "both"), weights=(35, 20, 45))[0]
        fields = {
            "slug": slug,
            "name_it": name_it,
            "name_en": pattern_en.format(n=part[0]),
            "name_zh_hans": ctx["name_zh"],
            "category": category,
            "subcategory": sub["name"],
            "region": region,
            "city": city,
            "founded_year": year,
            **_texts(rng, ctx, sub),
            "website": f"https://{slug}.example.it",
            "status": status,
            "joined_on": joined,
            "sales_channel": channel,
        }
        specs.append(
            {
                "fields": fields,
                "stores": _stores(rng, channel, status, joined, slug),
                "products": _products(rng, sub, _code_prefix(part[0])),
                "certifications": _certifications(rng, sub, region, city),
                "contacts": [_contact(rng, family[0], slug)],
                "make_logo": index in with_logo,
            }
        )
    return specs


def demo_logo_png(spec: dict, size: int = 512) -> bytes:
    """A simple generated logo: a colour picked from the slug, the brand's initials, a ring or frame. PNG bytes."""
    fields = spec["fields"]
    digest = hashlib.sha256(fields["slug"].encode()).digest()
    hue, sat, val = digest[0] / 255, 0.45 + digest[1] / 255 * 0.3, 0.38 + digest[2] / 255 * 0.22
    background = tuple(round(c * 255) for c in colorsys.hsv_to_rgb(hue, sat, val))
    ink = (250, 246, 238)
    image = Image.new("RGB", (size, size), background)
    draw = ImageDraw.Draw(image)
    margin, line = round(size * 0.08), max(1, size // 48)
    box = (margin, margin, size - margin - 1, size - margin - 1)
    if digest[3] % 3:
        draw.ellipse(box, outline=ink, width=line)
    else:
        draw.rectangle(box, outline=ink, width=line)

    def centred(text: str, font_size: int, centre_y: float, stroke: int = 0) -> None:
        font = ImageFont.load_default(size=max(6, font_size))
        left, top, right, bottom = draw.textbbox((0, 0), text, font=font, stroke_width=stroke)
        xy = ((size - (right - left)) / 2 - left, centre_y - (bottom - top) / 2 - top)
        draw.text(xy, text, font=font, fill=ink, stroke_width=stroke, stroke_fill=ink)

    centred(_initials(fields["name_it"]), round(size * 0.32), size * 0.47, stroke=max(0, size // 120))
    if fields.get("founded_year") and size >= 96:
        centred(f"DAL {fields['founded_year']}", round(size * 0.06), size * 0.7)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
