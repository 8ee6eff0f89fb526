"""Search text for brands: names in every language, accents folded, and the pinyin of Chinese names.

Staff type Latin letters far more often than Chinese characters, so 意大利 must be found by ``yidali``,
``yi da li`` and ``yìdàlì``. The search column holds every form once; the query is folded the same way.
"""

import re
import unicodedata

from pypinyin import Style, lazy_pinyin

_CJK = re.compile(r"[\u3400-\u9fff]")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case, accents and tone marks removed, spaces collapsed: ``Caffè Yìdàlì`` -> ``caffe yidali``."""
    # Pinyin writes ü as v on keyboards (lü -> lv); fold it before accents are dropped.
    decomposed = unicodedata.normalize("NFKD", (text or "").replace("ü", "v").replace("Ü", "V"))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", stripped.lower()).strip()


def _pinyin_forms(text: str) -> list[str]:
    if not _CJK.search(text or ""):
        return []
    syllables = lazy_pinyin(text, style=Style.NORMAL, errors="ignore", v_to_u=False)
    initials = lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore")
    return [" ".join(syllables), "".join(syllables), "".join(initials)]


def build_search_text(*texts: str) -> str:
    """One line of space-separated forms; ``query_forms`` of a query matches it with ``icontains``."""
    forms: list[str] = []
    for text in texts:
        if not text:
            continue
        forms.append(text.lower())
        forms.append(fold(text))
        forms.extend(_pinyin_forms(text))
    return " | ".join(dict.fromkeys(f for f in forms if f))


def query_forms(query: str) -> list[str]:
    """The strings to look for: the query as typed, folded, and folded without spaces (``yi da li`` -> ``yidali``)."""
    query = (query or "").strip()
    if not query:
        return []
    folded = fold(query)
    return list(dict.fromkeys(f for f in (query.lower(), folded, folded.replace(" ", "")) if f))


def search_filter(queryset, query: str, field: str = "search_text"):
    """``queryset`` narrowed to rows whose ``build_search_text`` column holds one of the query's forms (the
    query as typed, folded or pinyin): the brand list's search, and any list searched the same way."""
    from django.db.models import Q

    condition = Q()
    for form in query_forms(query):
        condition |= Q(**{f"{field}__icontains": form})
    return queryset.filter(condition) if condition else queryset
