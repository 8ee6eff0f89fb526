"""KOL names as people type them, and which typed names are the same person.

Before KOLs were records, a content item's KOL was free text: ``意式生活家Lily``, ``lily (RED)``, ``ＬＩＬＹ``,
``Li Jiaqi / 李佳琦``, ``李佳琦（抖音）``, ``待定``, ``Lily & Coco``. ``parse`` reads one text into its Chinese and
Latin parts and the platform a trailing bracket names, or says why it is not one person's name; ``match`` groups many
texts (and the KOLs already on record) into people. Plain functions of text, no models: the data migration that
turned the texts into links (``0010_kol_links``) and the services use the same rules.

What counts as the same person, and why:

* full-width and half-width forms, case, spaces and punctuation never matter (``ＬＩＬＹ`` = ``lily`` = ``L i l y``);
* a trailing platform in brackets or after a dash is a platform, not part of the name (``Lily (RED)``);
* two texts with the same Chinese characters are one person (``意式生活家Lily`` = ``意式生活家``); the Chinese part is
  how platforms name a KOL, so it is the stronger key;
* a Latin-only text is the person whose names carry the same Latin letters, or whose Chinese name reads so in pinyin
  (``Li Jiaqi`` = ``李佳琦 Li Jiaqi`` = ``李佳琦``), only when exactly one person does: ``Lily`` beside
  ``意式生活家Lily`` and ``酒评人Lily`` is ambiguous, and is reported rather than guessed;
* placeholders (``TBD``, ``待定``, ``KOL``), several people in one text (``Lily & Coco``) and texts too short to be a
  name are never made into KOLs: they are reported with their reason.
"""

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

# Platform names as people write them after a KOL's name -> KolPlatform value.
PLATFORM_WORDS = {
    "weibo": "weibo",
    "sina weibo": "weibo",
    "微博": "weibo",
    "新浪微博": "weibo",
    "red": "red",
    "xhs": "red",
    "xiaohongshu": "red",
    "little red book": "red",
    "小红书": "red",
    "douyin": "douyin",
    "dy": "douyin",
    "抖音": "douyin",
    "taobao live": "taobao_live",
    "taobao": "taobao_live",
    "tb live": "taobao_live",
    "淘宝直播": "taobao_live",
    "淘宝": "taobao_live",
    "点淘": "taobao_live",
    "wechat channels": "wechat_channels",
    "wechat channel": "wechat_channels",
    "channels": "wechat_channels",
    "视频号": "wechat_channels",
    "微信视频号": "wechat_channels",
    "bilibili": "bilibili",
    "b站": "bilibili",
    "哔哩哔哩": "bilibili",
}
# Texts that hold a place for a KOL nobody chose yet (compared after ``_plain``).
PLACEHOLDERS = frozenset(
    (
        "tbd", "tba", "tbc", "na", "n a", "none", "null", "nil", "no", "x", "xx", "xxx", "kol", "kols", "any kol",
        "some kol", "influencer", "test", "same", "same as above", "idem", "da definire", "nessuno",
        "待定", "未定", "暂定", "待确认", "未确认", "暂无", "无", "没有", "达人", "博主", "主播", "红人", "某达人",
        "某博主", "测试", "同上", "见上",
    )
)  # fmt: skip
# Words in a trailing bracket that say the name is not confirmed: the text is reported, not linked.
UNCONFIRMED = frozenset(
    ("tbc", "tbd", "to be confirmed", "?", "??", "待定", "待确认", "未确认", "暂定", "da confermare")
)
_BRACKET = re.compile(r"^(?P<rest>.*?)\s*[(\[【〔]\s*(?P<inner>[^()\[\]【】〔〕]*?)\s*[)\]】〕]\s*$")
_TRAILING = re.compile(r"^(?P<rest>.+?)\s*(?:[-–—·|@:/]|\bon\b|\bsu\b)\s*(?P<inner>[^-–—·|@:/]+?)\s*$", re.I)
_SEPARATORS = re.compile(r"\s*(?:&|\+|,|;|/|\band\b|\be\b|\bwith\b|、|和|及|与|跟)\s*|\s+(?:[-–—]|x)\s+", re.I)
_LABEL = re.compile(r"^(?:kols?|influencer|达人|博主|主播|红人)\s*:\s*", re.I)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[a-z0-9]", re.I)

# Why a text is not linked: stable codes (the unmatched page words them in the reader's language).
EMPTY, PLACEHOLDER, SEVERAL, TOO_SHORT, UNCONFIRMED_NAME, AMBIGUOUS = (
    "empty",
    "placeholder",
    "several",
    "too_short",
    "unconfirmed",
    "ambiguous",
)
REASONS_EN = {
    EMPTY: "nothing but punctuation",
    PLACEHOLDER: "a placeholder, not a name",
    SEVERAL: "several KOLs in one name",
    TOO_SHORT: "too short to be a name",
    UNCONFIRMED_NAME: "marked as not confirmed",
    AMBIGUOUS: "could be more than one KOL",
}


