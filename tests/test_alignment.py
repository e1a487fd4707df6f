"""Offsets in normalized text map back onto the original text, whatever normalization changed."""

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.alignment import OffsetMap
from extractor.normalize import normalize_text

# Pieces whose normalization differs from themselves: NFD letters, old tone placement, odd spaces,
# dashes, zero-width characters, line ends.
PIECES = ["Chiều", "Uỷ ban", "hoà", "thuỷ", "21/5", "98,5%", "quận", "Lê Chân", " ", "  ", "\u00a0", "\u200b",
          "\u2013", "\u2014", "\r\n", "\n\n\n", " \n ", "\t", ",", ".", "Ủy", "Hòa"]


def _messy(pieces: list[str], nfd: bool) -> str:
    text = "".join(pieces)
    return unicodedata.normalize("NFD", text) if nfd else text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=30), st.booleans(), st.data())
def test_every_normalized_span_maps_to_original_text_that_normalizes_to_it(pieces, nfd, data):
    original = _messy(pieces, nfd)
    offsets = OffsetMap(original)
    normalized = offsets.normalized
    assert normalized == normalize_text(original)
    if not normalized:
        return
    start = data.draw(st.integers(0, len(normalized) - 1))
    end = data.draw(st.integers(start + 1, len(normalized)))
    if normalized[start].isspace() or normalized[end - 1].isspace():
        return  # facts never start or end with whitespace
    if (start > 0 and normalized[start - 1].isalpha() and normalized[start].isalpha()) or \
            (end < len(normalized) and normalized[end - 1].isalpha() and normalized[end].isalpha()):
        return  # nor inside a syllable (a moved tone mark belongs to the syllable, not to one letter)
    left, right = offsets.span(start, end)
    assert 0 <= left < right <= len(original)
    assert normalize_text(original[left:right]) == normalized[start:end].strip()


def test_unchanged_text_maps_to_itself():
    offsets = OffsetMap("Chiều 21/5, Ủy ban")
    assert offsets.span(0, 10) == (0, 10)


def test_a_text_the_per_character_route_cannot_rebuild_falls_back_to_a_diff():
    from extractor.alignment import _diff_align

    starts, ends = _diff_align("Uỷ  ban", "Ủy ban")
    assert (starts[0], ends[-1]) == (0, 7)


def test_a_syllable_glued_to_a_number_gets_the_same_tone_placement():
    """Found by the property above: "thuỷ21/5" kept its old tone mark while "thuỷ 21/5" did not, so
    a span's original text normalized differently from the span."""
    original = "thuỷ – thuỷ21/5"
    offsets = OffsetMap(original)
    assert offsets.normalized == normalize_text(original) == "thủy – thủy21/5"
    left, right = offsets.span(7, 11)
    assert normalize_text(original[left:right]) == offsets.normalized[7:11] == "thủy"
