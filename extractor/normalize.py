"""Text normalization that runs before any rule.

Portal text arrives in NFD, with old-style tone placement ("hoà", "Uỷ"), no-break and zero-width
spaces, a zoo of dash characters and ragged whitespace. Every lexicon and pattern in `rules/` is
written against the normalized form, and a record's `text` *is* the normalized form, so offsets
never need mapping back.
"""

from __future__ import annotations

import re
import unicodedata

# Old-style placement puts the tone on the second vowel of the open rhymes oa, oe, uy ("hoà",
# "thuỷ"); the modern form (and our lexicons) put it on the first ("hòa", "thủy").
_TONED_SECOND = {
    "a": "àáảãạ", "e": "èéẻẽẹ", "y": "ỳýỷỹỵ",
}
_TONED_FIRST = {"o": "òóỏõọ", "u": "ùúủũụ"}
_PAIRS = {("o", "a"), ("o", "e"), ("u", "y")}


def _build_tone_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for first, second in _PAIRS:
        for tone_index, toned in enumerate(_TONED_SECOND[second]):
            moved = _TONED_FIRST[first][tone_index]
            for f, s, mf in ((first, toned, moved), (first.upper(), toned.upper(), moved.upper())):
                table[f + s] = mf + (second if f.islower() else second.upper())
            # Mixed case as in "Uỷ" (title case) → "Ủy".
            table[first.upper() + toned] = moved.upper() + second
    return table


_TONE_TABLE = _build_tone_table()
# Only at the end of a syllable (no letter follows: "hoàn" is already right; a digit may, as in a
# word glued to a date, "thuỷ21/5") and not in
# "qu" + y, where u belongs to the consonant ("quý" is correct as is).
# The pattern opens with a character class so the regex engine skips ahead cheaply (the "not
# after q" test comes once o/u is found); pairs that are not in the table (e.g. "uà") are left as
# they are by the replacement.
_OLD_TONE_RE = re.compile(
    "[oOuU](?<![qQ].)[" + "".join(sorted({pair[1] for pair in _TONE_TABLE})) + r"](?![^\W\d_])"
)

_SPACE_CHARS = "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t\f\v"
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_HYPHENS = "\u2010\u2011\u2012\u2212\ufe63\uff0d"  # hyphen-like → "-"
_DASHES = "\u2013\u2014\u2015"  # dash-like → "–" (en dash)

_REPLACEMENTS: dict[str, str] = {
    **{c: " " for c in _SPACE_CHARS}, **{c: "" for c in _ZERO_WIDTH},
    **{c: "-" for c in _HYPHENS}, **{c: "\u2013" for c in _DASHES},
    "\r": "\n", "\u2028": "\n", "\u2029": "\n\n", "\u0085": "\n",
}
# These characters are rare, so finding them with one class is much cheaper than str.translate
# walking every character through a dict.
_REPLACE_RE = re.compile("[" + re.escape("".join(_REPLACEMENTS)) + "]")
_SPACE_RUN_RE = re.compile(r" {2,}")
_SPACE_AROUND_NEWLINE_RE = re.compile(r" *\n *")
_NEWLINE_RUN_RE = re.compile(r"\n{3,}")


def fix_tone_placement(text: str) -> str:
    """Move old-style tone marks to the modern position in open oa/oe/uy rhymes.

    >>> fix_tone_placement("Uỷ ban hoà giải thuỷ lợi, quý")
    'Ủy ban hòa giải thủy lợi, quý'
    """
    return _OLD_TONE_RE.sub(lambda m: _TONE_TABLE.get(m.group(), m.group()), text)


def normalize_text(text: str) -> str:
    """Return the canonical form every rule matches against.

    NFC, modern tone placement, one kind of space, two kinds of dash ("-" and "–"), single spaces,
    at most one blank line between paragraphs, no leading/trailing whitespace.

    >>> normalize_text("Chiều\\u00a021/5 ,  Uỷ ban\\r\\n\\r\\n\\r\\nhoà")
    'Chiều 21/5 , Ủy ban\\n\\nhòa'
    """
    text = unicodedata.normalize("NFC", text)
    text = _REPLACE_RE.sub(lambda m: _REPLACEMENTS[m.group()], text)
    text = fix_tone_placement(text)
    # Most texts need none of the three whitespace fixes; `in` finds that without a regex pass.
    if "  " in text:
        text = _SPACE_RUN_RE.sub(" ", text)
    if " \n" in text or "\n " in text:
        text = _SPACE_AROUND_NEWLINE_RE.sub("\n", text)
    if "\n\n\n" in text:
        text = _NEWLINE_RUN_RE.sub("\n\n", text)
    return text.strip()


def fold_for_compare(text: str) -> str:
    """The comparison key used by eval for names and titles: normalized, lower-cased, spaces folded.

    >>> fold_for_compare("  Uỷ  viên\\nBan ")
    'ủy viên ban'
    """
    return " ".join(normalize_text(text).lower().split())