def fold(text: str) -> str:
    """Full-width forms folded (``ＬＩＬＹ（ＲＥＤ）`` → ``LILY(RED)``), spaces collapsed, trimmed."""
    return " ".join(unicodedata.normalize("NFKC", str(text or "")).split())


def _plain(text: str) -> str:
    """Lower case, letters, digits and CJK only, single spaces: what placeholder and platform words compare on."""
    kept = "".join(c if (c.isalnum() or c.isspace()) else " " for c in fold(text).casefold())
    return " ".join(kept.split())


def platform_of(word: str) -> str | None:
    return PLATFORM_WORDS.get(_plain(word))


def zh_key(text: str) -> str:
    """The Chinese characters of a name and its digits, in order (``意式生活家Lily`` → ``意式生活家``, ``小鹿2号`` →
    ``小鹿2号``): the key two spellings of one Chinese name share. "" for a name without Chinese."""
    folded = fold(text)
    if not _CJK.search(folded):
        return ""
    return "".join(c for c in folded if _CJK.match(c) or c.isdigit())


def latin_key(text: str) -> str:
    """The Latin letters and digits of a name, lower case, without spaces (``Li Jiaqi`` → ``lijiaqi``)."""
    return "".join(_LATIN.findall(fold(text))).casefold()


def pinyin_key(text: str) -> str:
    """The pinyin of a name's Chinese characters, as one lower-case word (``李佳琦`` → ``lijiaqi``): how a Chinese name
    is written in Latin letters, so ``Li Jiaqi`` typed alone finds ``李佳琦``. "" for a name without Chinese."""
    from pypinyin import Style, lazy_pinyin

    chinese = "".join(_CJK.findall(fold(text)))
    if not chinese:
        return ""
    return "".join(lazy_pinyin(chinese, style=Style.NORMAL, errors="ignore")).casefold()


@dataclass
class Parsed:
    """One typed name: its Chinese and Latin forms as written, the platform it named, or why it is no name."""

    text: str
    zh: str = ""  # the name as Chinese readers know it (may hold Latin letters: 意式生活家Lily)
    latin: str = ""  # the name in Latin letters (Lily, Li Jiaqi)
    platform: str | None = None
    problem: str | None = None

    @property
    def zh_key(self) -> str:
        return zh_key(self.zh)

    @property
    def latin_key(self) -> str:
        return latin_key(self.latin)


def _split_forms(name: str) -> tuple[str, str]:
    """(Chinese form, Latin form) of one person's name: ``李佳琦 Li Jiaqi`` → (李佳琦, Li Jiaqi); a Latin name written
    inside a Chinese one (``意式生活家Lily``) is its Latin form, and the whole is the Chinese form."""
    if not _CJK.search(name):
        return "", name
    if not _LATIN.search(name):
        return name, ""
    # CJK then Latin (or the other way round) separated by a space: two forms of the name.
    match = re.fullmatch(r"(?P<a>[^\sA-Za-z0-9]+)\s+(?P<b>[A-Za-z0-9][A-Za-z0-9 .'\-]*)", name) or re.fullmatch(
        r"(?P<b>[A-Za-z0-9][A-Za-z0-9 .'\-]*?)\s+(?P<a>[^\sA-Za-z0-9]+)", name
    )
    if match and _CJK.search(match["a"]):
        return match["a"], match["b"].strip()
    latin = " ".join(re.findall(r"[A-Za-z0-9][A-Za-z0-9 .'\-]*[A-Za-z0-9]|[A-Za-z0-9]", name))
    return name, latin


def parse(text: str) -> Parsed:
    """Read one typed KOL name (see the module's rules)."""
    result = Parsed(text=text)
    name = _LABEL.sub("", fold(text)).lstrip("@").strip()
    alternates = []
    # Trailing notes, innermost last: "李佳琦（Li Jiaqi）(抖音)", "Lily - RED", "Coco (tbc)".
    for _round in range(3):
        match = _BRACKET.match(name) or _TRAILING.match(name)
        if not match or not match["rest"].strip():
            break
        inner = match["inner"].strip()
        if platform_of(inner):
            result.platform = result.platform or platform_of(inner)
        elif _plain(inner) in UNCONFIRMED or inner in UNCONFIRMED:
            result.problem = UNCONFIRMED_NAME
        elif match.re is _BRACKET and inner:
            alternates.append(inner)  # another form of the name ("李佳琦（Li Jiaqi）"), or a note
        else:
            break  # "Lily - Coco": not a note, a second name (read below)
        name = match["rest"].strip()
    if result.problem:
        return result
    plain = _plain(name)
    if not plain:
        result.problem = EMPTY
        return result
    if plain in PLACEHOLDERS:
        result.problem = PLACEHOLDER
        return result
    parts = [p for p in _SEPARATORS.split(name) if p and p.strip()]
    if len(parts) > 1 and all(len(_plain(p).replace(" ", "")) >= 2 for p in parts):
        # "Li Jiaqi / 李佳琦": the Latin and the Chinese form of one person; anything else is several people.
        latin = [p for p in parts if not _CJK.search(p)]
        chinese = [p for p in parts if _CJK.search(p)]
        if len(parts) == 2 and len(latin) == 1 and len(chinese) == 1 and "/" in name:
            result.zh, result.latin = chinese[0].strip(), latin[0].strip()
        else:
            result.problem = SEVERAL
            return result
    else:
        result.zh, result.latin = _split_forms(name)
    for alternate in alternates:
        if _CJK.search(alternate) and not result.zh:
            result.zh = alternate
        elif not _CJK.search(alternate) and _LATIN.search(alternate) and not result.latin and result.zh:
            result.latin = alternate
    if len(result.zh_key) < 2 and len(result.latin_key) < 2:
        result.problem = TOO_SHORT
    return result


