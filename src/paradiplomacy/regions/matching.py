"""Resolve the many spellings of a region's name to one registry code.

Names are reduced to a key: lower case, ``ё`` folded to ``е``, punctuation and footnote markers
removed, type words unified across Russian and English (``край``/``krai``/``kray``/``territory``
all become ``krai``; ``автономный округ``, ``авт. область`` and ``AO`` all become ``ao``), common
transliteration endings folded (``-skiy``/``-sky``), and word order ignored.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

from paradiplomacy.regions.registry import FederalSubject, _read, _subjects, get

_PHRASES = [
    (re.compile(r"\bгород(а)? федерального значения\b"), " "),
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
_FOOTNOTE = re.compile(r"(?<=\w)\d+\)|\s\d+\)|\*+")
_PUNCT = re.compile(r"[\.,;:()\[\]\"'«»’ʼ`/\\]")
_DASHES = re.compile(r"[\u2010-\u2015\-]")
_PARENTHETICAL = re.compile(r"^\s*([^()]*\w[^()]*?)\s*\([^()]*\)\s*$")
KeyIndex = dict[tuple[str, ...], set[str]]


class UnknownRegionError(LookupError):
    """A region name that the registry cannot resolve, with the closest known names."""

    def __init__(self, name: str, suggestions: list[str], reason: str = "unknown region"):
        self.name = name
        self.suggestions = suggestions
        hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"{reason} {name!r}{hint}")


def _fold_token(tok: str) -> str:
    tok = _TOKENS.get(tok, tok)
    tok = re.sub(r"sk(iy|ii|ij|yi|yy)$", "sky", tok)
    tok = re.sub(r"iya$", "ia", tok)
    return tok


def name_key(text: str) -> tuple[str, ...]:
    """The matching key of a name: its folded words, sorted."""
    s = str(text).lower().replace("ё", "е").replace("\u00a0", " ")
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
    exact, core, display = _index()
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
    close = difflib.get_close_matches(" ".join(key), list(display), n=4, cutoff=0.6)
    suggestions: list[str] = []
    for k in close:
        code = next(iter(exact[tuple(k.split())]))
        label = f"{get(code).name_en} ({code})"
        if label not in suggestions:
            suggestions.append(label)
    raise UnknownRegionError(name, suggestions)


def lookup(name: str) -> FederalSubject:
    """The federal subject for a name (see :func:`resolve`)."""
    return get(resolve(name))

