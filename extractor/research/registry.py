"""The people registry: one entry per real person across articles, and who held which post when.

Entity resolution, rule by rule (each decision is recorded as a `why` line, `--explain`):
- a person is created only by a full name (two syllables or more: "Nguyễn Văn An"); short
  mentions ("ông An") never create one — they are the variants of the full name that the
  extractor joined them to within an article;
- mentions with the same full name (case and tone placement folded) are one person, unless the
  places of their posts conflict: posts in different provinces ("Chủ tịch UBND xã … Nghệ An",
  "Giám đốc Sở … Cà Mau") are different people — unless one article gives the person posts in
  both (a transfer written in one sentence links them);
- when one name is split by place, its mentions whose posts name no place cannot be told apart:
  they form a person of their own, marked `ambiguous`.

The registry reads records one at a time and keeps only aggregates (per person and post: dates,
counts, article ids), never the records.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from ..evaluate import fold_name
from .positions import ArticleContext, Position, PositionCanon
from .records import published_day


def is_full_name(name: str) -> bool:
    """A name that can create a person: two words or more, each capitalized.

    >>> is_full_name("Nguyễn Văn An"), is_full_name("An"), is_full_name("Tô Lâm")
    (True, False, True)
    """
    words = name.split()
    return len(words) >= 2 and all(w[:1].isupper() for w in words)


def name_key(name: str) -> str:
    """The comparison key of a full name: NFC, modern tone placement, spaces and case folded.

    >>> name_key(" Nguyễn  Văn Hoà") == name_key("nguyễn văn hòa")
    True
    """
    return fold_name(name).lower()


@dataclass
class Seen:
    """When and in which articles something was seen: publication days and article ids."""

    article_ids: list[str] = field(default_factory=list)
    first_seen: str | None = None
    last_seen: str | None = None
    first_article: str | None = None
    last_article: str | None = None
    _days: dict = field(default_factory=dict, repr=False)  # article id → publication day (or None)

    def add(self, article_id: str, day: str | None) -> None:
        if article_id in self._days:
            return
        self._days[article_id] = day
        self.article_ids.append(article_id)
        if day is None:
            return
        if self.first_seen is None or day < self.first_seen:
            self.first_seen, self.first_article = day, article_id
        if self.last_seen is None or day > self.last_seen:
            self.last_seen, self.last_article = day, article_id

    def merge(self, other: "Seen") -> None:
        for article_id in other.article_ids:
            self.add(article_id, other._days.get(article_id))

    def typical_start(self) -> str | None:
        """The day a quarter of the dated articles come before: where a timeline places this
        holder, so one stray early mention does not put a later holder first.

        >>> seen = Seen()
        >>> for i, day in enumerate(["2017-07-10", "2021-04-06", "2021-04-20", "2021-04-28"]):
        ...     seen.add(str(i), day)
        >>> seen.first_seen, seen.typical_start()
        ('2017-07-10', '2021-04-06')
        """
        days = sorted(day for day in self._days.values() if day is not None)
        return days[len(days) // 4] if days else None


@dataclass
class PostSeen:
    """One canonical post of one person: its written and canonical forms and when it was seen."""

    position: Position
    titles: Counter = field(default_factory=Counter)
    canonicals: Counter = field(default_factory=Counter)
    seen: Seen = field(default_factory=Seen)

    def merge(self, other: "PostSeen") -> None:
        self.titles.update(other.titles)
        self.canonicals.update(other.canonicals)
        self.seen.merge(other.seen)


@dataclass
class Mentions:
    """Everything seen of one full name with one set of places (the unit entity resolution joins)."""

    names: Counter = field(default_factory=Counter)
    variants: Counter = field(default_factory=Counter)
    seen: Seen = field(default_factory=Seen)
    posts: dict[str, PostSeen] = field(default_factory=dict)

    def merge(self, other: "Mentions") -> None:
        self.names.update(other.names)
        self.variants.update(other.variants)
        self.seen.merge(other.seen)
        for key, post in other.posts.items():
            if key in self.posts:
                self.posts[key].merge(post)
            else:
                self.posts[key] = PostSeen(post.position, Counter(post.titles), Counter(post.canonicals), _copy(post.seen))


def _copy(seen: Seen) -> Seen:
    fresh = Seen()
    fresh.merge(seen)
    return fresh


@dataclass
class NameGroup:
    """All mentions of one full name: by place cluster (provinces linked when one article gives
    the person posts in both) and the mentions whose posts name no place."""

    parent: dict[str, str] = field(default_factory=dict)
    by_province: dict[str, Mentions] = field(default_factory=dict)
    unplaced: Mentions | None = None

    def root(self, province: str) -> str:
        # Path halving: each step moves strictly up a finite forest, so the loop ends.
        while self.parent[province] != province:
            self.parent[province] = self.parent[self.parent[province]]
            province = self.parent[province]
        return province

    def link(self, provinces: list[str]) -> None:
        for province in provinces:
            self.parent.setdefault(province, province)
        roots = sorted({self.root(p) for p in provinces})
        for other in roots[1:]:
            self.parent[other] = roots[0]

    def clusters(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for province in sorted(self.parent):
            found.setdefault(self.root(province), []).append(province)
        return found


@dataclass
class Person:
    """One registry entry (`to_dict` is the JSON line of `vnextract people`)."""

    person_id: str
    mentions: Mentions
    provinces: list[str]
    ambiguous: bool
    why: list[str]
    post_map: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return _most_common(self.mentions.names)

    def positions(self) -> list[PostSeen]:
        """Posts in order of first appearance (undated last), then by articles."""
        return sorted(self.mentions.posts.values(),
                      key=lambda p: (p.seen.first_seen or "9999", -len(p.seen.article_ids), p.position.key))

    def to_dict(self, explain: bool = False, article_ids: bool = True) -> dict[str, Any]:
        """The registry entry; `explain` adds `why`, the decisions that made it."""
        m = self.mentions
        entry: dict[str, Any] = {
            "person_id": self.person_id, "name": self.name,
            "variants": [v for v, _ in sorted(m.variants.items(), key=lambda kv: (-kv[1], kv[0]))],
            "articles": len(m.seen.article_ids), "first_seen": m.seen.first_seen, "last_seen": m.seen.last_seen,
            "provinces": self.provinces,
            "positions": [post_entry(p, article_ids) for p in self.positions()],
            "ambiguous": self.ambiguous,
        }
        if explain:
            entry["why"] = list(self.why)
        return entry


def post_entry(post: PostSeen, article_ids: bool = True) -> dict[str, Any]:
    """One position of a person, as the registry writes it."""
    entry: dict[str, Any] = {
        "title": _most_common(post.titles), "canonical": _most_common(post.canonicals),
        "first_seen": post.seen.first_seen, "last_seen": post.seen.last_seen,
        "articles": len(post.seen.article_ids),
    }
    if article_ids:
        entry["article_ids"] = list(post.seen.article_ids)
    if post.position.former:
        entry["former"] = True
    if post.position.qualifier:
        entry["qualifier"] = post.position.qualifier
    if post.position.province:
        entry["province"] = post.position.province
    return entry


def _most_common(counter: Counter) -> str:
    # Most frequent, ties to the alphabetically first: the same input gives the same registry.
    return min(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0] if counter else ""


def person_id(key: str, provinces: list[str], ambiguous: bool = False) -> str:
    """A stable id: the same name and places give the same id in every run and on every input.

    >>> person_id("nguyễn văn an", []) == person_id("nguyễn văn an", [])
    True
    """
    basis = key + "|" + ("?" if ambiguous else ",".join(sorted(provinces)))
    return "p-" + hashlib.sha1(basis.encode("utf-8")).hexdigest()[:12]


class Registry:
    """Builds the people registry from records, one record at a time.

    >>> reg = Registry()
    >>> reg.add({"id": "a1", "published_at": "2021-04-06", "text": "",
    ...          "officials": [{"name": "Nguyễn Văn An", "titles": ["Chủ tịch UBND tỉnh Nghệ An"], "mentions": []}]})
    >>> [(p.name, p.provinces) for p in reg.people()]
    [('Nguyễn Văn An', ['Nghệ An'])]
    """

    def __init__(self, rules: Any = None):
        self.canon = PositionCanon.for_rules(rules)
        self.groups: dict[str, NameGroup] = {}
        self._people: list[Person] | None = None
        self._assign: dict[tuple[str, str | None], Person] = {}

    def official_positions(self, record: dict[str, Any], context: ArticleContext | None = None) -> Iterator[tuple[dict, list[Position]]]:
        """Each official of a record with the canonical post of each of its titles, in order (two
        wordings of one post give two positions with one key: the titles table keeps a row per
        title written; the registry counts an article once per post)."""
        context = context if context is not None else self.canon.context(record)
        for official in record.get("officials") or ():
            if not isinstance(official, dict) or not isinstance(official.get("name"), str):
                continue
            positions = [self.canon.position(title, context, complete=False)
                         for title in official.get("titles") or () if isinstance(title, str) and title.strip()]
            yield official, positions

    def add(self, record: dict[str, Any]) -> None:
        """Take in one record's officials."""
        self._people = None
        article_id = str(record.get("id"))
        day = published_day(record)
        text = record.get("text") if isinstance(record.get("text"), str) else ""
        for official, positions in self.official_positions(record):
            name = fold_name(official["name"])
            if not is_full_name(name):
                continue  # short mentions never create persons
            group = self.groups.setdefault(name_key(name), NameGroup())
            provinces = sorted({p.province for p in positions if p.province})
            if provinces:
                group.link(provinces)
                mentions = group.by_province.setdefault(provinces[0], Mentions())
            else:
                if group.unplaced is None:
                    group.unplaced = Mentions()
                mentions = group.unplaced
            mentions.names[name] += 1
            mentions.variants[name] += 1
            for variant in _mention_texts(official, text):
                if variant != name:
                    mentions.variants[variant] += 1
            mentions.seen.add(article_id, day)
            for position in positions:
                post = mentions.posts.get(position.key)
                if post is None:
                    post = mentions.posts[position.key] = PostSeen(position)
                post.titles[fold_name(position.title)] += 1
                post.canonicals[position.canonical] += 1
                post.seen.add(article_id, day)

    def add_all(self, records: Iterable[dict[str, Any]]) -> "Registry":
        for record in records:
            self.add(record)
        return self

    def people(self) -> list[Person]:
        """The resolved persons, most articles first."""
        if self._people is None:
            self._resolve()
        return self._people  # type: ignore[return-value]

    def person_for(self, name: str, positions: list[Position]) -> Person | None:
        """The person an official of an article was resolved to (None for short mentions)."""
        if self._people is None:
            self._resolve()
        name = fold_name(name)
        if not is_full_name(name):
            return None
        key = name_key(name)
        group = self.groups.get(key)
        if group is None:
            return None
        provinces = sorted({p.province for p in positions if p.province})
        if provinces and provinces[0] not in group.parent:
            return None
        return self._assign.get((key, group.root(provinces[0]) if provinces else None))

    def final_key(self, person: Person, position: Position) -> str:
        """The key of the post a written position ended up in for this person."""
        return person.post_map.get(position.key, position.key)

    def _resolve(self) -> None:
        people: list[Person] = []
        self._assign = {}
        for key in sorted(self.groups):
            group = self.groups[key]
            clusters = group.clusters()
            unplaced = group.unplaced
            placed: list[Person] = []
            for root, provinces in clusters.items():
                merged = Mentions()
                for province in provinces:
                    if province in group.by_province:
                        merged.merge(group.by_province[province])
                why = [f"same full name '{_most_common(merged.names)}' in {len(merged.seen.article_ids)} articles "
                       f"with posts in {', '.join(provinces)}"]
                if len(provinces) > 1:
                    why.append(f"{' and '.join(provinces)} joined: one article gives this name posts in both")
                person = Person(person_id(key, provinces), merged, provinces, False, why)
                placed.append(person)
                self._assign[(key, root)] = person
            if unplaced is not None:
                count = len(unplaced.seen.article_ids)
                if len(placed) == 1:
                    placed[0].mentions.merge(unplaced)
                    placed[0].why.append(f"{count} articles whose posts name no place joined: no conflicting place")
                    self._assign[(key, None)] = placed[0]
                elif not placed:
                    person = Person(person_id(key, []), unplaced, [], False,
                                    [f"same full name '{_most_common(unplaced.names)}' in {count} articles; "
                                     "no post names a place, so nothing conflicts"])
                    placed.append(person)
                    self._assign[(key, None)] = person
                else:
                    where = "; ".join(", ".join(p.provinces) for p in placed)
                    person = Person(person_id(key, [], ambiguous=True), unplaced, [], True,
                                    [f"same full name '{_most_common(unplaced.names)}' in {count} articles whose posts "
                                     f"name no place, while the name holds posts in different places ({where}): "
                                     "cannot tell which person these are"])
                    placed.append(person)
                    self._assign[(key, None)] = person
            if len(placed) > 1:
                for person in placed:
                    if not person.ambiguous:
                        others = [", ".join(p.provinces) or "no place" for p in placed if p is not person]
                        person.why.append(f"kept apart from the same name with posts in {'; '.join(others)}: places conflict")
            for person in placed:
                person.post_map = fold_posts(person.mentions, self.canon, self.canon.is_vietnamese_name(person.name))
            people.extend(placed)
        people.sort(key=lambda p: (-len(p.mentions.seen.article_ids), p.name, p.person_id))
        self._people = people

    def positions(self) -> list[dict[str, Any]]:
        """Per canonical post, its holders in time order with the first and last article showing
        each (`vnextract positions`). Time order is by `Seen.typical_start`: a holder's early stray
        mention does not place them before the holder they succeeded."""
        posts: dict[str, dict[str, Any]] = {}
        for person in self.people():
            for post in person.mentions.posts.values():
                entry = posts.get(post.position.key)
                if entry is None:
                    entry = posts[post.position.key] = {"key": post.position.key, "canonicals": Counter(),
                                                         "position": post.position, "holders": []}
                entry["canonicals"].update(post.canonicals)
                entry["holders"].append({
                    "person_id": person.person_id, "name": person.name, "_order": post.seen.typical_start(),
                    "first_seen": post.seen.first_seen, "last_seen": post.seen.last_seen,
                    "first_article": post.seen.first_article or (post.seen.article_ids[0] if post.seen.article_ids else None),
                    "last_article": post.seen.last_article or (post.seen.article_ids[-1] if post.seen.article_ids else None),
                    "articles": len(post.seen.article_ids),
                })
        out = []
        for entry in posts.values():
            holders = sorted(entry["holders"], key=lambda h: (h.pop("_order") or "9999", h["first_seen"] or "9999",
                                                               h["last_seen"] or "9999", -h["articles"], h["name"]))
            position: Position = entry["position"]
            row: dict[str, Any] = {"canonical": _most_common(entry["canonicals"]), "key": entry["key"],
                                   "province": position.province, "former": position.former,
                                   "qualifier": position.qualifier,
                                   "articles": sum(h["articles"] for h in holders), "holders": holders}
            out.append(row)
        out.sort(key=lambda r: (-r["articles"], r["key"]))
        return out


