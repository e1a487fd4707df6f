"""officials — named people with every position, rank and role the article gives them.

`OfficialsComponent(rules)(document)` → `list[Official]`. The reading happens in
`people.PeopleReader` (who is named where, which titles go with them) over the lexicon hits of
`Document.token_view` (`extractor.facts.tokens`); this module merges short mentions into full names, drops people without
a position (citizens, war invalids, photographers) and folds repeated variants of one title.
"""

from __future__ import annotations

import re

from ...document import Document
from ...record import Mention, Official, Span
from ...rules_loader import Rules, load_rules
from .lexicon import Lexicon, load_lexicon
from .people import PeopleReader, Person
from .frames import Frames, load_frames
from .titles import TitleReader

_PARENTHESIS_RE = re.compile(r"\s*\([^)]*\)")
_NON_WORD_RE = re.compile(r"[^\w]+")


class OfficialsComponent:
    """Finds officials in a document.

    >>> from extractor.rules_loader import load_rules
    >>> text = ("Đồng chí Đặng Bá Cường, Ủy viên Ban Thường vụ Thành ủy, Trưởng Ban Nội chính "
    ...         "Thành ủy chủ trì cuộc làm việc.")
    >>> [o.to_dict()["titles"] for o in OfficialsComponent(load_rules())(Document(text, load_rules()))]
    [['Ủy viên Ban Thường vụ Thành ủy', 'Trưởng Ban Nội chính Thành ủy']]
    """

    name = "officials"
    requires = ("text", "token_view")
    assigns = ("facts.officials", "people_spans")

    def __init__(self, rules: Rules):
        self.rules = rules
        self.lexicon = load_lexicon(rules)

    def __call__(self, document: Document) -> list[Official]:
        people = PeopleReader(TitleReader.for_document(document, self.lexicon)).read()
        document.people_spans = [m for p in people for m in p.mentions]
        merged = merge_short_mentions(people)
        frames = load_frames(self.rules)
        return [to_official(p, self.lexicon, document.text, frames) for p in merged if p.titles]


def merge_short_mentions(people: list[Person]) -> list[Person]:
    """Join "đồng chí Cường" to the one full name ending in "Cường"; drop it when none or several.

    >>> full = Person("Đặng Bá Cường", [(0, 13)])
    >>> short = Person("Cường", [(40, 45)], roles=["kết luận"], role_spans=[(46, 54)])
    >>> [(p.name, p.mentions, p.roles) for p in merge_short_mentions([full, short])]
    [('Đặng Bá Cường', [(0, 13), (40, 45)], ['kết luận'])]
    """
    syllables = {id(p): p.syllables for p in people}  # split each name once, not once per pair
    full = [p for p in people if len(syllables[id(p)]) >= 2]
    result = list(full)
    for person in people:
        short = syllables[id(person)]
        if len(short) >= 2:
            continue
        owners = [f for f in full if syllables[id(f)][-len(short):] == short]
        if len(owners) != 1:
            continue
        owner = owners[0]
        owner.mentions.extend(person.mentions)
        owner.titles.extend(t for t in person.titles if t not in owner.titles)
        for title, when in person.when.items():
            owner.when.setdefault(title, when)
        for role, where in zip(person.roles, person.role_spans):
            owner.add_role(role, where)
        owner.rank = owner.rank or person.rank
    return result


def to_official(person: Person, lexicon: Lexicon, text: str, frames: Frames | None = None) -> Official:
    """The record form: titles in order of appearance, variants of one position listed once;
    `title_spans` and `role_spans` say where each title and role (the kept form) is written;
    `title_when` whether each is held now, newly or before (only when one is not current).

    >>> text = "Ông Lê Anh Quân, Chủ tịch UBND huyện Gia Lâm. Chủ tịch UBND huyện nói"
    >>> person = Person("Lê Anh Quân", [(4, 15)], titles=[(46, "Chủ tịch UBND huyện"), (17, "Chủ tịch UBND huyện Gia Lâm")])
    >>> official = to_official(person, load_lexicon(load_rules()), text)
    >>> official.titles, [(s.start, s.end) for s in official.title_spans]
    (['Chủ tịch UBND huyện Gia Lâm'], [(17, 44)])
    """
    if frames is None:
        frames = load_frames(load_rules())
    titles: list[str] = []
    offsets: list[int] = []
    keys: list[str] = []
    whens: list[str] = []
    for offset, title in sorted(person.titles):
        key = title_key(title, lexicon)
        when = title_when(title, person.when.get((offset, title)), frames)
        same, fuller = _same_post(key, keys, lexicon, frames)
        if same is not None and fuller is None:
            fuller = key.startswith(keys[same] + " ") and titles[same].lower() in lexicon.heads
        if same is None:
            titles.append(title)
            offsets.append(offset)
            keys.append(key)
            whens.append(when)
        elif fuller:
            # "Bí thư Nguyễn Văn A … Bí thư Thành ủy Nguyễn Văn A": the post with its body says more
            titles[same], offsets[same], keys[same] = title, offset, key
            if whens[same] == "current":
                whens[same] = when
    mentions = [Mention(s, e) for s, e in sorted(set(person.mentions))]
    return Official(name=person.name, titles=titles, mentions=mentions, roles=list(person.roles),
                    rank=person.rank,
                    title_spans=[Span(title, offset, offset + len(title)) for title, offset in zip(titles, offsets)],
                    role_spans=[Span(text[start:end], start, end) for start, end in person.role_spans],
                    title_when=whens if whens.count("current") != len(whens) else None)


