"""Running a date rule only near its gate, with exactly the matches of a full `finditer`.

A rule's regex opens with long optional alternations (parts of day, weekdays, "ngày hôm qua"…),
so a plain scan tries them at every word start. Each rule of `patterns.json` may name a `gate`:
a regex that matches somewhere inside every match of the rule ("\\d[/.-]\\d" for "21/5"), or a
few such regexes. The gate runs once over the text (cheap when it opens with a literal: the
engine then skips ahead instead of testing every character); the rule then only searches the
stretches from which a match could reach a gate hit. The stretch sizes come from the rule's regex
itself (`reach`): its longest match and how far its lookaheads peek. Only whitespace runs are
unbounded in the patterns; normalized text has at most `SPACE_RUN` whitespace characters in a
row, and a text with a longer run is scanned in full. A `fence` narrows a stretch further: a
match cannot contain a character none of its literals and classes accepts.

The not-a-date phrases are case-sensitive regexes with literals of their own: an `Anchor` (a
literal a bounded distance from the match's start) gives the few places where one can start.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

# The only use of the `re` module's private internals in vnextract: this module reads the parse
# tree that `re.compile` itself builds. Python 3.11 renamed the modules and added atomic groups
# and possessive repeats; on 3.10 those node kinds cannot occur, so they stand for no node.
# tests/facts/test_dates_scan.py checks `reach` on every interpreter the suite runs on.
try:
    from re import _constants as sre_c, _parser as sre_parse
except ImportError:  # Python 3.10
    import sre_constants as sre_c  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]
_NO_NODE = object()
ATOMIC_GROUP = getattr(sre_c, "ATOMIC_GROUP", _NO_NODE)
POSSESSIVE_REPEAT = getattr(sre_c, "POSSESSIVE_REPEAT", _NO_NODE)

SPACE_RUN = 2
MAXWIDTH = sre_c.MAXREPEAT
LONG_SPACE_RE = re.compile(r"\s" * (SPACE_RUN + 1))
# A line break inside a too long whitespace run, at each place it can take in the run.
LONG_SPACE_AT_BREAK_RE = re.compile("\n(?:" + "|".join(
    "(?<=" + r"\s" * before + "\n)" + r"\s" * (SPACE_RUN - before) for before in range(SPACE_RUN + 1)) + ")")
_SPACE_CLASS = [(sre_c.CATEGORY, sre_c.CATEGORY_SPACE)]


@dataclass(frozen=True)
class Gate:
    """A rule's gate. A case-insensitive gate written in lower case also gets a case-sensitive
    twin (`folded`) run over the lower-cased text: a leading literal then lets the regex engine
    skip ahead instead of trying the gate at every character.

    The twin finds every hit of the gate when lower-casing keeps the text's length (one character
    for one) and the text holds none of the `unsafe` characters, the few that the engine's
    case-insensitive matching equates with a gate letter beyond `str.lower` ("ſ" with "s").
    """

    regex: re.Pattern
    folded: re.Pattern | None = None
    unsafe: str = ""

    @classmethod
    def of(cls, regex: re.Pattern) -> "Gate":
        """The gate of a compiled regex, with its lower-case twin when it can have one.

        >>> gate = Gate.of(re.compile("tháng", re.IGNORECASE))
        >>> bool(gate.folded.flags & re.IGNORECASE), gate.unsafe
        (False, '')
        >>> Gate.of(re.compile(r"\\S", re.IGNORECASE)).folded is None
        True
        """
        source = regex.pattern
        extra = _extra_cases()
        if not regex.flags & re.IGNORECASE or source != source.lower() or "(?-i" in source or extra is None:
            return cls(regex)
        unsafe = {chr(code) for char in set(source) for code in extra.get(ord(char), ())}
        return cls(regex, re.compile(source, regex.flags & ~re.IGNORECASE), "".join(sorted(unsafe)))

    def hits(self, text: str, lowered: str, present: Callable[[str], bool] | None = None) -> list[tuple[int, int]]:
        """Spans of the gate's matches, read on `lowered` (`text.lower()`) when that is exact.
        `present` tells whether a character is in the text (a caller running many gates over
        one text remembers the answers).

        >>> gate = Gate.of(re.compile("qua", re.IGNORECASE))
        >>> gate.hits("Hôm QUA, qua", "hôm qua, qua")
        [(4, 7), (9, 12)]
        """
        if present is None:
            present = text.__contains__
        if self.folded is not None and len(lowered) == len(text) and not any(map(present, self.unsafe)):
            return [m.span() for m in self.folded.finditer(lowered)]
        return [m.span() for m in self.regex.finditer(text)]


def _extra_cases() -> dict[int, tuple[int, ...]] | None:
    """The engine's own table of case-insensitive equivalences beyond lower case (None if absent)."""
    try:
        from re import _casefix
    except ImportError:  # pragma: no cover - other Python versions: no folded gates
        return None
    return getattr(_casefix, "_EXTRA_CASES", None)