# --- many texts at once ---------------------------------------------------------------------------------------------


@dataclass
class Person:
    """One KOL the texts name: an existing KOL (``kol_id``) or one to create, with the texts that name them."""

    kol_id: int | None = None
    zh: str = ""
    latin: str = ""
    platforms: set = field(default_factory=set)
    texts: list = field(default_factory=list)
    zh_keys: set = field(default_factory=set)
    latin_keys: set = field(default_factory=set)

    @property
    def label(self) -> str:
        return self.zh or self.latin


@dataclass
class Unmatched:
    text: str
    reason: str
    candidates: list = field(default_factory=list)  # labels of the people an ambiguous text could be


@dataclass
class Matching:
    people: list[Person]
    unmatched: list[Unmatched]

    def person_of(self, text: str) -> Person | None:
        return self._by_text.get(text)

    def __post_init__(self):
        self._by_text = {text: person for person in self.people for text in person.texts}


def _most_common(values) -> str:
    """The form written most often (the longest of those, then the first in order): the name a new KOL gets."""
    counts = Counter(v for v in values if v)
    if not counts:
        return ""
    best = max(counts.values())
    return max((v for v in counts if counts[v] == best), key=len)


def match(texts, known=()) -> Matching:
    """Group typed names into people. ``texts``: the typed names (an item each, repeats welcome: the most written
    form names a new KOL). ``known``: the KOLs on record, as (id, Latin name, Chinese name): a text that is one of
    them links to it. Every text ends up in exactly one person or in ``unmatched``."""
    people: list[Person] = []
    by_zh: dict[str, Person] = {}
    for kol_id, latin, zh in known:
        person = Person(kol_id=kol_id, zh=zh or "", latin=latin or "")
        for form in (zh, latin):
            parsed = parse(form or "")
            if parsed.zh_key:
                person.zh_keys.add(parsed.zh_key)
            if parsed.latin_key:
                person.latin_keys.add(parsed.latin_key)
        if not person.zh_keys and not person.latin_keys:
            continue
        people.append(person)
        for key in person.zh_keys:
            by_zh.setdefault(key, person)
    unmatched: list[Unmatched] = []
    parsed_texts = [(text, parse(text)) for text in texts]
    latin_only = []
    forms = defaultdict(lambda: ([], []))  # person id -> (Chinese forms, Latin forms) seen
    for text, parsed in parsed_texts:
        if parsed.problem:
            unmatched.append(Unmatched(text, parsed.problem))
            continue
        if not parsed.zh_key:
            latin_only.append((text, parsed))
            continue
        person = by_zh.get(parsed.zh_key)
        if person is None:
            person = Person()
            people.append(person)
            by_zh[parsed.zh_key] = person
            person.zh_keys.add(parsed.zh_key)
        _add(person, text, parsed, forms)
    by_latin: dict[str, list[Person]] = defaultdict(list)
    for person in people:
        for key in person.latin_keys | {pinyin_key(zh) for zh in person.zh_keys} - {""}:
            by_latin[key].append(person)
    ambiguous = []
    for text, parsed in latin_only:
        found = by_latin.get(parsed.latin_key, [])
        if len(found) > 1:
            ambiguous.append((Unmatched(text, AMBIGUOUS), list(found)))
            unmatched.append(ambiguous[-1][0])
            continue
        person = found[0] if found else None
        if person is None:
            person = Person()
            people.append(person)
            by_latin[parsed.latin_key].append(person)
        _add(person, text, parsed, forms)
    for person in people:
        if person.kol_id is None:
            zh_forms, latin_forms = forms[id(person)]
            person.zh = _most_common(zh_forms)
            person.latin = _most_common(latin_forms)
    for entry, found in ambiguous:
        entry.candidates = sorted(person.label for person in found)
    return Matching([p for p in people if p.texts or p.kol_id is not None], unmatched)


def _add(person: Person, text: str, parsed: Parsed, forms) -> None:
    person.texts.append(text)
    if parsed.latin_key:
        person.latin_keys.add(parsed.latin_key)
    if parsed.platform:
        person.platforms.add(parsed.platform)
    zh_forms, latin_forms = forms[id(person)]
    zh_forms.append(parsed.zh)
    latin_forms.append(parsed.latin)