def fold_posts(mentions: Mentions, canon: PositionCanon, complete: bool = True) -> dict[str, str]:
    """Merge a person's posts that are one post written shorter: a post whose words begin a longer
    post of the same person ("Bộ trưởng", "Bí thư Thành ủy") joins the longer one with the most
    articles, when that one is seen at least as often; what is left is completed from `full_posts.tsv` ("Thủ tướng" → "Thủ tướng Chính
    phủ" unless the person's own posts say "Thủ tướng Anh"; only for Vietnamese names, `complete`).
    Returns written key → final key."""
    posts = mentions.posts
    mapping: dict[str, str] = {}
    for key in sorted(posts, key=len):
        post = posts[key]
        longer = [other for other_key, other in posts.items()
                  if other_key.startswith(key + " ") and other.position.former == post.position.former]
        if longer:
            target = max(longer, key=lambda p: (len(p.seen.article_ids), p.position.key))
            if len(target.seen.article_ids) < len(post.seen.article_ids):
                continue  # the short form is the usual one: a rare longer wording is another post
            target.merge(post)
            del posts[key]
            mapping[key] = target.position.key
    for key in list(posts) if complete else ():
        completed = canon.complete(posts[key].position)
        if completed.key == key:
            continue
        post = posts.pop(key)
        mapping[key] = completed.key
        post.canonicals = Counter({completed.canonical: sum(post.canonicals.values())})
        if completed.key in posts:
            posts[completed.key].merge(post)
        else:
            post.position = completed
            posts[completed.key] = post
    for key, target in list(mapping.items()):  # a short post merged into one completed later
        seen = set()
        while target in mapping and target not in seen:
            seen.add(target)
            target = mapping[target]
        mapping[key] = target
    return mapping


def _mention_texts(official: dict[str, Any], text: str) -> Iterator[str]:
    for mention in official.get("mentions") or ():
        try:
            start, end = int(mention["start"]), int(mention["end"])
        except (KeyError, TypeError, ValueError):
            continue
        if 0 <= start < end <= len(text):
            yield fold_name(text[start:end])