def has_long_space(text: str) -> bool:
    """Whether the text has a run of more than `SPACE_RUN` whitespace characters.

    A text whose only whitespace is spaces and line breaks (every other whitespace character is
    unprintable) is checked with fast literal searches instead of a scan of every character.

    >>> has_long_space("a \\n b"), has_long_space("a\\n\\nb c"), has_long_space("a\\t\\t\\tb")
    (True, False, True)
    >>> all(not c.isprintable() for c in map(chr, range(0x110000)) if c.isspace() and c != " ")
    True
    """
    if text.replace("\n", "").isprintable():
        return " " * (SPACE_RUN + 1) in text or LONG_SPACE_AT_BREAK_RE.search(text) is not None
    return LONG_SPACE_RE.search(text) is not None


class Unbounded(Exception):
    """The regex can match or peek arbitrarily far: it cannot be run in windows."""


@dataclass(frozen=True)
class Reach:
    """How many characters a match may span (`width`) and examine from its start (`extent`), and
    how far past any point its lookaheads (and `\\b`) may look (`peek`)."""

    width: int
    extent: int
    peek: int = 0


def reach(pattern: re.Pattern) -> Reach | None:
    """The reach of a compiled regex, or None when a repeat other than whitespace is unbounded.

    >>> reach(re.compile(r"(?<!\\w)ngày\\s+\\d{1,2}(?!\\d)"))
    Reach(width=8, extent=9, peek=1)
    >>> reach(re.compile(r"\\w+ qua")) is None, reach(re.compile(r"(?:ngày)?")) is None
    (True, True)
    """
    parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    if parsed.getwidth()[0] == 0:  # an empty match steps differently through finditer
        return None
    peeks = [0]
    try:
        width, extent = _sequence(parsed.data, {}, peeks)
    except Unbounded:
        return None
    return Reach(width, extent, max(peeks))


def _sequence(items, groups: dict[int, int], peeks: list[int]) -> tuple[int, int]:
    width = extent = 0
    for op, av in items:
        w, x = _node(op, av, groups, peeks)
        extent = max(extent, width + x)
        width += w
    return width, extent


def _node(op, av, groups: dict[int, int], peeks: list[int]) -> tuple[int, int]:
    if op in (sre_c.LITERAL, sre_c.NOT_LITERAL, sre_c.ANY, sre_c.IN):
        return 1, 1
    if op is sre_c.AT:  # \b and friends look at the next character
        peeks.append(1)
        return 0, 1
    if op is sre_c.SUBPATTERN:
        group, _, _, body = av
        width, extent = _sequence(body.data, groups, peeks)
        if group is not None:
            groups[group] = width
        return width, extent
    if op is ATOMIC_GROUP:
        return _sequence(av.data, groups, peeks)
    if op is sre_c.BRANCH:
        spans = [_sequence(alt.data, groups, peeks) for alt in av[1]]
        return max(w for w, _ in spans), max(x for _, x in spans)
    if op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, POSSESSIVE_REPEAT):
        low, high, body = av
        width, extent = _sequence(body.data, groups, peeks)
        if high == sre_c.MAXREPEAT:
            if not _is_space(body.data):
                raise Unbounded
            high = SPACE_RUN  # each iteration eats one character of one whitespace run
        return (high * width, (high - 1) * width + extent) if high else (0, 0)
    if op in (sre_c.ASSERT, sre_c.ASSERT_NOT):
        direction, body = av
        _, extent = _sequence(body.data, groups, peeks)
        if direction == 1:
            peeks.append(extent)
            return 0, extent
        return 0, 0
    if op is sre_c.GROUPREF:
        if av not in groups:
            raise Unbounded
        return groups[av], groups[av]
    if op is sre_c.GROUPREF_EXISTS:
        _, yes, no = av
        spans = [_sequence(branch.data, groups, peeks) for branch in (yes, no) if branch is not None]
        return max(w for w, _ in spans), max(x for _, x in spans)
    raise Unbounded


