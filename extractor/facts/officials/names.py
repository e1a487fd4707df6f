"""Where a person's name really starts and ends, once a reader has found one.

Three corrections to a name found as a run of capitalized syllables:
- a last syllable that makes one word with the lower-case word after it belongs to the sentence,
  not to the name ("ĐBQH Nguyễn Sỹ Cương Liên quan đến …" lost a period; "… Nguyễn Xuân Phúc
  Tiến sĩ …", "… Vũ Đức Đam Quang cảnh …" are captions run together). The words are those of
  underthesea's word list (Viet74K, shipped with the package);
- a foreign name goes on over what a run of capitals stops at: an initial with its period
  ("George W. Bush"), a hyphen inside a part ("Al-Sabah"), particles before a part ("bin
  Abdulaziz", rules/officials/name_particles.txt);
- styles written before a foreign name ("Sheikh", "Samdech Techo": rules/officials/name_styles.txt)
  and an honorific that a sentence opened with a capital ("Ông Kengo Ishida") are not part of it:
  SPEC's name is "the fullest written form without honorific or title".
"""

from __future__ import annotations

from operator import itemgetter

from ..quantities.segment import dictionary_pairs
from ..tokens import END, IS_LOWER, IS_TITLECASE, IS_WORD, LOWER, START, TEXT, Token
from .titles import is_foreign_word

# How many more parts a foreign name may take after the run a reader found (initials, hyphenated
# parts, particles and their part): "Sabah Al-Ahmad Al-Jaber Al-Sabah" takes three.
_MAX_FOREIGN_PARTS = 6


def dictionary_words() -> frozenset[str]:
    """The two-syllable words of underthesea's word list ("liên quan", "quang cảnh"), lower case: the
    same list the quantities read a counted noun's extent from (read once, from disk).

    >>> {"liên quan", "quang cảnh"} <= dictionary_words()
    True
    """
    return dictionary_pairs()


def run_on_end(tokens: list[Token], text: str, start: int, end: int, words: frozenset[str]) -> int:
    """The end of the name [start, end) without a last syllable that makes a word with the lower-case
    word after it, when the document never writes the longer name otherwise and either writes the
    shorter one alone ("ĐBQH Nguyễn Sỹ Cương Liên quan đến …" after "ĐBQH Nguyễn Sỹ Cương, …") or
    the longer has four syllables ("Phó Thủ tướng Vũ Đức Đam Quang cảnh …" in a caption).

    Kept: a word the next word makes a word with ("Minh chứng kiến": "chứng kiến"), a name of two
    syllables, a name the document writes whole elsewhere ("Trịnh Công Hậu, …" then "Trịnh Công Hậu
    sinh năm …": "hậu sinh" is a word too).
    """
    if end - start < 3 or end >= len(tokens) or not tokens[end][IS_LOWER] \
            or tokens[end - 1][END] == tokens[end][START]:
        return end
    if f"{tokens[end - 1][LOWER]} {tokens[end][LOWER]}" not in words:
        return end
    after = end + 1
    if after < len(tokens) and tokens[after][IS_LOWER] and f"{tokens[end][LOWER]} {tokens[after][LOWER]}" in words:
        return end
    name_start, last, partner = tokens[start][START], tokens[end - 1], tokens[end]
    longer, shorter = text[name_start:last[END]], text[name_start:tokens[end - 2][END]]
    if _written_alone(text, longer, " " + partner[TEXT]):
        return end
    if end - start > 3 or _written_alone(text, shorter, " " + last[TEXT]):
        return end - 1  # written nowhere else: four syllables are a name of three and a run-on word
    return end


def _written_alone(text: str, name: str, run_on: str) -> bool:
    """Is `name` written somewhere in `text` as a whole word not followed by `run_on`?"""
    position = text.find(name)
    while position >= 0:  # each turn moves past the last find
        before, after = text[position - 1:position] or " ", position + len(name)
        if not before.isalnum() and not text[after:after + 1].isalnum() and not text.startswith(run_on, after):
            return True
        position = text.find(name, position + 1)
    return False


