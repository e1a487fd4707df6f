"""Finding people and tying positions, ranks and roles to them, left to right over the tokens.

The reader keeps a little state while it walks a sentence:
- `anchor`: the person just named; a title after "," "-" "–" or a link word ("là", "làm",
  "được bầu làm") is theirs ("Đặng Bá Cường, Ủy viên …, Trưởng Ban …");
- `pending`: titles met before any name, waiting for the name they introduce ("Phó Bí thư
  Thành ủy, Chủ tịch UBND thành phố Lê Trung Chinh");
- `collective`: a title written once before a list ("các đồng chí Phó Chủ tịch UBND tỉnh: A, B",
  "hai phó chủ tịch … là ông A và ông B"), given to everyone listed until the sentence ends;
- `sentence_roles`: a role opening the sentence ("Phát biểu tại …, đồng chí …", "Tham dự có …");
  when a person is its object ("Tiếp Đại sứ X, Chủ tịch Y …") it waits for the first comma;
- a post written as someone else's ("của", "thay mặt" before it: rules/officials/absent_owners.txt)
  waits for no name.
People are then merged: a short later mention ("đồng chí Cường") joins the full name; only
people with at least one position are officials.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import itemgetter

from ...budget import check as check_budget
from ...progress import advanced
from ..tokens import (_NO_HITS, ADMIN, BREAK_TEXTS, COLLECTIVE, CONTINUATION, END, HEAD, HONORIFIC, IS_ABBREVIATION,
                      IS_LOWER, IS_NEWLINE, IS_NUMBER, IS_TITLECASE, IS_WORD, LINK, LIST_OPENER, LOWER, MODIFIER,
                      NOT_ROLE, ORG_LABELS, PLACE, RANK, ROLE, START, TEXT, is_sentence_break)
from .lexicon import role_end
from .names import dictionary_words, foreign_tail_end, run_on_end, style_start
from .titles import _APOSTROPHES, MAX_NAME, TitleReader, is_foreign_word

_CHAIN_SEPARATORS = frozenset({",", "-", "–"})
# Lower-case words the reader must look at even when no lexicon hit starts there: the meanings
# of rules/officials/title_words.tsv below ("và", "nguyên"), with the first words of
# rules/officials/pending_bridges.tsv ("đối với", "nhiệm kỳ").
_CHAIN_MEANINGS = ("and", "former")
# Lower-case words that may stand between a collective title and its list ("đương nhiệm").
_MAX_COLLECTIVE_FILLER = 2
_ROLE_WINDOW = 3
# A clause about a person between the name and the posts ("SN 1961", "quê xã X"): at most this
# many tokens to its comma, and at most this many clauses in a row.
_MAX_CLAUSE, _MAX_CLAUSES = 12, 3
_CLAUSE_STOPS = frozenset({",", ";", ":", "(", ")"})
# Punctuation the reader acts on; other marks and numbers end a chain like an ordinary word.
_MARKS = frozenset({",", ";", ":", "(", ")", *_CHAIN_SEPARATORS, *BREAK_TEXTS})
# The hits that let a token open a collective title, a name, a title or an organization.
_OPENING_LABELS = frozenset({COLLECTIVE, HONORIFIC, RANK, HEAD, *ORG_LABELS})
# Hits the reader's own step does not act on (see `PeopleReader._ordinary`).
_QUIET_LABELS = frozenset({ADMIN, CONTINUATION, PLACE, MODIFIER, NOT_ROLE, LIST_OPENER})
_QUIET_LOWER_LABELS = _QUIET_LABELS | frozenset(ORG_LABELS)
# What the main loop does at a token: `_step` it, skip it and the ordinary run it opens, the
# short cases of `_step` at a chain separator or a sentence break without hits, or first ask what
# a piece new to the memo is.
_ORDINARY, _STEP, _SEPARATOR, _BREAK, _UNKNOWN = range(5)


@dataclass
class Person:
    """A person as met in the text: name, where, and what positions/roles/rank go with them."""

    name: str
    mentions: list[tuple[int, int]] = field(default_factory=list)
    titles: list[tuple[int, str]] = field(default_factory=list)  # (character offset, title)
    roles: list[str] = field(default_factory=list)
    role_spans: list[tuple[int, int]] = field(default_factory=list)  # where each role is written
    rank: str | None = None
    # The titles already given, for a constant-time "given before?" (a list test is quadratic when
    # one person is named with a title thousands of times).
    given: set[tuple[int, str]] = field(default_factory=set, repr=False, compare=False)
    # (character offset, title) → "new" / "former" when a frame says so (rules/officials/appointment_frames.tsv)
    when: dict[tuple[int, str], str] = field(default_factory=dict)

    def add_role(self, role: str, where: tuple[int, int]) -> None:
        """A role the person had, once, with where its first mention is written."""
        if role not in self.roles:
            self.roles.append(role)
            self.role_spans.append(where)

    @property
    def syllables(self) -> list[str]:
        return self.name.split()


class PeopleReader:
    """One pass over a document's tokens that collects `Person`s."""

    def __init__(self, titles: TitleReader):
        self.titles = titles
        self.view = titles.view
        self.tokens = titles.tokens
        self.lexicon = titles.lexicon
        self.people: dict[str, Person] = {}
        self.sentence_start = 0
        self.frames = titles.frames
        words = titles.frames.words  # rules/officials/title_words.tsv, by meaning
        self._and, self._former, self._concurrently, self._holds, self._listing = \
            words["and"], words["former"], words["concurrently"], words["holds"], words["listing"]
        self._distributive = words["distributive"]
        self.span_when: dict[tuple[int, int], str] = {}  # title tokens → when its frame says
        self.framed_after: set[tuple[int, int]] = set()  # posts a frame gives to a person named later
        self.met_end = 0  # where the last name met really ends (see `_meet`)
        self.last_person: Person | None = None
        # the last person named in an earlier sentence of the paragraph: "Trước khi được bầu, ông từng
        # giữ chức …" (a pronoun and a career frame) goes back to them
        self.previous_person: Person | None = None
        self.honorific_of: dict[str, str] = {}  # name → the honorific it was last written with ("ông")
        self._reset_sentence()

    def _reset_sentence(self, paragraph: bool = False) -> None:
        self.previous_person = None if paragraph else (self.last_person or self.previous_person)
        self.referent: Person | None = None  # the earlier person a bare "ông"/"bà" of this sentence may be
        self.anchor: Person | None = None
        self.chained = False
        self.pending: list[tuple[int, int]] = []
        self.collective: list[tuple[int, int]] = []
        self.listing = False
        # (role, where it is written) of roles waiting for the people they belong to
        self.sentence_roles: list[tuple[str, tuple[int, int]]] = []
        self.object_roles: list[tuple[str, tuple[int, int]]] = []  # "Tiếp Đại sứ X, …": waits for the first comma
        self.role_person: Person | None = None
        self.role_until = -1
        self.last_person: Person | None = None
        self.list_separator: str | None = None
        self.pending_rank: str | None = None
        self.chain_when: str | None = None  # "từng giữ các chức vụ: A, B, C": the frame covers the list
        self.name_list: list[Person] = []  # "D, E, F - Phó Giám đốc …": names waiting for one title
        self.loose_list = False  # a name of the list came with its own honorific or after "và"

    # -- main loop -------------------------------------------------------------------------------
    def read(self) -> list[Person]:
        """Collect every person of the document (officials or not), in order of first mention.

        >>> reader = PeopleReader(TitleReader.from_text("Bà Lò Thị Mai, Phó Chủ tịch UBND tỉnh; ông Lò Văn Hùng."))
        >>> [(p.name, [t for _, t in p.titles]) for p in reader.read()]
        [('Lò Thị Mai', ['Phó Chủ tịch UBND tỉnh']), ('Lò Văn Hùng', [])]
        """
        tokens, all_hits = self.tokens, self.view.hits
        # An ordinary token (most of the text: a lower-case word, a number, a "/" or "%", a
        # capitalized word that cannot start a name, with no lexicon hit that the reader acts on)
        # only ends whatever chain was open; after the first of a run the state has nothing left
        # to end, so the loop jumps from it straight to the next token that can matter. Without
        # hits that depends on the token's text alone: asked once per piece.
        quiet = self.lexicon.quiet_pieces
        quiet.make_room()  # a long-running worker: keep the memo bounded
        chain_words = self._and.union(*(self.frames.words[m] for m in _CHAIN_MEANINGS), self.lexicon.bridge_openers)
        # a piece new to the memo is asked when the loop gets to it (`_UNKNOWN`, not ordinary:
        # the loop stops there), not looked for ahead over the whole list
        kinds = list(map(quiet.get, map(itemgetter(TEXT), tokens), repeat(_UNKNOWN)))
        for k in self.view.touched:
            hits = all_hits[k]  # most of them have hits the step acts on: no need to ask further
            if not hits.keys() <= _QUIET_LOWER_LABELS:  # (a dict's keys against a set: no set built per call)
                kinds[k] = _STEP if not (tokens[k][IS_LOWER] and self._passed_over(hits)) \
                    or tokens[k][LOWER] in chain_words else _ORDINARY
            elif tokens[k][IS_LOWER]:  # `_ordinary` of a lower-case word with these hits, in short
                kinds[k] = _STEP if tokens[k][LOWER] in chain_words else _ORDINARY
            else:
                kinds[k] = _ORDINARY if self._ordinary(tokens[k], hits, chain_words) else _STEP
        others = list(compress(range(len(tokens)), kinds))  # _ORDINARY is 0, the others are not
        others.append(len(tokens))
        i, n = 0, len(tokens)
        while i < n:
            kind = kinds[i]
            if not kind:  # _ORDINARY
                if self.anchor is not None:
                    after = self._clause_skip(i)
                    if after is not None:  # "bà A, SN 1961, nguyên …": the clause keeps A's chain
                        i = after
                        continue
                    self.role_person, self.role_until = self.anchor, i + _ROLE_WINDOW
                    self.anchor, self.chained = None, False
                if self.pending:
                    self.pending = []
                i = others[bisect_right(others, i)]
            elif kind == _SEPARATOR:  # what `_step` does at "," "-" "–" without hits, in short
                if self.collective and self.last_person is not None and tokens[i][TEXT] == ",":
                    self._list_separator(i)
                if self.object_roles and tokens[i][TEXT] == ",":
                    self._release_object_roles()
                i += 1
            elif kind == _BREAK and not (tokens[i][TEXT] == "." and self._abbreviation_period(i)):
                self._reset_sentence(tokens[i][IS_NEWLINE])  # likewise at "." or a newline
                self.sentence_start = i = i + 1
            elif kind == _UNKNOWN:  # what the piece's text says, remembered; then the loop goes on at it
                kinds[i] = quiet[tokens[i][TEXT]] = self._kind(tokens[i], chain_words)
            else:
                following = self._step(i)
                if following <= i:
                    advanced(i, following, "officials reader")  # raises: the step did not move
                check_budget()
                i = following
        return list(self.people.values())

    def _kind(self, tok: tuple, chain_words: frozenset[str]) -> int:
        """How the main loop treats a token without hits (it depends on the text alone)."""
        if tok[TEXT] in _CHAIN_SEPARATORS:
            return _SEPARATOR
        if tok[IS_NEWLINE] or tok[TEXT] in BREAK_TEXTS:
            return _BREAK
        return _ORDINARY if self._ordinary(tok, _NO_HITS, chain_words) else _STEP

    def _ordinary(self, tok: tuple, hits: dict[str, int], chain_words: frozenset[str]) -> bool:
        """Would `_step` at this token only end the chain and move on by one?"""
        if tok[IS_LOWER]:
            # hits the reader does not act on at a lower-case word: a lower-case word starts no
            # organization ("sở", "ban"), the others matter only to titles and organizations
            return tok[LOWER] not in chain_words and hits.keys() <= _QUIET_LOWER_LABELS
        if tok[IS_WORD]:
            # a capitalized word starts no bare name unless it is a family name
            return tok[LOWER] not in chain_words and hits.keys() <= _QUIET_LABELS and not (
                tok[IS_TITLECASE] and (tok[TEXT] in self.lexicon.surnames and PLACE not in hits
                                       or not hits and is_foreign_word(tok[TEXT])))
        return not hits and not (tok[IS_NEWLINE] or tok[TEXT] in _MARKS)

    def _passed_over(self, hits: dict[str, int]) -> bool:
        """Does `_step` at a lower-case word pass over all its hits: a lone collective word that no
        post follows ("các" in "các dự án"), or a role its false friend outruns ("dự" in "dự án")?"""
        if len(hits) == 1:
            collective = hits.get(COLLECTIVE)
            return collective is not None and self.titles.head_end(collective) is None
        return len(hits) == 2 and ROLE in hits and role_end(hits) is None

    def _step(self, i: int) -> int:
        tok, hits = self.tokens[i], self.view.hits[i]
        if (tok[IS_NEWLINE] or tok[TEXT] in BREAK_TEXTS) and not (tok[TEXT] == "." and self._abbreviation_period(i)):
            self._reset_sentence(tok[IS_NEWLINE])
            self.sentence_start = i + 1
            return i + 1
        if _OPENING_LABELS.isdisjoint(hits) and tok[LOWER] not in self._former:
            # No collective title, honorific, rank, head or organization starts here (a role, a
            # place, a link word may): straight to what is left.
            if tok[IS_TITLECASE] and self._bare_name_here(i):
                end = self.titles.name_run_end(i)
                self._meet(i, end)
                return self.met_end
            return self._other(i)
        collective = hits.get(COLLECTIVE)
        if collective is not None:
            after = self._collective_title(collective)
            if after is not None:
                return after
        honorific = hits.get(HONORIFIC)
        if honorific is not None and PLACE not in hits:
            return self._after_honorific(i, honorific)
        rank = hits.get(RANK)
        if rank is not None:
            return self._after_rank(i, rank)
        if self.titles.head_end(i) is not None:
            if i > 0 and self.tokens[i - 1][IS_NUMBER]:
                after = self._collective_title(i)  # "bầu 3 Phó Chủ tịch UBND tỉnh gồm: ông A, bà B và ông C"
                if after is not None:
                    return after
            return self._title(i)
        if tok[IS_TITLECASE] and self._bare_name_here(i):
            end = self.titles.name_run_end(i)
            self._meet(i, end)
            return self.met_end
        if self.titles.org_at(i)[0] is not None:
            # An organization is not a person's title ("Đoàn đại biểu Quốc hội TP", "UBND tỉnh")
            # and breaks a chain of titles; a name right after it is read on its own.
            end, name = self.titles.organization_at(i)
            if end <= i:
                # The body's word turned out to open a name ("Đoàn Văn Hậu"): no organization.
                return self._other(i)
            self.anchor, self.chained, self.pending = None, False, []
            return name[0] if name is not None else end
        return self._other(i)

    # -- pieces ----------------------------------------------------------------------------------
    def _collective_title(self, i: int) -> int | None:
        """"các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy: …" → the title goes to everyone listed."""
        view = self.view
        if self.titles.head_end(i) is None:
            return None
        read = self.titles.read(i)
        if read is None or read.name is not None:
            return None
        k = read.end
        for _ in range(_MAX_COLLECTIVE_FILLER + 1):
            opener = view.hit(k, LIST_OPENER)
            if opener is not None:
                found = self.frames.frame_before_post(self.titles.lowers, i, self.sentence_start,
                                                      count_before=i > 0 and self.tokens[i - 1][IS_NUMBER])
                if found is not None:
                    self.span_when[(read.start, read.end)] = found[1].when
                self.collective = [(read.start, read.end)]
                self.list_separator = None
                self.listing = True
                self.anchor, self.chained, self.pending = None, False, []
                return opener
            if k < len(self.tokens) and self.tokens[k][IS_LOWER] and view.hit(k, ROLE) is None:
                k += 1
                continue
            break
        return None

    def _after_honorific(self, i: int, end: int) -> int:
        view, tokens = self.view, self.tokens
        if end < len(tokens) and tokens[end][TEXT] == "." and self._abbreviation_period(end):
            end += 1  # "ThS. Lê Thị Bình"
        after = view.hits[end] if end < len(tokens) else _NO_HITS
        if view.span_text(i, end).lower() in self._listing or LIST_OPENER in after:
            self.listing = True
        if self.titles.head_end(end) is not None or RANK in after:
            return end  # "đồng chí Trưởng ban …", "đồng chí Thiếu tướng …": read on
        name_end = self._name_end(end, MAX_NAME + 1)
        country = after.get(PLACE)
        if country is not None and country <= name_end and view.span_text(end, country).lower() in self.lexicon.countries:
            # "Chủ tịch Liên đoàn Luật sư Việt Nam": a country is no one's name; "Hội Nhà báo Việt
            # Nam Hồ Quang Lợi": the name starts after it
            end = country if name_end - country >= 2 and self.titles.starts_with_surname(country) else name_end
        if name_end > end:
            self._meet(end, name_end)
            return self.met_end
        if view.hit(end, COLLECTIVE) is None:
            self.anchor, self.chained = None, False
            earlier = self.previous_person
            if not self.listing and self.last_person is None and earlier is not None \
                    and self.honorific_of.get(earlier.name) == view.span_text(i, end).lower():
                self.referent = earlier  # "Ông A sinh năm 1974. Trước khi được bầu, ông từng giữ chức …"
        return end

    def _after_rank(self, i: int, end: int) -> int:
        rank_text = self.view.span_text(i, end)
        name_end = self._name_end(end, MAX_NAME)
        if name_end - end >= 2:
            person = self._meet(end, name_end)
            person.rank = person.rank or rank_text
            return self.met_end
        if self.anchor is not None and self.chained:
            self.anchor.rank = self.anchor.rank or rank_text
        elif end + 1 < len(self.tokens) and self.tokens[end][TEXT] == "," \
                and self.view.hit(end + 1, HONORIFIC) is not None:
            self.pending_rank = rank_text  # "Trung tướng, PGS.TS Lê Văn Cương": the rank, then degrees
        return end

    def _title(self, i: int) -> int:
        after_name = self.anchor is not None and self.chained
        frame = self._frame_of_post(i)
        owner = self.last_person or self.referent
        if frame is not None and frame.owner == "before" and not after_name and owner is not None \
                and not self._owner_absent(i):
            # "Ông A sinh năm 1975, …; từng giữ các chức vụ: …", "bà B được phân công làm …": the
            # post goes back to the person the sentence (or, after a bare "ông", the one before) is about
            self.anchor, self.chained, after_name = owner, True, True
        read = self.titles.read(i, name_min=3 if after_name else 2)
        when = frame.when if frame is not None else (self.chain_when if after_name else None)
        if when is not None:
            self.span_when[(read.start, read.end)] = when
        if frame is not None and frame.owner == "after":
            self.framed_after.add((read.start, read.end))
        if read.name is not None:
            self.pending.append((read.start, read.end))
            self._meet(*read.name)
            return self.met_end
        if after_name and self._opens_next_person(i, read.end):
            after_name = False  # "…, Phó Tư lệnh … ông B", "A Chủ tịch kiêm TGĐ X B": B's post
        if after_name:
            self.chain_when = when
            self._give(self.anchor, [(read.start, read.end)])
            if i > 0 and self.tokens[i - 1][TEXT] in ("-", "–") and self.anchor in self.name_list \
                    and (len(self.name_list) >= 3 or not self.loose_list):
                # "D, E, F - Phó Giám đốc Sở Y tế": the title after the list belongs to each name (a
                # short mention "ông Mậu" is someone introduced before, with posts of their own)
                for person in self.name_list:
                    if person is not self.anchor and not person.titles and len(person.syllables) > 1:
                        self._give(person, [(read.start, read.end)])
            return read.end
        if self._owner_absent(i):
            return read.end  # "Thừa ủy quyền của Chủ tịch nước, đồng chí A …": not A's post
        self.pending.append((read.start, read.end))
        short = self._short_name_after(read.end)
        if short and read.end == self.titles.head_end(i):
            # "Thứ trưởng Hùng", "Bí thư Cường": a bare post and a given name; joins the full name
            # later (or is dropped when no full name ends in it)
            self._meet(read.end, read.end + 1)
            return self.met_end
        return read.end

    def _link_end(self, i: int, link: int) -> int:
        """Where a link word at `i` really ends: a capitalized post may start inside it ("giữ chức
        Vụ trưởng": the link "giữ chức vụ" read over the post "Vụ trưởng")."""
        tokens = self.tokens
        return next((k for k in range(i + 1, link) if tokens[k][IS_TITLECASE] and self.titles.head_end(k) is not None),
                    link)

    def _opens_next_person(self, i: int, end: int) -> bool:
        """Does the post read at [i, end) after a person introduce the next one: an honorific and
        a name right after it ("…, Phó Tư lệnh … ông B"), or — written straight after the name,
        caption style — a concurrent post whose name follows ("A Chủ tịch kiêm TGĐ X B")?"""
        tokens, view = self.tokens, self.view
        if end >= len(tokens):
            return False
        honorific = view.hit(end, HONORIFIC)
        if honorific is not None and view.hit(end, PLACE) is None:
            if tokens[end][IS_TITLECASE] and tokens[end][LOWER] in self.frames.name_enders:
                return False  # "… Trung ương Ông Phạm Minh Chính sau đó …": a new sentence, run on
            name_end = self._name_end(honorific, MAX_NAME + 1)
            return name_end - honorific >= 2 and (self.titles.looks_like_person(honorific)
                                                 or self.titles.is_foreign_name(honorific, name_end))
        if i != self.met_end or tokens[end][LOWER] not in self._concurrently:
            return False
        after = view.hit(end, LINK) or end + 1
        if self.titles.head_end(after) is None:
            return False
        read = self.titles.read(after)
        return read is not None and read.name is not None

    def _frame_of_post(self, i: int):
        """The frame introducing the post at token `i`: written right before it ("được bầu giữ
        chức", "miễn nhiệm chức vụ", "bầu 3"), or, when a link word ("là", "giữ chức") stands
        there, anywhere before it in the sentence ("Trước khi được bầu, ông A là …")."""
        tokens = self.tokens
        if i == 0 or not (tokens[i - 1][IS_WORD] or tokens[i - 1][TEXT] == ":"):
            return None  # after a comma or a bracket: no frame is written right before the post
        frames, lowers = self.frames, self.titles.lowers
        ending = frames.frame_lengths  # by a frame's last word: most words end none
        found = frames.frame_ending_at(lowers, i, self.sentence_start) if tokens[i - 1][LOWER] in ending else None
        if found is None and (tokens[i - 1][IS_NUMBER] or tokens[i - 1][TEXT] == ":") and i > 1 \
                and tokens[i - 2][LOWER] in ending:
            found = frames.frame_ending_at(lowers, i - 1, self.sentence_start)
        if found is not None:
            return found[1]
        hits = self.view.hits
        for link in range(max(self.sentence_start, i - 5), i):
            if hits[link].get(LINK) == i:
                return frames.frame_in_sentence(lowers, self.sentence_start, link)
        return None

    def _other(self, i: int) -> int:
        tok, view = self.tokens[i], self.view
        if not tok[IS_WORD]:  # most tokens here are words (role verbs, "và"): no mark to test
            if tok[TEXT] in (",", ";") and self.collective and self.last_person is not None:
                self._list_separator(i)
            if self.object_roles and tok[TEXT] == ",":
                self._release_object_roles()
            if tok[TEXT] in _CHAIN_SEPARATORS:
                return i + 1
            if tok[TEXT] == ";":
                if self.anchor is not None and self.chained and self.met_end != i \
                        and self.titles.head_end(i + 1) is not None \
                        and self.titles.read(i + 1, name_min=3).name is None:
                    return i + 1  # "X, Ủy viên Trung ương Đảng; Bí thư Tỉnh ủy, …": X's positions go on
                self.anchor, self.chained, self.pending = None, False, []
                return i + 1
            if tok[TEXT] == ":":
                self.pending = []
                self.listing = True
                return i + 1
            if tok[TEXT] == "(":
                return self._parenthesis(i)
            if tok[TEXT] == ")":
                self.collective = []
                return i + 1
        if self.anchor is not None:
            after = self._clause_skip(i)
            if after is not None:
                return after
        hits = view.hits[i]  # i is a token of the text: no range check needed
        link = hits.get(LINK)
        if link is not None and self.pending and tok[LOWER] in self._concurrently:
            return link  # "Phó Chủ tịch UBND tỉnh kiêm Giám đốc Sở Tài chính Lê Văn A"
        if link is not None and (hits.get(ROLE) or 0) <= link:
            link = self._link_end(i, link)
            if self.anchor is not None and self.chained:
                return link
            if self.last_person is not None and tok[LOWER] in self._holds \
                    and self.titles.head_end(link) is not None:
                # "bổ nhiệm bà A, Phó Giám đốc Sở X, đến nhận công tác và giữ chức Phó Giám đốc
                # Sở Y": an appointment link goes back to the last person of the sentence.
                self.anchor, self.chained = self.last_person, True
                return link
        if self.pending:
            # rules/officials/pending_bridges.tsv: "đối với", "nhiệm kỳ 2021-2026" keep the post waiting.
            bridges = self.lexicon.pending_bridges
            bridge = bridges.get(view.span_text(i, min(i + 2, len(self.tokens))).lower())
            if bridge == "skip":
                return i + 2
            if bridges.get(tok[LOWER]) == "framed" and self.pending[-1] in self.framed_after:
                return i + 1  # "bổ nhiệm Vụ trưởng Vụ … cho ông A": the post is A's
            if bridge == "term":
                return self._term_end(i + 2)
        if tok[LOWER] in self._and:
            self.anchor, self.chained, self.pending = None, False, []
            return i + 1
        verb_end = role_end(hits)  # None for a false friend: "dự án" is not what the person did
        if verb_end is not None:
            role = self.lexicon.roles.get(view.text[tok[START]:self.tokens[verb_end - 1][END]].lower())
            where = (self.tokens[i][START], self.tokens[verb_end - 1][END])
            person = self.anchor if self.anchor is not None else (
                self.role_person if i <= self.role_until else None)
            if role and person is not None:
                person.add_role(role, where)
            elif role and i <= self.sentence_start + 1:
                # "Phát biểu tại hội nghị, đồng chí …", "Tham dự có …": a role opening the sentence
                # is what the people named in it did ("… trao Bằng khen cho ông …" is not)
                if self.view.hit(verb_end, HONORIFIC) is not None or self.titles.head_end(verb_end) is not None:
                    # "Tiếp Đại sứ X, Chủ tịch Y cảm ơn …": the person right after the verb is
                    # its object; those named after the first comma did it
                    self.object_roles.append((role, where))
                else:
                    self.sentence_roles.append((role, where))
            self.anchor, self.chained, self.pending = None, False, []
            return verb_end
        if self.anchor is not None:
            self.role_person, self.role_until = self.anchor, i + _ROLE_WINDOW
        self.anchor, self.chained, self.pending = None, False, []
        return i + 1

    def _term_end(self, k: int) -> int:
        """After "nhiệm kỳ": its years ("2021-2026", "2020 – 2025"), which keep a pending title."""
        tokens = self.tokens
        while k < len(tokens) and (tokens[k][IS_NUMBER] or tokens[k][TEXT] in ("-", "–")):
            k += 1
        return k

    def _parenthesis(self, i: int) -> int:
        """"(phó chủ tịch Hội …)", "(hiện đã giữ chức danh …)" after a name add a title; other
        brackets ("(thứ 6 từ phải sang)", "(SN 1951)") are skipped without losing the person."""
        tokens, view = self.tokens, self.view
        close = self._closing_bracket(i)
        if close is None:
            self.pending = []
            return i + 1
        if self.anchor is not None and self.chained:
            k = i + 1
            everyone = self._distributive_after(k)  # "A và B (đều là Phó Giám đốc …)": each name's
            while k < close and view.hit(k, LINK) is not None:
                k = advanced(k, view.hit(k, LINK), "bracket reader")
            while k < close and tokens[k][IS_LOWER] and self.titles.head_end(k) is None:
                k += 1
                while k < close and view.hit(k, LINK) is not None:
                    k = advanced(k, view.hit(k, LINK), "bracket reader")
            # "(Ủy viên Ban Thường vụ Thành ủy, Trưởng Ban Dân vận Thành ủy)": a list of posts
            while k < close and self.titles.head_end(k) is not None:
                read = self.titles.read(k, name_min=MAX_NAME + 1)
                if read is None or read.end > close:
                    break
                for person in (self.name_list if everyone and self.anchor in self.name_list else [self.anchor]):
                    self._give(person, [(read.start, read.end)])
                k = advanced(k, read.end + 1, "bracket reader")
                if read.end >= close or tokens[read.end][TEXT] not in (",", ";"):
                    break
            return close + 1
        if self.collective or self.anchor is None:
            # a bracket that opens a list ("(hai phó chủ tịch … là ông A và ông B)") is read inside
            self.pending = []
            return i + 1
        return close + 1

    def _distributive_after(self, k: int) -> bool:
        """Is a word saying "each of them" ("đều", "cùng": rules/officials/title_words.tsv) written at
        `k`, before a link word or a post?"""
        return k < len(self.tokens) and self.tokens[k][LOWER] in self._distributive

    def _closing_bracket(self, i: int) -> int | None:
        """The ")" closing the "(" at `i` within the sentence (and 40 tokens), else None."""
        tokens = self.tokens
        close = i + 1
        while close < len(tokens) and tokens[close][TEXT] != ")" and close - i < 40 \
                and not is_sentence_break(tokens[close]):
            close += 1
        return close if close < len(tokens) and tokens[close][TEXT] == ")" else None

    def _release_object_roles(self) -> None:
        """Past the object of a role opening the sentence: the people named from here did it."""
        self.sentence_roles.extend(self.object_roles)
        self.object_roles = []

    def _list_separator(self, i: int) -> None:
        """A collective title's list is "A, B" or "A – post; B – post": the first separator between
        two people fixes which; a ";" after a comma-separated list, or before a new clause, closes
        it (what follows is no longer under the collective title)."""
        tok = self.tokens[i][TEXT]
        if tok == ";" and i + 1 < len(self.tokens) and self.tokens[i + 1][IS_LOWER] \
                and self.view.hit(i + 1, HONORIFIC) is None:
            self.collective = []  # "… gồm: bà A, …; bầu ông B, …": a new clause, the list is over
            return
        between_people = tok == ";" or (self.titles.head_end(i + 1) is None and self.view.hit(i + 1, RANK) is None)
        if self.list_separator is None:
            if between_people:
                self.list_separator = tok
        elif self.list_separator == "," and tok == ";":
            self.collective = []

    # -- people ----------------------------------------------------------------------------------
    def _bare_name_here(self, i: int) -> bool:
        """A name with no honorific: "Trần Quang Vinh, Phó Bí thư …", or an item of a list."""
        if self.tokens[i][LOWER] in self.frames.name_styles and self._post_after(self.titles.name_run_end(i)):
            return True  # "Samdech Techo Hun Sen, Thủ tướng Campuchia": a style opens a foreign name
        if not self.titles.looks_like_person(i) and not (
                is_foreign_word(self.tokens[i][TEXT]) and not self.view.hits[i]
                and self.titles.name_run_end(i) == i + 2 and self.titles.is_foreign_name(i, i + 2)):
            return False  # "Takio Yamada, Đại sứ …": a foreign name has no family name we know
        end = self.titles.name_run_end(i)
        k = end
        tokens = self.tokens
        if self._names_then_post(end):
            return True
        if k + 1 < len(tokens) and tokens[k][TEXT] == "," and self._about_person_end(k + 1) is not None:
            return True  # "Hoàng Văn Lự, sinh năm 1938, nguyên Bí thư …"
        if k < len(tokens) and tokens[k][TEXT] in ("-", "–", ","):
            nxt = k + 1
            if self.titles.head_end(nxt) is not None or self.view.hit(nxt, RANK) is not None:
                return True
        if k < len(tokens) and tokens[k][TEXT] == "(":
            if self.listing or self.titles.head_end(k + 1) is not None:  # "Nguyễn Văn A (Chủ tịch …)"
                return True
            if self._distributive_after(k + 1) and self._post_after_links(k + 2):
                return True  # "… và Nguyễn Văn B (đều là Phó Giám đốc …)"
            # "bị cáo Lê Văn Đức (sinh năm 1968), nguyên Chủ tịch UBND xã …": a bracket about the
            # person, then the post after a comma
            close = self._closing_bracket(k)
            if close is not None and close + 1 < len(tokens) and tokens[close + 1][TEXT] in ("-", "–", ","):
                nxt = close + 2
                return self.titles.head_end(nxt) is not None or self.view.hit(nxt, RANK) is not None
            return False
        if self.listing and (k >= len(tokens) or tokens[k][TEXT] in (",", ";", ".", "-", "–") or tokens[k][LOWER] in self._and):
            return True
        if k < len(tokens) and tokens[k][LOWER] in self._and and self._after_named(i):
            return True  # "ông A, Đào Viết Huân và ông C (đều là …)": the middle name of a list
        # the last item of a list, then the verb: "…: A, B, Hồ Kỳ Minh cùng dự"
        return self.listing and self.last_person is not None and i > 0 and (
            tokens[i - 1][LOWER] in (",", ";") or tokens[i - 1][LOWER] in self._and)

    def _post_after(self, k: int) -> bool:
        """A comma or a dash at `k`, then a post."""
        return k + 1 < len(self.tokens) and self.tokens[k][TEXT] in _CHAIN_SEPARATORS \
            and self.titles.head_end(k + 1) is not None

    def _after_named(self, i: int) -> bool:
        """Is token `i` right after the comma that follows the last person named?"""
        last = self.last_person
        return last is not None and i >= 2 and self.tokens[i - 1][TEXT] == "," \
            and self.tokens[i - 2][END] == last.mentions[-1][1]

    def _post_after_links(self, k: int) -> bool:
        """Does a post start at `k`, past link words ("là", "giữ chức")?"""
        view = self.view
        for _ in range(3):
            link = view.hit(k, LINK)
            if link is None or link <= k:
                break
            k = link
        return self.titles.head_end(k) is not None

    def _names_then_post(self, k: int) -> bool:
        """After a name: more names after commas, then a dash and a post ("D, E, F - Phó Giám đốc …")."""
        tokens, titles = self.tokens, self.titles
        for _ in range(8):  # a list of at most eight names before its post
            if k + 1 >= len(tokens) or tokens[k][TEXT] != "," or not titles.looks_like_person(k + 1):
                return False
            k = titles.name_run_end(k + 1)
            if k + 1 < len(tokens) and tokens[k][TEXT] in ("-", "–"):
                return titles.head_end(k + 1) is not None
        return False

    def _owner_absent(self, i: int) -> bool:
        """Is the post at `i` written as someone else's ("của", "thay mặt" before it)?"""
        owners, tokens = self.lexicon.absent_owners, self.tokens
        return i > 0 and (tokens[i - 1][LOWER] in owners
                          or (i > 1 and f"{tokens[i - 2][LOWER]} {tokens[i - 1][LOWER]}" in owners))

    def _abbreviation_period(self, i: int) -> bool:
        """The period of "TS.", "ThS.", "GS.TS." before a name does not end the sentence."""
        tokens = self.tokens
        return tokens[i][TEXT] == "." and i > 0 and tokens[i - 1][END] == tokens[i][START] \
            and self.view.hits[i - 1].get(HONORIFIC) == i and tokens[i - 1][TEXT][:1].isupper() \
            and i + 1 < len(tokens) and (tokens[i + 1][IS_TITLECASE] or tokens[i + 1][IS_ABBREVIATION])

    def _short_name_after(self, k: int) -> bool:
        """One capitalized syllable that no lexicon claims, then no more capitals."""
        tokens, view = self.tokens, self.view
        if k >= len(tokens) or not tokens[k][IS_TITLECASE] or self.titles.name_run_end(k) != k + 1:
            return False
        if k + 1 < len(tokens) and (tokens[k + 1][IS_TITLECASE] or tokens[k + 1][IS_ABBREVIATION]):
            return False
        return not view.hits[k]

    def _name_end(self, j: int, limit: int) -> int:
        """End of a name written after an honorific or rank: capitalized syllables, at most `limit`;
        a syllable may be hyphenated without spaces ("Kim Young-soo")."""
        k, tokens, titles, words = j, self.tokens, self.titles, 0
        n = len(tokens)
        while k < n and words < limit and tokens[k][IS_TITLECASE]:
            if k > j and (titles.head_end(k) is not None or self._rank_at(k)):
                break
            k, words = k + 1, words + 1
            if k < n and tokens[k][TEXT] in _APOSTROPHES and titles.glued_apostrophe(k):
                k += 2  # "H'Hen Niê"
            while k + 1 < n and tokens[k][TEXT] == "-" and tokens[k - 1][END] == tokens[k][START] \
                    and tokens[k][END] == tokens[k + 1][START] and tokens[k + 1][IS_LOWER]:
                k += 2  # "Su-đạ-phon": a Lao or Khmer name's syllables, all joined by hyphens
        return k

    def _rank_at(self, k: int) -> bool:
        """A rank starts at `k`, written as one ("Trung tá"), not as syllables of a name ("Đỗ Trung Tá")."""
        end = self.view.hits[k].get(RANK)
        return end is not None and not all(self.tokens[m][IS_TITLECASE] for m in range(k, end))

    def _meet(self, start: int, end: int) -> Person:
        """Register a mention of a name at tokens [start, end); it takes the pending titles. The name's
        true extent (names.py: no run-on word, a foreign name whole, no style) is kept in
        `met_end`, where the reader goes on."""
        start, end = self._true_extent(start, end)
        self.met_end = end
        name = self.view.span_text(start, end)
        person = self.people.get(name)
        if person is None:
            person = self.people[name] = Person(name=name)
        person.mentions.append((self.tokens[start][START], self.tokens[end - 1][END]))
        hits = self.view.hits
        for back in (1, 2):  # the honorific written before the name ("ông", "đồng chí"), if any
            if start - back >= 0 and hits[start - back].get(HONORIFIC) == start:
                self.honorific_of[name] = self.view.span_text(start - back, start).lower()
                break
        self._give(person, self.collective + self.pending)
        if self.pending_rank is not None:
            person.rank = person.rank or self.pending_rank
            self.pending_rank = None
        for role, where in self.sentence_roles:
            person.add_role(role, where)
        self.pending = []
        last = self.last_person
        joined = self._joins_list(start, last.mentions[-1][1]) if last is not None and last.mentions else None
        if joined is not None:
            self.name_list.append(person)  # "D, E, F", "ông D, bà E và ông F": one more name of a list
            self.loose_list = self.loose_list or joined
        else:
            self.name_list, self.loose_list = [person], False
        self.anchor, self.chained = person, True
        self.last_person = person
        self.chain_when = None
        return person

    def _joins_list(self, start: int, last_end: int) -> bool | None:
        """Is the name at `start` the next of a list whose last name ended at offset `last_end`:
        after a comma (False) or, loosely (True), after "và" or with an honorific of its own
        ("…, ông Phạm Minh Tuấn")? None when it is not."""
        tokens, hits = self.tokens, self.view.hits
        k = start - 1
        for back in (1, 2):  # an honorific of one or two words ("ông", "đồng chí") before the name
            if k - back + 1 > 0 and hits[k - back + 1].get(HONORIFIC) == start:
                k -= back
                break
        if k <= 0 or tokens[k - 1][END] != last_end:
            return None
        if tokens[k][TEXT] == ",":
            return k != start - 1
        return True if tokens[k][LOWER] in self._and else None

    def _clause_skip(self, i: int) -> int | None:
        """At a token right after the anchor's name or its comma: the comma ending the clauses about
        the person that start here, when a post follows (see `_about_person_end`), else None."""
        if not self.chained or not (i == self.met_end or self.tokens[i - 1][TEXT] == ","):
            return None
        return self._about_person_end(i)

    def _about_person_end(self, i: int) -> int | None:
        """"bà A, SN 1961, nguyên Phó Chủ tịch …": the comma after the clauses about a person
        starting at `i` (rules/officials/person_clauses.tsv), when a post follows it; else None."""
        tokens, n = self.tokens, len(self.tokens)
        k = self._clause_opener_end(i)
        for _ in range(_MAX_CLAUSES):  # "sinh năm 1938, quê xã X, nguyên …"
            if k is None:
                return None
            limit = min(n, k + _MAX_CLAUSE)
            while k < limit and tokens[k][TEXT] not in _CLAUSE_STOPS and not is_sentence_break(tokens[k]):
                k += 1
            if k + 1 >= n or tokens[k][TEXT] != ",":
                return None
            if self.titles.head_end(k + 1) is not None or self.view.hit(k + 1, RANK) is not None \
                    or tokens[k + 1][LOWER] in self._former:
                return k
            k = self._clause_opener_end(k + 1)
        return None

    def _clause_opener_end(self, i: int) -> int | None:
        """End of the phrase opening a clause about a person at `i` ("sinh năm", "SN", "quê"), else None."""
        tokens, lexicon = self.tokens, self.lexicon
        if tokens[i][LOWER] not in lexicon.clause_openers:
            if tokens[i][IS_NUMBER] and i + 1 < len(tokens) and tokens[i + 1][LOWER] in lexicon.clauses_after_number:
                return i + 2  # "58 tuổi"
            return None
        for size in (3, 2, 1):
            if i + size <= len(tokens) and " ".join(tok[LOWER] for tok in tokens[i:i + size]) in lexicon.person_clauses:
                return i + size
        return None

    def _true_extent(self, start: int, end: int) -> tuple[int, int]:
        """The name at tokens [start, end) as names.py corrects it."""
        tokens, hits = self.tokens, self.view.hits
        end = foreign_tail_end(tokens, hits, start, end, self.lexicon.name_particles)
        end = run_on_end(tokens, self.view.text, start, end, dictionary_words())
        start = style_start(tokens, hits, start, end, self.frames.name_styles, HONORIFIC)
        return start, end

    def _give(self, person: Person, spans: list[tuple[int, int]]) -> None:
        for start, end in spans:
            offset = self.tokens[start][START]
            text = self.view.span_text(start, end)
            if (offset, text) not in person.given:
                person.given.add((offset, text))
                person.titles.append((offset, text))
                when = self.span_when.get((start, end))
                if when is not None:
                    person.when[(offset, text)] = when

    def _is_place(self, i: int) -> bool:
        return self.view.hit(i, PLACE) is not None
