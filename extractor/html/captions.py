"""Image captions that pages write without a caption class.

vnPortal and many provincial portals put an image in a centred paragraph and its caption in the
next one, in italics: `<p style="text-align:center"><img …></p><p style="text-align:center"><em>Ảnh
minh họa: …</em></p>`. SPEC keeps captions out of `text`; they go to the record's `captions`.
A caption here is a short paragraph that is emphasized (all its text in <em>/<i>) and follows an
image, or is centred, or opens with a caption word (`caption_prefixes` in rules/sites/_common.json);
or one that opens with a caption word and follows an image or is centred.
"""

from __future__ import annotations

import re

from bs4 import NavigableString, Tag

from .blocks import BLOCK_TAGS

MAX_CAPTION_CHARS = 300
_EMPHASIS = frozenset({"em", "i"})
_CENTRED_RE = re.compile(r"text-align\s*:\s*center", re.IGNORECASE)


def implicit_captions(container: Tag, caption_prefix: re.Pattern[str], texts: dict[int, str]) -> set[int]:
    """`id()`s of the paragraphs under `container` that are image captions by the rules above;
    `texts` maps `id(element)` to the text of short elements (see `reader.short_texts`).

    >>> from bs4 import BeautifulSoup
    >>> from extractor.html.reader import short_texts
    >>> soup = BeautifulSoup('<div><p style="text-align:center"><img src="a.jpg"></p>'
    ...                      '<p style="text-align:center"><em>Lãnh đạo thành phố thăm hỏi.</em></p><p>Nội dung.</p></div>', "lxml")
    >>> found = implicit_captions(soup.div, re.compile("^ảnh:"), short_texts(soup.div, MAX_CAPTION_CHARS))
    >>> [p.get_text() for p in soup.find_all("p") if id(p) in found]
    ['Lãnh đạo thành phố thăm hỏi.']
    """
    found: set[int] = set()
    for element in container.find_all(["p", "div"]):
        text = " ".join(texts.get(id(element), "").split())
        if not text or len(text) > MAX_CAPTION_CHARS or _has_block_child(element):
            continue
        prefixed = caption_prefix.search(text) is not None
        placed = _follows_image(element) or _is_centred(element)
        if (_is_emphasized(element) and (placed or prefixed)) or (prefixed and placed):
            found.add(id(element))
    return found


def _has_block_child(element: Tag) -> bool:
    return any(isinstance(child, Tag) and child.name in BLOCK_TAGS for child in element.children)


def _is_centred(element: Tag) -> bool:
    return bool(_CENTRED_RE.search(element.get("style") or "")) or (element.get("align") or "").lower() == "center"


def _is_emphasized(element: Tag) -> bool:
    """Every piece of visible text sits inside <em> or <i>."""
    seen = False
    for string in element.find_all(string=True):
        if not string.strip():
            continue
        seen = True
        parent = string.parent
        while parent is not None and parent is not element and parent.name not in _EMPHASIS:
            parent = parent.parent
        if parent is None or parent is element:
            return False
    return seen


def _follows_image(element: Tag) -> bool:
    """An image right before the text: in the previous sibling element (with no text of its own)
    or at the start of this one."""
    first = next((c for c in element.children if not (isinstance(c, NavigableString) and not c.strip())), None)
    if isinstance(first, Tag) and (first.name == "img" or (first.find("img") is not None and not first.get_text(strip=True))):
        return True
    previous = element.find_previous_sibling(True)
    if previous is None:
        return False
    has_image = previous.name == "img" or previous.find("img") is not None
    return has_image and not previous.get_text(strip=True)
