"""Resolve the many spellings of a region's name to one registry code.

Names are reduced to a key: lower case, ``ё`` folded to ``е``, punctuation and footnote markers
removed, type words unified across Russian and English (``край``/``krai``/``kray``/``territory``
all become ``krai``; ``автономный округ``, ``авт. область`` and ``AO`` all become ``ao``), common
transliteration endings folded (``-skiy``/``-sky``), and word order ignored. Before that,
:func:`clean_label` undoes what printed tables do to names: Latin look-alike letters inside
Cyrillic words ("Калинингpадская"), footnote markers glued on or after a space ("г.Москва 3",
"Российская Федерация2)", "¹⁾"), line breaks and repeated spaces.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from functools import lru_cache

from paradiplomacy.regions.registry import FederalSubject, _read, _subjects, get

_PHRASES = [
    (re.compile(r"\bгород(а)? федерального значения\b"), " "),
    (re.compile(r"\bвходящ\w* в состав\b.*$"), " "),  # EMISS: "…округ, входящий в состав …"
    (re.compile(r"\bстолица российской федерации\b"), " "),
    (re.compile(r"\bавт(ономн\w*)?\s+(округ\w*|окр|обл\w*)"), " ao "),
    (re.compile(r"\bautonomous\s+(okrug|oblast|district|region|area|province)\b"), " ao "),
    (re.compile(r"\baut\s+(okrug|oblast)\b"), " ao "),
]
_TOKENS = {
    "республика": "rep", "респ": "rep", "republic": "rep", "respublika": "rep", "rep": "rep",
    "край": "krai", "krai": "krai", "kray": "krai", "territory": "krai",
    "область": "obl", "обл": "obl", "oblast": "obl", "region": "obl", "obl": "obl",
    "ао": "ao", "ao": "ao", "aok": "ao",
}
_DROP = {"г", "город", "city", "of", "the", "federal", "significance"}
_TYPE_TOKENS = {"rep", "krai", "obl", "ao"}
_FOOTNOTE = re.compile(r"(?<=[^\W\d])\d+\)|(?<=\))\d+\)|\s\d+\)|\*+")
_TRAILING_FOOTNOTE = re.compile(r"(?:\s+|(?<=[^\W\d]))\d{1,2}(?:\s*[,;]\s*\d{1,2})*\)?\s*$|"
                                r"[\u2070\u00b9\u00b2\u00b3\u2074-\u207f]+")
_LOOKALIKE = str.maketrans("AaBCcEeHKkMmOoPpTXxYy", "АаВСсЕеНКкМмОоРрТХхУу")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")
_PUNCT = re.compile(r"[\.,;:()\[\]\"'«»’ʼ`/\\]")
_DASHES = re.compile(r"[\u2010-\u2015\-]")
_PARENTHETICAL = re.compile(r"^\s*([^()]*\w[^()]*?)\s*\([^()]*\)\s*$")
KeyIndex = dict[tuple[str, ...], set[str]]


class UnknownRegionError(LookupError):
    """A region name that the registry cannot resolve, with the closest known names.

    The closest names are looked for only when the message is read (``str``) or
    ``suggestions`` is asked for: a file of 100,000 unknown rows must not pay 1.5 ms for each
    when only the first hundred are shown."""

    def __init__(self, name: str, suggestions: list[str] | Callable[[], list[str]],
                 reason: str = "unknown region"):
        super().__init__(name)
        self.name = name
        self.reason = reason
        self._suggestions = suggestions

    @property
    def suggestions(self) -> list[str]:
        """The closest known names (computed once, when first asked for)."""
        if callable(self._suggestions):
            self._suggestions = self._suggestions()
        return self._suggestions

    def __str__(self) -> str:
        hint = f"; did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
        return f"{self.reason} {self.name!r}{hint}"


def _fold_token(tok: str) -> str:
    tok = _TOKENS.get(tok, tok)
    tok = re.sub(r"sk(iy|ii|ij|yi|yy)$", "sky", tok)
    tok = re.sub(r"iya$", "ia", tok)
    return tok


def clean_label(text: str) -> str:
    """A printed name made plain: Latin look-alikes inside Cyrillic words turned Cyrillic,
    footnote markers removed ("2)", " 3", " 1,2", "¹⁾"), spaces and line breaks collapsed."""
    s = " ".join(str(text).replace("\u00a0", " ").split())
    words = []
    for w in s.split(" "):
        if _CYRILLIC.search(w) and _LATIN.search(w):
            w = w.translate(_LOOKALIKE)
        words.append(w)
    s = " ".join(words)
    s = _FOOTNOTE.sub(" ", s)
    s = _TRAILING_FOOTNOTE.sub("", s)
    return " ".join(s.split())


def name_key(text: str) -> tuple[str, ...]:
    """The matching key of a name: its folded words, sorted."""
    s = clean_label(text).lower().replace("ё", "е")
    s = _FOOTNOTE.sub(" ", s)
    s = _DASHES.sub(" ", s)
    s = _PUNCT.sub(" ", s)
    s = " ".join(s.split())
    for pattern, repl in _PHRASES:
        s = pattern.sub(repl, s)
    tokens = {_fold_token(t) for t in s.split() if t not in _DROP}
    return tuple(sorted(t for t in tokens if t))


def _core(key: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(t for t in key if t not in _TYPE_TOKENS)


@lru_cache(maxsize=1)
def _index() -> tuple[KeyIndex, KeyIndex, dict[str, str]]:
    """Exact-key index, core-key index (type words removed) and display names for suggestions."""
    names: list[tuple[str, str]] = []
    for s in _subjects().values():
        names += [(s.code, s.name_en), (s.code, s.name_ru), (s.code, s.code), (s.code, s.code[3:])]
    names += [(r["code"], r["alias"]) for r in _read("aliases.csv")]
    exact: dict[tuple[str, ...], set[str]] = {}
    core: dict[tuple[str, ...], set[str]] = {}
    display: dict[str, str] = {}
    for code, name in names:
        key = name_key(name)
        exact.setdefault(key, set()).add(code)
        core.setdefault(_core(key), set()).add(code)
        display.setdefault(" ".join(key), name)
    return exact, core, display


@lru_cache(maxsize=4096)
def resolve(name: str) -> str:
    """The registry code for a region name in Russian or English; raises UnknownRegionError."""
    exact, core, _ = _index()
    okato = _okato_code(name)
    if okato is not None:
        return okato
    key = name_key(name)
    if not key:
        raise UnknownRegionError(name, [], reason="empty region name")
    codes = exact.get(key) or core.get(_core(key), set())
    if len(codes) == 1:
        return next(iter(codes))
    outside = _PARENTHETICAL.match(str(name))
    if not codes and outside:  # EMISS: "Ненецкий автономный округ (Архангельская область)"
        try:
            return resolve(outside.group(1))
        except UnknownRegionError:
            pass
    if len(codes) > 1:
        options = sorted(f"{get(c).name_en} ({c})" for c in codes)
        raise UnknownRegionError(name, options, reason="ambiguous region name")
    raise UnknownRegionError(name, lambda: _closest(" ".join(key)))


@lru_cache(maxsize=4096)
def _closest(key: str) -> list[str]:
    """The registry's names closest to a name key, as 'English name (code)'."""
    exact, _, display = _index()
    suggestions: list[str] = []
    for k in difflib.get_close_matches(key, list(display), n=4, cutoff=0.6):
        code = next(iter(exact[tuple(k.split())]))
        label = f"{get(code).name_en} ({code})"
        if label not in suggestions:
            suggestions.append(label)
    return suggestions


def _okato_code(text: str) -> str | None:
    """The registry code of a full OKATO code ("64000000000", "64 000 000 000"), if it is one
    (shorter numbers are too easily a value: "46" is not taken for Moscow Oblast's prefix)."""
    digits = str(text).replace(" ", "").replace("\u00a0", "")
    if not digits.isdigit() or len(digits) != 11:
        return None
    for s in _subjects().values():
        if s.okato == digits:
            return s.code
    return None


def lookup(name: str) -> FederalSubject:
    """The federal subject for a name (see :func:`resolve`)."""
    return get(resolve(name))