def _same_post(key: str, keys: list[str], lexicon: Lexicon, frames: Frames) -> tuple[int | None, bool | None]:
    """Which title kept so far (by its key) is the post keyed `key`, and whether `key` says more
    (None: the caller decides, for a post written with more words): the same key or one
    continuing the other first, then a kept one saying less, then `key` saying less. One loop per
    question, no generator per title.

    >>> lexicon, frames = load_lexicon(load_rules()), load_frames(load_rules())
    >>> _same_post("bí thư tỉnh ủy", ["chủ tịch", "bí thư"], lexicon, frames)
    (1, None)
    >>> _same_post("tổng thống", ["chủ tịch", "cựu tổng thống"], lexicon, frames)
    (1, False)
    """
    for n, k in enumerate(keys):
        if key == k or key.startswith(k + " ") or k.startswith(key + " "):
            return n, None
    for n, k in enumerate(keys):
        if _says_less(k, key, lexicon, frames):
            return n, True
    for n, k in enumerate(keys):
        if _says_less(key, k, lexicon, frames):
            return n, False
    return None, False


def _says_less(short: str, long: str, lexicon: Lexicon, frames: Frames) -> bool:
    """Is the title keyed `short` the same post as `long`, written with less: a bare post with a
    bare unit ("Phó Chủ tịch TP" of "Phó Chủ tịch UBND TP.HCM": the unit's own body is implied),
    a bare post beside the same post marked former ("Tổng thống" of "cựu Tổng thống"), or a post
    whose head implies its body's kind written without it ("Bộ trưởng Công Thương" of "Bộ trưởng Bộ
    Công Thương": rules/officials/implied_bodies.tsv)?

    >>> lexicon, frames = load_lexicon(load_rules()), load_frames(load_rules())
    >>> _says_less("phó chủ tịch thành phố", "phó chủ tịch ủy ban nhân dân thành phố hồ chí minh", lexicon, frames)
    True
    >>> _says_less("tổng thống", "cựu tổng thống", lexicon, frames), _says_less("chủ tịch", "phó chủ tịch", lexicon, frames)
    (True, False)
    >>> _says_less("bộ trưởng công thương", "bộ trưởng bộ công thương", lexicon, frames)
    True
    """
    first, _, rest = long.partition(" ")
    if not (rest == short or long.startswith(short.partition(" ")[0] + " ")):
        return False  # neither "cựu" + the post nor the post + more: the checks below cannot hold
    if first in frames.words["former"] and rest == short and short in lexicon.heads:
        return True
    for head, body in lexicon.implied_bodies.items():  # "Bộ trưởng GD-ĐT" of "Bộ trưởng Bộ GD-ĐT"
        if short.startswith(head + " ") and long == f"{head} {body} {short[len(head) + 1:]}":
            return True
    words, levels = short.split(" "), lexicon.admin_levels  # rules/places/admin_units.tsv
    for size in (1, 2):  # "tỉnh", "thành phố"
        post, unit = " ".join(words[:-size]), " ".join(words[-size:])
        if post in lexicon.heads and unit in levels and long.startswith(post + " "):
            after = long[len(post) + 1:].split(" ")  # the unit written in any spelling: "TP", "thành phố"
            return any(levels.get(" ".join(after[m:m + width])) == levels[unit]
                       for m in range(len(after)) for width in (1, 2))
    return False


def title_when(title: str, framed: str | None, frames: Frames) -> str:
    """current, new or former: a frame's word first ("được bầu giữ chức" → new), then the
    title's own "nguyên"/"cựu", then a qualifier it ends with ("(cũ)" → former).

    >>> from extractor.rules_loader import load_rules
    >>> frames = load_frames(load_rules())
    >>> title_when("nguyên Bí thư Tỉnh ủy", None, frames), title_when("Chủ tịch UBND tỉnh", "new", frames)
    ('former', 'new')
    """
    if framed is not None:
        return framed
    when = frames.title_whens.get(title)  # the same titles come back article after article
    if when is None:
        when = frames.title_whens.remember(title, _own_when(title, frames))
    return when


def _own_when(title: str, frames: Frames) -> str:
    """What the title says of itself: its "nguyên"/"cựu", else a qualifier it ends with."""
    if title.split(" ", 1)[0].lower() in frames.words["former"]:
        return "former"
    return frames.qualifier_when(title) or "current"


def title_key(title: str, lexicon: Lexicon) -> str:
    """A comparison key: abbreviations spelled out, brackets dropped, lower case, words only.

    >>> from extractor.rules_loader import load_rules
    >>> title_key("Chủ tịch UBND TP. Huế", load_lexicon(load_rules()))
    'chủ tịch ủy ban nhân dân thành phố huế'
    """
    key = lexicon.title_keys.get(title)
    if key is None:
        key = lexicon.title_keys.remember(title, _title_key(title, lexicon))
    return key


def _title_key(title: str, lexicon: Lexicon) -> str:
    text = _PARENTHESIS_RE.sub("", title)
    text = lexicon.abbreviation_re.sub(lambda m: lexicon.abbreviations[m.group(1)], text)
    return " ".join(_NON_WORD_RE.sub(" ", text.lower()).split())


COMPONENT = OfficialsComponent