def _glued(tokens: list[Token], k: int) -> bool:
    """Is token `k` written against the tokens on both sides of it ("Al-Sabah", "W.")?"""
    return 0 < k < len(tokens) - 1 and tokens[k - 1][END] == tokens[k][START] and tokens[k][END] == tokens[k + 1][START]


def _part_after(tokens: list[Token], hits: list[dict], k: int) -> bool:
    """Is token `k` a capitalized part of a foreign name no lexicon claims?"""
    return k < len(tokens) and tokens[k][IS_TITLECASE] and not hits[k] and tokens[k][TEXT].isascii()


def _particles_then_part(tokens: list[Token], hits: list[dict], k: int, particles: frozenset[str]) -> bool:
    """Do name particles start at `k` and a capitalized foreign part follow them ("de Vries")?"""
    m, n = k, len(tokens)
    while m < n and tokens[m][IS_LOWER] and tokens[m][LOWER] in particles:
        m += 1
    return m > k and _part_after(tokens, hits, m)


def foreign_tail_end(tokens: list[Token], hits: list[dict], start: int, end: int, particles: frozenset[str]) -> int:
    """Where a foreign name [start, end) really ends: over "W. Bush", "-Sabah", "bin Abdulaziz".

    A name with no foreign word keeps its end: "Nguyễn Văn A. Bà B …" is two sentences.
    """
    n = len(tokens)
    if not any(map(is_foreign_word, map(itemgetter(TEXT), tokens[start:end]))):
        return end
    k = end
    for _ in range(_MAX_FOREIGN_PARTS):
        if k >= n:
            break
        text = tokens[k][TEXT]
        initial = text == "." and len(tokens[k - 1][TEXT]) == 1 and tokens[k - 1][IS_TITLECASE] \
            and tokens[k - 1][END] == tokens[k][START]
        if initial and _part_after(tokens, hits, k + 1):
            k += 2  # "George W. Bush"
        elif initial and _particles_then_part(tokens, hits, k + 1, particles):
            k += 1  # "Kees J. de Vries": the particles and the part after them follow
        elif text == "-" and _glued(tokens, k) and tokens[k + 1][IS_WORD] and tokens[k + 1][TEXT].isascii():
            k += 2  # "Al-Ahmad", "al-Assad"
        elif tokens[k][IS_LOWER] and tokens[k][LOWER] in particles:
            m = k
            while m < n and tokens[m][IS_LOWER] and tokens[m][LOWER] in particles:
                m += 1
            if not _part_after(tokens, hits, m) and not (m < n and tokens[m][TEXT] == "-" and _glued(tokens, m)):
                break
            k = m + 1 if tokens[m][TEXT] != "-" else m  # "bin Abdulaziz"; "al-Assad" goes on at its hyphen
        elif _part_after(tokens, hits, k) and k + 2 < n and tokens[k + 1][TEXT] == "-" and _glued(tokens, k + 1) \
                and _part_after(tokens, hits, k + 2):
            k += 3  # "Hamad Al-Thani": a hyphenated part after the run
        else:
            break
    return k


def style_start(tokens: list[Token], hits: list[dict], start: int, end: int, styles: frozenset[str],
                honorific: str) -> int:
    """Where the name [start, end) starts past the styles before it ("Sheikh", "Samdech Techo") and an
    honorific written with a capital ("Ông Kengo Ishida"); two syllables at least are left."""
    k = start
    while end - k > 2 or (end - k == 2 and tokens[k][LOWER] in styles):
        honor = hits[k].get(honorific)
        if tokens[k][LOWER] in styles:
            k += 1
        elif honor is not None and honor < end and end - honor >= 2:
            k = honor
        else:
            break
    return k