def _is_space(items) -> bool:
    """Whether a repeated item is one whitespace character (`\\s` or a space)."""
    if len(items) != 1:
        return False
    op, av = items[0]
    if op is sre_c.LITERAL:
        return chr(av).isspace()
    return op is sre_c.IN and av == _SPACE_CLASS


def windows(hits: list[tuple[int, int]], width: int, text: str = "",
            rule_fence: "Fence | None" = None) -> list[tuple[int, int]]:
    """Merged ranges of start positions from which a match of at most `width` characters can
    contain one of the gate hits (a hit covers a character of the match).

    With a fence, a range does not reach back past the last character before the hit that no
    match can contain: the match would have to contain it too.

    >>> windows([(10, 12), (14, 15), (40, 41)], 5)
    [(5, 15), (35, 41)]
    >>> windows([(7, 9)], 8, "ab. cd 21/5", fence(re.compile(r"[a-z]+ \\d")))
    [(3, 9)]
    """
    merged: list[tuple[int, int]] = []
    for start, end in hits:
        low = max(0, start - width)
        if rule_fence is not None:
            last = rule_fence.before.search(text, low, start)
            if last is not None:
                low = last.start() + 1
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((low, end))
    return merged


def gated_finditer(regex: re.Pattern, text: str, hits: list[tuple[int, int]], rule_reach: Reach,
                   rule_fence: "Fence | None" = None):
    """The matches `regex.finditer(text)` gives, searching only the windows around the gate hits.

    Every match contains a character covered by a hit, so it starts in a window; a search from
    inside a window is cut `extent` characters after the window, beyond anything an attempt
    starting in the window looks at. With a fence, it is cut sooner: an attempt consumes no
    character past the first fence character after the window, and peeks only `peek` beyond it.

    >>> regex = re.compile(r"(?<!\\w)(?:[Ss]áng\\s+)?\\d{1,2}/\\d{1,2}")
    >>> text = "Sáng 21/5 họp, chiều 22/5 nghỉ."
    >>> hits = [m.span() for m in re.finditer(r"\\d/\\d", text)]
    >>> [m.group() for m in gated_finditer(regex, text, hits, reach(regex), fence(regex))]
    ['Sáng 21/5', '22/5']
    """
    position = 0
    size = len(text)
    for low, high in windows(hits, rule_reach.width, text, rule_fence):
        start = max(low, position)
        end = min(size, high + rule_reach.extent)
        if rule_fence is not None:
            after = rule_fence.after.search(text, high, end)
            if after is not None:
                end = min(end, after.start() + 1 + rule_reach.peek)
        while start < high:
            match = regex.search(text, start, end)
            if match is None or match.start() >= high:
                break
            yield match
            position = start = match.end() if match.end() > match.start() else match.end() + 1


# Characters tested for being fence characters: Latin with Vietnamese letters, and punctuation.
# A character outside them never fences (which only makes windows wider).
FENCE_CANDIDATES = "".join(chr(c) for r in (range(0x250), range(0x1E00, 0x1F00), range(0x2000, 0x2070))
                           for c in r)
_CATEGORIES = {sre_c.CATEGORY_DIGIT: r"\d", sre_c.CATEGORY_NOT_DIGIT: r"\D", sre_c.CATEGORY_SPACE: r"\s",
               sre_c.CATEGORY_NOT_SPACE: r"\S", sre_c.CATEGORY_WORD: r"\w", sre_c.CATEGORY_NOT_WORD: r"\W"}


@dataclass(frozen=True)
class Fence:
    """Characters no match of a regex can contain, as two searches: the last one before a point
    (`before`, searched up to `endpos`) and the first one after it (`after`)."""

    before: re.Pattern
    after: re.Pattern


