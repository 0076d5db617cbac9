"""Vietnamese text handling: NFC with one tone-mark placement, folding, tokens.

Only underthesea's offline functions are used (``text_normalize``,
``word_tokenize``, ``sent_tokenize``); its other functions download models.
Quotes shown to people always come from the original text, never from here.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache

# underthesea imports its optional, model-downloading pipelines at package import; translate alone pulls
# in transformers (~300 MB RSS, 1.5 s). We must not use them, so they are blocked (None in sys.modules
# makes the import fail, which underthesea treats as "not installed").
for _optional in ("translate", "classification", "sentiment", "lang_detect", "dependency_parse"):
    sys.modules.setdefault(f"underthesea.pipeline.{_optional}", None)  # type: ignore[arg-type]
sys.modules.setdefault("underthesea.agent", None)  # type: ignore[arg-type]

from underthesea import sent_tokenize, text_normalize, word_tokenize  # noqa: E402

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_WORD = re.compile(r"\w+", re.UNICODE)


def clean_line(line: str) -> str:
    """NFC, NBSP/tabs to spaces, single spaces, trimmed: the text we store and quote."""
    line = unicodedata.normalize("NFC", line.replace("\ufeff", ""))
    return _SPACES.sub(" ", line).strip()


@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """NFC with one tone-mark placement ("hoà" = "hòa"), for matching and encoding."""
    text = clean_line(text)
    if not text:
        return ""
    # text_normalize re-spaces punctuation; we only want its tone placement,
    # so apply it word by word and keep the original spacing.
    return _WORD.sub(lambda m: text_normalize(m.group(0)) if _has_tone(m.group(0)) else m.group(0), text)


def _has_tone(word: str) -> bool:
    return any(unicodedata.category(c) == "Mn" for c in unicodedata.normalize("NFD", word))


def fold(text: str) -> str:
    """Lower-case without diacritics (đ -> d): the form used for lexical matching."""
    text = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in text if unicodedata.category(c) != "Mn").lower()


# The initial consonants of a Vietnamese syllable written with two or three letters ("ng" of "Ngoại").
ONSET_CLUSTERS = "ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu"


# Ordinal words, folded, and the place each names in a list (0 the first, -1 the last). Longer forms come first
# in the patterns ("cuối cùng" before "cuối"); "theo thứ tự" (in order) names no place.
ORDINAL_PLACES = {
    "dau tien": 0, "thu nhat": 0, "thu hai": 1, "thu ba": 2, "thu tu": 3, "thu nam": 4, "thu sau": 5, "thu bay": 6,
    "thu tam": 7, "thu chin": 8, "thu muoi": 9, "cuoi cung": -1, "sau cung": -1, "cuoi": -1,
    "first": 0, "second": 1, "third": 2, "fourth": 3, "fifth": 4, "sixth": 5, "seventh": 6, "eighth": 7,
    "ninth": 8, "tenth": 9, "last": -1, "final": -1,
}
ORDINAL_VI = "(?<!theo )(?:" + "|".join(w for w in ORDINAL_PLACES if " " in w or w == "cuoi") + ")"
ORDINAL_EN = "(?:" + "|".join(w for w in ORDINAL_PLACES if " " not in w and w != "cuoi") + ")"


def has_diacritics(text: str) -> bool:
    return fold(text) != text.lower()


def syllables(text: str) -> list[str]:
    """Folded syllables (word characters), the unit of every lexical comparison."""
    return _WORD.findall(fold(text))


@lru_cache(maxsize=4096)
def padded_syllables(text: str) -> str:
    """" a b c ": a text's folded syllables between spaces, for whole-phrase tests (f" {t} " in …); cached, since
    the same passages are tested question after question."""
    return f" {' '.join(syllables(text))} "


def words(text: str) -> list[str]:
    """Folded multi-syllable words from underthesea's segmenter ("cham_soc")."""
    out = []
    for w in word_tokenize(normalize(text)):
        parts = _WORD.findall(fold(w))
        if len(parts) > 1:
            out.append("_".join(parts))
    return out


def lexical_terms(text: str) -> list[str]:
    """Terms for BM25: folded syllables, syllable bigrams and segmented words."""
    syl = syllables(text)
    return syl + [f"{a}~{b}" for a, b in zip(syl, syl[1:])] + words(text)


def sentences(text: str) -> list[str]:
    """Sentences of an original text, each a verbatim slice of it."""
    out: list[str] = []
    pos = 0
    for sent in sent_tokenize(text):
        sent = sent.strip()
        start = text.find(sent, pos)
        if start < 0:  # the tokenizer changed the text: fall back to the whole
            return [text]
        out.append(sent)
        pos = start + len(sent)
    return out or [text]
