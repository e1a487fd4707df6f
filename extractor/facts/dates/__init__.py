"""dates — every calendar expression of an article, resolved to an ISO 8601 value.

The grammar lives in `rules/dates/` (word lists and the named patterns of `patterns.json`);
this package holds the engine: productions build a candidate from each match
(`productions.py`), neighbours are joined and the best spans kept (`combine.py`), and year-less
values take the year nearest the publication date (`moments.py`).

Never claimed here: durations ("trong 5 năm"), ratios ("7/7 phường"), document numbers,
ordinals and lunar-calendar names — the quantities component or nobody takes those.
"""

from __future__ import annotations

from datetime import date

from ...budget import check as check_budget
from ...document import Document
from ...record import DateFact
from ...rules_loader import Rules, RulesError
from .combine import complete, join_neighbours, link_lists, select
from .directions import apply_directions
from .grammar import DateGrammar, DateRule, grammar_for
from .productions import PRODUCTIONS, Candidate, MatchContext, missing_groups
from .scan import gated_finditer, has_long_space


def check_productions(grammar: DateGrammar) -> None:
    """Every rule of patterns.json names a known production and has the groups it reads: a
    misspelled production or group would otherwise fail on every document, one by one.

    >>> from extractor.rules_loader import load_rules
    >>> check_productions(grammar_for(load_rules()))
    """
    for rule in grammar.rules:
        if rule.production not in PRODUCTIONS:
            raise RulesError(f"dates/patterns.json: rule {rule.name!r}: unknown production {rule.production!r}"
                             f" (known: {', '.join(sorted(PRODUCTIONS))})")
        missing = missing_groups(rule.production, rule.regex)
        if missing:
            raise RulesError(f"dates/patterns.json: rule {rule.name!r}: its pattern lacks the group"
                             f"{'s' if len(missing) > 1 else ''} {', '.join(missing)} that production"
                             f" {rule.production!r} reads")


def find_candidates(text: str, grammar: DateGrammar, reference: date | None) -> list[Candidate]:
    """Every rule's candidates over the text, minus those overlapping a not-a-date phrase.

    >>> from extractor.rules_loader import load_rules
    >>> found = find_candidates("Chiều 21/5, họp.", grammar_for(load_rules()), None)
    >>> [(c.rule, c.moment.month, c.moment.day, c.part) for c in found]
    [('day_month_numeric', 5, 21, 'afternoon')]
    """
    context = MatchContext(text, grammar, reference)
    matches = RuleMatches(text)
    blocked = [m.span() for pattern in grammar.not_dates for m in pattern.finditer(text, matches.gated)]
    found = []
    for rule in grammar.rules:
        build = PRODUCTIONS[rule.production]
        for match in matches(rule):
            check_budget()
            candidate = build(match, context)
            if candidate.__class__ is list:  # rare: two facts from one match ("đêm 30 rạng sáng 31/12")
                pending = candidate
            elif candidate is None:
                continue
            else:
                pending = (candidate,)
            for candidate in pending:
                if blocked and any(candidate.start < e and s < candidate.end for s, e in blocked):
                    continue
                candidate.rule = rule.name
                found.append(candidate)
    return found


class RuleMatches:
    """A rule's matches in one text, searched near its gate's hits when it has one (the hits of a
    gate shared by several rules are found once)."""

    def __init__(self, text: str):
        self.text = text
        self.gated = not has_long_space(text)
        self.hits: dict[int, list[tuple[int, int]]] = {}  # by the id of a gate (rules share them)
        self.lowered: str | None = None
        self.characters: dict[str, bool] = {}

    def present(self, character: str) -> bool:
        """Whether the character is in the text (asked by every gate: answered once)."""
        found = self.characters.get(character)
        if found is None:
            found = self.characters[character] = character in self.text
        return found

    def __call__(self, rule: DateRule):
        """The same matches as `rule.regex.finditer(text)`.

        >>> from extractor.rules_loader import load_rules
        >>> rule = grammar_for(load_rules()).rules[0]
        >>> [m.group() for m in RuleMatches("Chiều 21/5, họp.")(rule)]
        ['Chiều 21/5']
        """
        if rule.gate is None or rule.reach is None or not self.gated:
            return rule.regex.finditer(self.text)
        hits = self.hits.get(id(rule.gate))
        if hits is None:
            if self.lowered is None:
                self.lowered = self.text.lower()
            if len(rule.gate) == 1:
                hits = rule.gate[0].hits(self.text, self.lowered, self.present)
            else:
                hits = sorted(span for gate in rule.gate for span in gate.hits(self.text, self.lowered, self.present))
            self.hits[id(rule.gate)] = hits
        return gated_finditer(rule.regex, self.text, hits, rule.reach, rule.fence)


def extract_dates(text: str, grammar: DateGrammar, reference: date | None,
                  anchor_lone_times: bool = False) -> list[DateFact]:
    """The date facts of a normalized text, in text order.

    >>> from extractor.rules_loader import load_rules
    >>> [(f.text, f.value) for f in extract_dates("Chiều 21/5, 7/7 phường họp.", grammar_for(load_rules()), date(2020, 5, 22))]
    [('Chiều 21/5', '2020-05-21')]
    """
    candidates = join_neighbours(find_candidates(text, grammar, reference), text, reference, grammar)
    chosen = link_lists(select(candidates), text, grammar)
    chosen = complete(apply_directions(chosen, text, grammar, reference), reference, anchor_lone_times)
    return [to_fact(c, text) for c in chosen]


def to_fact(candidate: Candidate, text: str) -> DateFact:
    """The record's form of a candidate."""
    value = candidate.moment.iso()
    if candidate.until is not None:
        value = f"{value}/{candidate.until.iso()}"
    return DateFact(text=text[candidate.start:candidate.end], start=candidate.start, end=candidate.end,
                    kind=candidate.kind, value=value, part_of_day=candidate.part,
                    relative=True if candidate.deictic else None)


class DatesComponent:
    """Finds dates, times and periods in a document.

    >>> from extractor.rules_loader import load_rules
    >>> doc = Document(text="Ngày 28/12, họp.", rules=load_rules(), published_at=date(2021, 1, 3))
    >>> DatesComponent(load_rules())(doc)[0].value
    '2020-12-28'
    """

    name = "dates"
    requires = ("text", "reference_date")
    assigns = ("facts.dates",)
    uses_underthesea = False  # regexes and word lists only

    def __init__(self, rules: Rules):
        self.rules = rules
        self.grammar = grammar_for(rules)
        check_productions(self.grammar)
        self.anchor_lone_times = bool(rules.setting("dates", "anchor_lone_times"))

    def __call__(self, document: Document) -> list[DateFact]:
        return extract_dates(document.text, self.grammar, document.reference_date, self.anchor_lone_times)


COMPONENT = DatesComponent