def fence(pattern: re.Pattern) -> Fence | None:
    """The fence of a regex (a match consumes only characters its literals and classes accept),
    or None when every character may be consumed.

    >>> found = fence(re.compile(r"(?<!\\w)(?:sáng\\s+)?\\d+/\\d+", re.IGNORECASE))
    >>> text = "họp vào Sáng 21/5"
    >>> found.before.search(text, 0, 13).start(), found.before.search("SÁNG 2", 0, 6)
    (6, None)
    >>> found.after.search("Sáng 21/5 họp", 4).start()
    10
    """
    atoms: list[str] = []
    try:
        _consumed(sre_parse.parse(pattern.pattern, pattern.flags).data, atoms)
    except Unbounded:
        return None
    if not atoms:
        return None
    accepted = "[" + "".join(atoms) + "]"
    # Each atom matches as written or, in the pattern's case-insensitive parts, ignoring case:
    # a character is a fence only if neither reading accepts it.
    taken = set(re.findall(accepted, FENCE_CANDIDATES)) | set(re.findall(accepted, FENCE_CANDIDATES, re.IGNORECASE))
    fences = "".join(re.escape(c) for c in FENCE_CANDIDATES if c not in taken)
    if not fences:
        return None
    return Fence(re.compile(f"[{fences}][^{fences}]*\\Z"), re.compile(f"[{fences}]"))


def _consumed(items, atoms: list[str]) -> None:
    """Collect, as character-class items, everything the regex items may consume (Unbounded when
    that can be any character)."""
    for op, av in items:
        if op is sre_c.LITERAL:
            atoms.append(re.escape(chr(av)))
        elif op is sre_c.IN:
            for kind, value in av:
                if kind is sre_c.LITERAL:
                    atoms.append(re.escape(chr(value)))
                elif kind is sre_c.RANGE:
                    atoms.append(re.escape(chr(value[0])) + "-" + re.escape(chr(value[1])))
                elif kind is sre_c.CATEGORY and value in _CATEGORIES:
                    atoms.append(_CATEGORIES[value])
                else:  # a negated class or an unusual category
                    raise Unbounded
        elif op in (sre_c.SUBPATTERN,):
            _consumed(av[3].data, atoms)
        elif op is ATOMIC_GROUP:
            _consumed(av.data, atoms)
        elif op is sre_c.BRANCH:
            for alternative in av[1]:
                _consumed(alternative.data, atoms)
        elif op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, POSSESSIVE_REPEAT):
            _consumed(av[2].data, atoms)
        elif op is sre_c.GROUPREF_EXISTS:
            for branch in av[1:]:
                if branch is not None:
                    _consumed(branch.data, atoms)
        elif op in (sre_c.AT, sre_c.ASSERT, sre_c.ASSERT_NOT, sre_c.GROUPREF):
            continue  # lookarounds consume nothing; a back-reference repeats a group's characters
        else:  # any character, a negated literal, …
            raise Unbounded


@dataclass(frozen=True)
class Anchor:
    """Literals of which every match of a case-sensitive regex contains one: each with the least
    and the most characters between the match's start and the literal (`most` None: unbounded).

    >>> anchor = Anchor.of(re.compile(r"(?:[Nn]ăm|tháng) sau\\w* đó"))
    >>> anchor.literals
    ((' sau', 3, 5),)
    >>> anchor.starts("Năm sau đó, tháng sau đó")
    [0, 12, 13, 14]
    """

    literals: tuple[tuple[str, int, int | None], ...]

    @classmethod
    def of(cls, pattern: re.Pattern) -> "Anchor | None":
        """The best anchor of a regex (a bounded one, then the longest literals, then the fewest),
        or None when no literal is certain or the regex ignores case or can match empty."""
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
        if pattern.flags & re.IGNORECASE or parsed.getwidth()[0] == 0:
            return None
        options = _anchors(parsed.data, parsed.state)
        if not options:
            return None
        return cls(max(options, key=_anchor_rank))

    @property
    def bounded(self) -> bool:
        """Whether every literal lies a bounded distance from the match's start."""
        return all(most is not None for _, _, most in self.literals)

    def hits(self, text: str) -> list[tuple[int, int]]:
        """Spans of every occurrence of the literals (overlapping ones too), in text order."""
        found = []
        for literal, _, _ in self.literals:
            at = text.find(literal)
            while at >= 0:
                found.append((at, at + len(literal)))
                at = text.find(literal, at + 1)
        return sorted(found)

    def starts(self, text: str) -> list[int]:
        """Every position where a match may start, in order (for a bounded anchor)."""
        found = set()
        for literal, least, most in self.literals:
            at = text.find(literal)
            while at >= 0:
                found.update(range(max(0, at - most), at - least + 1))
                at = text.find(literal, at + 1)
        return sorted(found)


def _anchor_rank(option: tuple[tuple[str, int, int | None], ...]) -> tuple:
    # A bounded anchor lets a few `match` calls replace a search; long literals are the rarest.
    spread = max((MAXWIDTH if most is None else most - least) for _, least, most in option)
    return (spread < MAXWIDTH, min(len(literal.strip()) for literal, _, _ in option), -len(option), -spread)


def _anchors(items, state) -> list[tuple[tuple[str, int, int | None], ...]]:
    """Every way to anchor a sequence of parsed items: a top-level run of literals, or a group
    whose alternatives each have an anchor."""
    options = []
    run_start = None
    for index, (op, av) in enumerate(list(items) + [(None, None)]):
        if op is sre_c.LITERAL:
            run_start = index if run_start is None else run_start
            continue
        if run_start is not None:
            run = "".join(chr(value) for _, value in items[run_start:index])
            options.append(_shifted(((run, 0, 0),), items[:run_start], state))
            run_start = None
        alternatives = None
        if op is sre_c.BRANCH:
            alternatives = [alternative.data for alternative in av[1]]
        elif op is sre_c.SUBPATTERN and not (av[1] | av[2]) & re.IGNORECASE:
            alternatives = [av[3].data]
        if alternatives:
            best = []
            for alternative in alternatives:
                found = _anchors(alternative, state)
                if not found:
                    break
                best.extend(max(found, key=_anchor_rank))
            else:
                options.append(_shifted(tuple(best), items[:index], state))
    return options


def _shifted(option, prefix, state):
    """An alternative's anchor seen from the start of the sequence, past `prefix`."""
    least, most = sre_parse.SubPattern(state, list(prefix)).getwidth()
    unbounded = most >= MAXWIDTH
    return tuple((literal, low + least, None if unbounded or high is None else high + most)
                 for literal, low, high in option)


def anchored_finditer(regex: re.Pattern, text: str, starts: list[int]):
    """The matches `regex.finditer(text)` gives, trying only the positions where a match may start.

    >>> regex = re.compile(r"\\w+ sau đó")
    >>> [m.group() for m in anchored_finditer(regex, "năm sau đó, sau đó", [0, 1, 2, 3])]
    ['năm sau đó']
    """
    position = 0
    for start in starts:
        if start < position:
            continue
        match = regex.match(text, start)
        if match is not None:
            yield match
            position = match.end()


def required_literals(pattern: re.Pattern) -> list[tuple[str, ...]]:
    """Literal strings a case-sensitive regex cannot match without: each tuple lists alternatives
    of which one must occur in the text. Empty when nothing is certain (or the regex ignores case).

    >>> required_literals(re.compile(r"\\w+ qua đời"))
    [(' qua đời',)]
    >>> required_literals(re.compile(r"(?:âm lịch|ÂL)\\d"))
    [('âm lịch', 'ÂL')]
    """
    if pattern.flags & re.IGNORECASE:
        return []
    found: list[tuple[str, ...]] = []
    run: list[str] = []
    for op, av in sre_parse.parse(pattern.pattern, pattern.flags).data:
        if op is sre_c.LITERAL:
            run.append(chr(av))
            continue
        if run:
            found.append(("".join(run),))
            run = []
        choices = None
        if op is sre_c.BRANCH:  # a non-capturing group is inlined by the parser
            choices = _literal_choices([(op, av)])
        elif op is sre_c.SUBPATTERN and not av[1] & re.IGNORECASE:
            choices = _literal_choices(av[3].data)
        if choices:
            found.append(choices)
    if run:
        found.append(("".join(run),))
    # A lone space is in every text; the longest literals are the rarest, so they go first.
    found = [choices for choices in found if all(c.strip() for c in choices)]
    return sorted(found, key=lambda choices: -min(map(len, choices)))


def _literal_choices(items) -> tuple[str, ...] | None:
    """The strings a group of pure literal alternatives matches ("(?:Tết|tháng)")."""
    if len(items) == 1 and items[0][0] is sre_c.BRANCH:
        alternatives = items[0][1][1]
    else:
        alternatives = [items]
    choices = []
    for alternative in alternatives:
        data = alternative.data if hasattr(alternative, "data") else alternative
        if not data or any(op is not sre_c.LITERAL for op, _ in data):
            return None
        choices.append("".join(chr(av) for _, av in data))
    return tuple(choices)
