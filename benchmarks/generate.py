"""Generate a synthetic kg dataset of any size, in the real data format, deterministically.

The output is a folder with ``sources.yaml``, ``actors.yaml``, ``places.yaml``,
``events.yaml`` and ``relations.yaml`` that ``kg validate FOLDER`` accepts. The same
seed, size and vocabulary always give the same bytes.

What it holds, to exercise every part of the loader:

- entities of every kind in ``kg.vocabulary.ENTITY_KINDS``, with aliases (accented,
  with curly and straight apostrophes, in quotes), descriptions, Wikidata ids, citations
  and figures on some; places with ``within`` chains (a tree, never a cycle) and
  coordinates; events with a ``date`` or a ``start``/``end`` and a ``place``;
- relations of every type in ``kg.vocabulary.RELATION_TYPES``, each end of a kind the
  type's domain and range allow (with hierarchies for ``member-of`` and ``part-of``),
  qualifiers where the type takes them (``against``, ``support``, ``place``, ``role``),
  partial dates (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``) with open starts and ends, and
  some in EDTF forms (``2016~``, ``2016?``, ``../2016``, ``2016/..``, ``..``, ``XXXX``),
  statuses (mostly stated; reported, alleged, claimed with ``claimed_by``, expected,
  denied), one to three citations with quotes, figures and notes on some, and an
  explicit ``id`` on a few;
- no duplicate statements: a statement whose content repeats an earlier one (symmetric
  types in either direction) is drawn again, and after a few tries kept with an ``id``.

Endpoints are drawn from a mildly skewed distribution: about one pick in ten goes to the
first percent of the eligible entities, so there are hubs, as in real conflict data.

Relations are written as they are drawn (only the entity tables and a set of 8-byte
statement digests stay in memory).

Usage::

    python benchmarks/generate.py OUT_DIR --size S            # 1k entities, 20k relations
    python benchmarks/generate.py OUT_DIR --size L --seed 7   # 10k entities, 200k relations
    python benchmarks/generate.py OUT_DIR --entities 200 --relations 2000
    python benchmarks/generate.py OUT_DIR --style pyyaml      # the same records in PyYAML's style

``--style`` writes the same records in another valid YAML style (``restyle``): ``kg``, the
generator's own; ``pyyaml``, PyYAML's default ``yaml.dump`` (indentless lists, long lines
folded); ``ruamel``, ruamel.yaml's round-trip dump (needs ``pip install ruamel.yaml``);
``flow``, one flow mapping a record (``- {type: backs, subject: x, ...}``); ``mixed``, as a
person might write it: comments, blank lines, CRLF line ends, quoted keys, block scalars.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
import unicodedata
from bisect import bisect
from itertools import accumulate
from pathlib import Path
from typing import Callable, Iterable, Sequence

if __package__ in (None, ""):  # run as a script: make the repository's kg importable
    _ROOT = Path(__file__).resolve().parent.parent
    if (_ROOT / "kg").is_dir() and str(_ROOT) not in sys.path:
        sys.path.insert(0, str(_ROOT))

from kg.model import RELATION_FIELDS, statement_id  # noqa: E402
from kg.vocabulary import (  # noqa: E402
    ENTITY_KINDS,
    FIGURE_MEASURES,
    FIGURE_QUALIFIERS,
    QUALIFIERS,
    RELATION_TYPES,
    SUPPORT_KINDS,
    kinds_matching,
)

__all__ = ["SIZES", "STYLES", "generate", "main", "restyle"]

#: Named sizes: (entities, relations).
SIZES = {"S": (1_000, 20_000), "L": (10_000, 200_000), "XL": (50_000, 1_000_000)}

FILES = ("sources.yaml", "actors.yaml", "places.yaml", "events.yaml", "relations.yaml")

# --------------------------------------------------------------------------- mixes

_CATEGORY_SHARES = {"actor": 0.5, "place": 0.35, "event": 0.15}

# Relative weights of entity kinds within their category; a kind added to the vocabulary
# later gets weight 1.
_KIND_WEIGHTS = {
    "state": 3, "government": 2, "government-body": 4, "armed-forces": 2, "military-unit": 8,
    "armed-group": 22, "coalition": 4, "militia": 9, "clan": 3, "party": 4, "governing-body": 2,
    "igo": 2, "ngo": 4, "monitor": 1, "research-institute": 1, "media": 4, "person": 22, "collective": 3,
    "region": 2, "country": 3, "province": 8, "district": 12, "city": 14, "town": 30, "neighbourhood": 10,
    "highway": 4, "military-base": 4, "airport": 2, "landmark": 4, "waterway": 2, "zone": 3,
    "agreement": 10, "ceasefire": 8, "treaty": 3, "process": 6, "operation": 20, "battle": 20,
    "attack": 20, "war": 4, "mission": 4,
}

# Relative weights of relation types (percent-ish); a type added later gets weight 1.
_TYPE_WEIGHTS = {
    "backs": 12, "fights": 10, "strikes": 5, "attacks": 5, "opposes": 4, "condemns": 3, "rivals": 2,
    "sanctions": 1, "blocks": 1, "allied-with": 6, "cooperates-with": 3, "member-of": 6, "part-of": 3,
    "follows": 1, "speaks-to": 2, "linked-to": 2, "leads": 3, "works-for": 4, "founded": 1, "split-from": 1,
    "designates-terrorist": 1, "ceasefire-party": 2, "party-to": 5, "violates": 2, "endorses": 1,
    "negotiates-with": 4, "controls": 6, "administers": 2, "deployed-in": 4, "located-in": 2,
}

# Preferred (subject kinds, object kinds) for types with a natural hierarchy or shape; each
# is kept only where the vocabulary's domain and range allow it. member-of and part-of go
# up a hierarchy, so membership chains stay short as in real data.
_SHAPES = {
    "member-of": [
        (("armed-group", "militia", "clan", "party", "person", "military-unit", "state"),
         ("coalition", "collective", "igo")),
        (("coalition",), ("collective", "igo")),
    ],
    "part-of": [
        (("military-unit",), ("armed-forces", "armed-group", "coalition")),
        (("government-body", "armed-forces"), ("government",)),
        (("battle", "attack"), ("operation", "war")),
        (("operation",), ("war",)),
    ],
    "speaks-to": [(("person", "government-body", "armed-group", "state"), ("media", "research-institute", "monitor"))],
    "leads": [(("person",), ("armed-group", "coalition", "militia", "party", "government", "operation"))],
    "works-for": [(("person",), ("government-body", "armed-group", "party", "igo", "ngo", "media", "monitor"))],
    "located-in": [(("battle", "attack", "operation"), ("city", "town", "district", "province")),
                   (("military-base", "airport", "landmark"), ("city", "town", "district"))],
    "controls": [((), ("city", "town", "district", "province", "neighbourhood", "highway", "military-base",
                       "airport", "landmark"))],
}

_STATUSES = (("stated", 74), ("reported", 10), ("alleged", 6), ("claimed", 5), ("expected", 3), ("denied", 2))
_PRECISIONS = ((4, 40), (7, 30), (10, 30))  # YYYY, YYYY-MM, YYYY-MM-DD
_ROLES = ("commander", "spokesperson", "deputy head", "chief of staff", "amīr", "founding member",
          "political officer", "envoy", "head of the “military wing”")
_GIVEN = ("Ahmad", "Abū Muhammad", "Hüseyin", "Layla", "Omar", "Zaynab", "Yusuf", "Fatima", "Ibrahim",
          "Mariam", "Khalid", "Nour", "Élie", "Sergei", "Ali")
_NOTES = ("The date is the earliest the sources allow.", "Sources disagree on the start.",
          "Reported by several outlets; not independently confirmed.", "The source’s wording is cautious.")
_BODIES = ("Ministry of Defence", "Presidency", "Interior Ministry", "Security Office")
_LANGUAGES = ("en", "en", "en", "ar", "fr", "tr", "ku")
_PUBLISHERS = ("Daily", "Observer", "Tribune", "Monitor", "Post", "Review", "Bulletin", "Herald")

# --------------------------------------------------------------------------- names

_SYLLABLES = ("ka", "ri", "mo", "sa", "lu", "de", "ta", "na", "bi", "ho", "ze", "fa", "gu", "ve", "pi",
              "ro", "ma", "shi", "al", "qa")
_ACCENTS = {"a": "ā", "i": "ī", "u": "ū", "e": "é", "o": "ö", "s": "ş", "z": "ẓ", "h": "ḥ", "d": "ḍ", "t": "ṭ"}
_SLUG = re.compile(r"[^a-z0-9]+")
_PLAIN = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff][A-Za-z0-9\u00c0-\u024f\u1e00-\u1eff .’'()-]*[A-Za-z0-9)’.]")
_YAML_WORDS = {"yes", "no", "on", "off", "true", "false", "null", "y", "n"}


class _Stems:
    """A unique, pronounceable word for each entity number (a scrambled base-20 numeral)."""

    def __init__(self, count: int):
        self.digits = 3
        while len(_SYLLABLES) ** self.digits < count:
            self.digits += 1
        self.modulus = len(_SYLLABLES) ** self.digits
        self.factor = 7919  # prime, coprime with 20: n -> n * 7919 mod 20**k is a bijection

    def __call__(self, number: int) -> str:
        value = number * self.factor % self.modulus
        parts = []
        for _ in range(self.digits):
            value, digit = divmod(value, len(_SYLLABLES))
            parts.append(_SYLLABLES[digit])
        return "".join(parts).capitalize()


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _SLUG.sub("-", ascii_text.lower()).strip("-")


def _accented(stem: str) -> str:
    for index, char in enumerate(stem):
        if char.lower() in _ACCENTS:
            accent = _ACCENTS[char.lower()]
            return stem[:index] + (accent.upper() if char.isupper() else accent) + stem[index + 1:]
    return stem


#: A relation's fields written after its type and ends, in the table's order (its note and evidence come apart).
_WRITTEN = tuple(field for field in RELATION_FIELDS
                 if field.value not in ("id", "type", "end", "long-text", "citations", "figures"))


def _scalar(text: str) -> str:
    """A YAML scalar for ``text``: plain where that is safe in block and flow context, else quoted."""
    if _PLAIN.fullmatch(text) and text.lower() not in _YAML_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


def _article(phrase: str) -> str:
    return f"{'An' if phrase[0] in 'aeiou' else 'A'} {phrase}"


def _flow(items: Iterable[str]) -> str:
    return "[" + ", ".join(map(_scalar, items)) + "]"


_ACTOR_NAMES: dict[str, Callable[[str, random.Random], str]] = {
    "state": lambda s, r: s,
    "government": lambda s, r: f"{s} government",
    "government-body": lambda s, r: f"{s} {r.choice(_BODIES)}",
    "armed-forces": lambda s, r: f"{s} Armed Forces",
    "military-unit": lambda s, r: f"{s} {r.choice(['Division', 'Corps', 'Brigade', 'Guard'])}",
    "armed-group": lambda s, r: r.choice([f"{s} Brigade", f"{s} Front", f"Liwa’ {s}", f"{s} Liberation Army",
                                          f"Jaysh {s}", f"{s} Battalions"]),
    "coalition": lambda s, r: f"{s} {r.choice(['Coalition', 'Alliance', 'Joint Command', 'Operations Room'])}",
    "militia": lambda s, r: f"{s} {r.choice(['Militia', 'Defence Forces', 'Popular Committees'])}",
    "clan": lambda s, r: f"{s} {r.choice(['clan', 'tribe'])}",
    "party": lambda s, r: f"{s} {r.choice(['Party', 'Movement', 'Union'])}",
    "governing-body": lambda s, r: f"{s} {r.choice(['Administration', 'Salvation Government', 'Council'])}",
    "igo": lambda s, r: f"{s} {r.choice(['Organisation', 'Commission', 'League'])}",
    "ngo": lambda s, r: f"{s} {r.choice(['Relief', 'Aid', 'Civil Defence'])}",
    "monitor": lambda s, r: f"{s} Observatory",
    "research-institute": lambda s, r: f"{s} Institute",
    "media": lambda s, r: f"{s} {r.choice(['News', 'Direct', 'TV', 'Post'])}",
    "person": lambda s, r: f"{r.choice(_GIVEN)} {s}",
    "collective": lambda s, r: f"the {s} {r.choice(['factions', 'rebels', 'backed groups'])}",
    # places
    "region": lambda s, r: f"{s} region",
    "country": lambda s, r: f"{s} (country)",
    "province": lambda s, r: f"{s} province",
    "district": lambda s, r: f"{s} district",
    "city": lambda s, r: s,
    "town": lambda s, r: s,
    "neighbourhood": lambda s, r: f"{s} quarter",
    "highway": lambda s, r: f"M{r.randint(1, 99)} {s} highway",
    "military-base": lambda s, r: f"{s} air base",
    "airport": lambda s, r: f"{s} International Airport",
    "landmark": lambda s, r: f"{s} citadel",
    "waterway": lambda s, r: f"{s} river",
    "zone": lambda s, r: f"{s} de-escalation zone",
    # events
    "agreement": lambda s, r: f"{s} agreement",
    "ceasefire": lambda s, r: f"{s} ceasefire",
    "treaty": lambda s, r: f"Treaty of {s}",
    "process": lambda s, r: f"{s} process",
    "operation": lambda s, r: f"Operation {s}",
    "battle": lambda s, r: f"Battle of {s}",
    "attack": lambda s, r: f"{s} attack",
    "war": lambda s, r: f"{s} war",
    "mission": lambda s, r: f"{s} mission",
}

# Places nest by rank: a place lies within a place of a lower rank.
_PLACE_RANK = {"region": 0, "country": 1, "province": 2, "district": 3, "city": 4, "zone": 4,
               "waterway": 2, "highway": 3, "town": 5, "airport": 5, "military-base": 5, "landmark": 5,
               "neighbourhood": 6}

# --------------------------------------------------------------------------- drawing


class _Draw:
    """Seeded random draws, with the helpers the generator needs."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.random = self.rng.random
        self.randint = self.rng.randint
        self.choice = self.rng.choice
        self.sample = self.rng.sample

    def weighted(self, pairs: Sequence[tuple[str, float]]) -> Callable[[], str]:
        names = [name for name, _ in pairs]
        cumulative = list(accumulate(weight for _, weight in pairs))
        total, random_ = cumulative[-1], self.random
        return lambda: names[bisect(cumulative, random_() * total)]

    def skewed(self, items: Sequence[str]) -> str:
        """One of ``items``; one pick in ten from the first percent (the hubs)."""
        if self.random() < 0.1:
            return items[int(self.random() * max(1, len(items) // 100))]
        return items[int(self.random() * len(items))]

    def date(self, precision: int | None = None) -> tuple[int, str]:
        """A day number (for ordering) and a partial date of random precision, 1990-2025."""
        day = self.randint(0, 35 * 365)
        return day, _format_day(day, precision or self._precision())

    def later(self, day: int, span: int = 3000) -> str:
        return _format_day(min(day + self.randint(0, span), 36 * 365 - 1), self._precision())

    def vague(self, text: str | None, role: str) -> str | None:
        """A start or end made vague in one of the EDTF forms (``kg.dates``) now and then:
        approximate, uncertain, bounded ("by", "on or after"), open or unknown."""
        value = self.random()
        if text is None:
            return ".." if value < 0.02 and role == "end" else None
        if value < 0.05:
            return text + self.choice("~?%")
        if value < 0.08:
            return f"../{text}" if role == "start" else f"{text}/.."
        if value < 0.09 and role == "end":
            return "XXXX"
        return text

    def _precision(self) -> int:
        value = self.random() * 100
        for width, share in _PRECISIONS:
            if value < share:
                return width
            value -= share
        return 10


_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def _format_day(day: int, width: int) -> str:
    """Day ``day`` after 1990-01-01 (365-day years, so every date is valid), cut to YYYY, YYYY-MM or full."""
    year, rest = divmod(day, 365)
    month = 0
    while rest >= _DAYS[month]:
        rest -= _DAYS[month]
        month += 1
    return f"{1990 + year:04d}-{month + 1:02d}-{rest + 1:02d}"[:width]


# --------------------------------------------------------------------------- the generator


class _Generator:
    def __init__(self, folder: Path, entities: int, relations: int, seed: int):
        self.folder = folder
        self.entity_count = entities
        self.relation_count = relations
        self.seed = seed
        self.draw = _Draw(seed)
        self.stems = _Stems(entities + max(5, entities // 10) + 10)
        self.counter = 0  # numbers stems across entities and sources, so every name is unique
        self.ids: set[str] = set()
        self.names: dict[str, str] = {}  # id -> name, for quotes
        self.by_kind: dict[str, list[str]] = {}
        self.sources: list[str] = []
        self.source_names: dict[str, str] = {}
        self.stats = {"figures": 0, "citations": 0}

    # -- shared pieces

    def header(self, what: str) -> str:
        return (f"# Synthetic kg {what}: python benchmarks/generate.py --entities {self.entity_count} "
                f"--relations {self.relation_count} --seed {self.seed}\n")

    def stem(self) -> str:
        self.counter += 1
        return self.stems(self.counter)

    def new_id(self, name: str) -> str:
        base = _slug(name) or "x"
        candidate, n = base, 1
        while candidate in self.ids:
            n += 1
            candidate = f"{base}-{n}"
        self.ids.add(candidate)
        return candidate

    def citations(self, text: str, count: int, indent: str) -> str:
        """A ``sources:`` block of ``count`` citations quoting variations of ``text``."""
        draw = self.draw
        chosen = draw.sample(self.sources, min(count, len(self.sources)))
        lines = [f"{indent}sources:\n"]
        for n, source in enumerate(chosen):
            quote = _QUOTE_FORMS[int(draw.random() * len(_QUOTE_FORMS))](text, self.source_names[source], n)
            lines.append(f"{indent}  - source: {source}\n{indent}    quote: {_scalar(quote)}\n")
        self.stats["citations"] += len(chosen)
        return "".join(lines)

    def citation_count(self) -> int:
        value = self.draw.random()
        return 1 if value < 0.6 else 2 if value < 0.9 else 3

    def figures(self, about: str, measures: Sequence[str], indent: str) -> str:
        draw = self.draw
        measures = [m for m in measures if m in FIGURE_MEASURES] or list(FIGURE_MEASURES)
        lines = [f"{indent}figures:\n"]
        for _ in range(1 if draw.random() < 0.8 else 2):
            measure = draw.choice(measures)
            value = draw.randint(1, 5000) * (1000 if measure == "population" else 1)
            lines.append(f"{indent}  - measure: {measure}\n{indent}    value: {value}\n")
            if draw.random() < 0.6:
                qualifier = draw.choice([q for q in FIGURE_QUALIFIERS if q != "exactly"] or list(FIGURE_QUALIFIERS))
                lines.append(f"{indent}    qualifier: {qualifier}\n")
            if draw.random() < 0.4 and self.by_kind.get("_actor"):
                lines.append(f"{indent}    counted_by: {draw.choice(self.by_kind['_actor'])}\n")
            if draw.random() < 0.3:
                lines.append(f"{indent}    label: {_scalar(f'{measure} in and around {about}')}\n")
            if draw.random() < 0.2 and self.by_kind.get("_actor"):
                lines.append(f"{indent}    of: {draw.skewed(self.by_kind['_actor'])}\n")
            if draw.random() < 0.2 and self.by_kind.get("_place"):
                lines.append(f"{indent}    place: {draw.skewed(self.by_kind['_place'])}\n")
            if draw.random() < 0.5:
                lines.append(f"{indent}    date: {draw.date()[1]}\n")
            words = f"{value:,} {measure.replace('-', ' ')}"
            lines.append(self.citations(f"{words} ({about})", 1, indent + "    "))
            self.stats["figures"] += 1
        return "".join(lines)

    # -- sources

    def write_sources(self) -> int:
        draw = self.draw
        count = max(5, self.entity_count // 10)
        path = self.folder / "sources.yaml"
        with open(path, "w", encoding="utf-8", newline="\n") as out:
            out.write(self.header("sources"))
            for n in range(count):
                stem = self.stem()
                publisher = f"{stem} {draw.choice(_PUBLISHERS)}"
                source_id = f"{_slug(publisher)}-{n + 1}"
                self.sources.append(source_id)
                self.source_names[source_id] = publisher
                title = draw.choice([
                    f"Fighting resumes near {stem}’s northern front",
                    f"“A new phase”: what the {stem} offensive means",
                    f"Inside the {stem} talks",
                    f"Who holds {stem}? A guide to the factions",
                    f"Report no. {n + 1}: displacement and strikes",
                ])
                record = [f"- id: {source_id}\n  title: {_scalar(title)}\n  publisher: {_scalar(publisher)}\n"
                          f"  date: {draw.date()[1]}\n"]
                if draw.random() < 0.7:
                    record.append(f"  url: https://example.org/{_slug(publisher)}/{n + 1}\n")
                if draw.random() < 0.5:
                    authors = [f"{draw.choice(_GIVEN)} {self.stems(n + 1)}" for _ in range(draw.randint(1, 3))]
                    record.append(f"  authors: {_flow(authors)}\n")
                if draw.random() < 0.8:
                    record.append(f"  language: {draw.choice(_LANGUAGES)}\n")
                out.write("".join(record))
        return count

    # -- entities

    def kinds_of(self, category: str) -> list[tuple[str, float]]:
        return [(name, _KIND_WEIGHTS.get(name, 1)) for name, kind in ENTITY_KINDS.items() if kind.category == category]

    def entity_lines(self, category: str, kind: str) -> tuple[str, str, list[str]]:
        """The id, name and common lines of a new entity."""
        draw = self.draw
        stem = self.stem()
        name = _ACTOR_NAMES.get(kind, lambda s, r: f"{s} {ENTITY_KINDS[kind].label}")(stem, draw.rng)
        entity_id = self.new_id(name)
        self.names[entity_id] = name
        self.by_kind.setdefault(kind, []).append(entity_id)
        self.by_kind.setdefault("_" + category, []).append(entity_id)
        lines = [f"- id: {entity_id}\n  name: {_scalar(name)}\n"]
        if draw.random() < 0.75:
            rest = name[len(stem):] if name.startswith(stem) else ""
            head, tail = stem[:2], stem[2:].lower()
            variants = [_accented(stem) + rest, f"{head}’{tail}{rest}", f"{head}'{tail}{rest}"]
            if draw.random() < 0.3:
                variants.append(f"“{stem}”")
            if draw.random() < 0.3:
                variants.append("".join(w[0] for w in name.split() if w[0].isalpha()).upper() + f"-{stem.upper()}")
            lines.append(f"  aliases: {_flow(draw.sample(variants, draw.randint(1, len(variants))))}\n")
        lines.append(f"  kind: {kind}\n")
        if draw.random() < 0.3:
            description = f"{_article(ENTITY_KINDS[kind].label)} in the synthetic data, named after {stem}."
            lines.append(f"  description: {_scalar(description)}\n")
        if draw.random() < 0.1:
            lines.append(f"  wikidata: Q{draw.randint(1, 99_999_999)}\n")
        return entity_id, name, lines

    def write_actors(self, count: int) -> None:
        pick = self.draw.weighted(self.kinds_of("actor"))
        with open(self.folder / "actors.yaml", "w", encoding="utf-8", newline="\n") as out:
            out.write(self.header("actors"))
            for _ in range(count):
                kind = pick()
                entity_id, name, lines = self.entity_lines("actor", kind)
                if self.draw.random() < 0.3:
                    lines.append(self.citations(f"{name} is {_article(ENTITY_KINDS[kind].label).lower()}", 1, "  "))
                if self.draw.random() < 0.03:
                    lines.append(self.figures(name, ("fighters", "personnel"), "  "))
                out.write("".join(lines))

    def write_places(self, count: int) -> None:
        draw = self.draw
        pick = draw.weighted(self.kinds_of("place"))
        kinds = sorted((pick() for _ in range(count)), key=lambda k: _PLACE_RANK.get(k, 5))
        by_rank: dict[int, list[str]] = {}
        with open(self.folder / "places.yaml", "w", encoding="utf-8", newline="\n") as out:
            out.write(self.header("places"))
            for kind in kinds:
                rank = _PLACE_RANK.get(kind, 5)
                entity_id, name, lines = self.entity_lines("place", kind)
                higher = [r for r in by_rank if r < rank]
                cited = []
                if higher and draw.random() < 0.85:
                    parents = by_rank[max(higher) if draw.random() < 0.8 else draw.choice(higher)]
                    parent = draw.skewed(parents)
                    lines.append(f"  within: {parent}\n")
                    cited.append(f"{name}, in {self.names[parent]}")
                if rank >= 4 and draw.random() < 0.4:
                    lines.append(f"  lat: {draw.random() * 180 - 90:.4f}\n  lon: {draw.random() * 360 - 180:.4f}\n")
                    cited.append(f"{name} lies at these coordinates")
                if cited:
                    lines.append(self.citations("; ".join(cited), 1, "  "))
                if draw.random() < 0.05:
                    lines.append(self.figures(name, ("population", "displaced", "families-displaced"), "  "))
                by_rank.setdefault(rank, []).append(entity_id)
                out.write("".join(lines))

    def write_events(self, count: int) -> None:
        draw = self.draw
        pick = draw.weighted(self.kinds_of("event"))
        places = self.by_kind.get("_place", [])
        with open(self.folder / "events.yaml", "w", encoding="utf-8", newline="\n") as out:
            out.write(self.header("events"))
            for _ in range(count):
                kind = pick()
                entity_id, name, lines = self.entity_lines("event", kind)
                value = draw.random()
                if value < 0.4:
                    lines.append(f"  date: {draw.date()[1]}\n")
                elif value < 0.9:
                    day, start = draw.date()
                    lines.append(f"  start: {start}\n")
                    if draw.random() < 0.6:
                        lines.append(f"  end: {draw.later(day, 1500)}\n")
                if places and draw.random() < 0.7:
                    lines.append(f"  place: {draw.skewed(places)}\n")
                if draw.random() < 0.3:
                    lines.append(self.citations(f"the {name}", 1, "  "))
                if draw.random() < 0.05:
                    lines.append(self.figures(name, ("killed", "wounded", "displaced", "airstrikes"), "  "))
                out.write("".join(lines))

    # -- relations

    def pools(self, kinds: Iterable[str], allowed: Sequence[str]) -> list[str]:
        ids: list[str] = []
        for kind in kinds:
            if kind in ENTITY_KINDS and kind in kinds_matching(allowed):
                ids.extend(self.by_kind.get(kind, ()))
        return ids

    def shapes(self, name: str) -> list[tuple[list[str], list[str]]]:
        """(subject pool, object pool) options for a relation type, within its domain and range."""
        row = RELATION_TYPES[name]
        every = list(ENTITY_KINDS)
        options = []
        candidates = [(self.pools(subjects or every, row.domain), self.pools(objects or every, row.range))
                      for subjects, objects in _SHAPES.get(name, [])]
        for attempt in (candidates, [(self.pools(every, row.domain), self.pools(every, row.range))]):
            options = [pair for pair in attempt if pair[0] and pair[1] and len(set(pair[0]) | set(pair[1])) > 1]
            if options:
                return options
        return []

    def write_relations(self) -> dict[str, int]:
        draw = self.draw
        shapes = {name: self.shapes(name) for name in RELATION_TYPES}
        usable = [(name, _TYPE_WEIGHTS.get(name, 1)) for name in RELATION_TYPES if shapes[name]]
        pick_type = draw.weighted(usable)
        pick_status = draw.weighted(_STATUSES)
        actors = self.by_kind.get("_actor", [])
        pools = {name: self.pools(ENTITY_KINDS, spec.range) for name, spec in QUALIFIERS.items()}
        support_kinds = list(SUPPORT_KINDS)
        seen: set[str] = set()
        counts = {"relations": 0, "explicit ids": 0, "redrawn": 0}
        random_ = draw.random
        with open(self.folder / "relations.yaml", "w", encoding="utf-8", newline="\n", buffering=1 << 20) as out:
            out.write(self.header("relations"))
            for number in range(1, self.relation_count + 1):
                for _ in range(6):
                    record = self.relation(pick_type(), shapes, pick_status, actors, pools, support_kinds)
                    fields, digest = record
                    if digest not in seen:
                        break
                    counts["redrawn"] += 1
                explicit = random_() < 0.02 or digest in seen
                if explicit:
                    counts["explicit ids"] += 1
                else:
                    seen.add(digest)
                out.write(self.relation_text(fields, f"stmt-{number}" if explicit else None))
                counts["relations"] += 1
        return counts

    def relation(self, type_name: str, shapes: dict, pick_status: Callable[[], str], actors: list[str],
                 pools: dict[str, list[str]], support_kinds: list[str]) -> tuple[dict, str]:
        """The fields of one relation and the id the loader gives it (what makes two statements the same)."""
        draw = self.draw
        random_ = draw.random
        row = RELATION_TYPES[type_name]
        subjects, objects = draw.choice(shapes[type_name])
        subject, obj = draw.skewed(subjects), draw.skewed(objects)
        while obj == subject:  # ends: each option has two entities at least, so this ends
            subject, obj = subjects[int(random_() * len(subjects))], objects[int(random_() * len(objects))]
        fields: dict = {"type": type_name, "subject": subject, "object": obj}
        start = end = None
        for qualifier in row.qualifiers:
            spec = QUALIFIERS.get(qualifier)
            if spec is None:
                continue
            if spec.value == "entities" and pools[qualifier] and random_() < (0.5 if type_name == "backs" else 0.2):
                pool = pools[qualifier]
                chosen = []
                for _ in range(1 if random_() < 0.85 else 2):
                    candidate = draw.skewed(pool)
                    if candidate not in (subject, obj) and candidate not in chosen:
                        chosen.append(candidate)
                if chosen:
                    fields[qualifier] = tuple(chosen)
            elif spec.value == "support-kinds" and random_() < 0.7:
                fields[qualifier] = tuple(draw.sample(support_kinds, 1 if random_() < 0.6 else draw.randint(2, 3)))
            elif spec.value == "entity" and random_() < 0.25:
                pool = pools[qualifier]
                if pool:
                    fields[qualifier] = draw.skewed(pool)
            elif spec.value == "text" and random_() < 0.5:
                fields[qualifier] = draw.choice(_ROLES)
        value = random_()
        if value < 0.7:
            day, start = draw.date()
            if random_() < 0.45:
                end = draw.later(day)
        elif value < 0.75:
            end = draw.date()[1]
        start, end = draw.vague(start, "start"), draw.vague(end, "end")
        if start:
            fields["start"] = start
        if end:
            fields["end"] = end
        status = pick_status()
        if status != "stated" or random_() < 0.1:
            fields["status"] = status
        if status == "claimed":
            fields["claimed_by"] = draw.skewed(actors)
        return fields, statement_id(fields, row.symmetric)  # the id the loader gives it: same id, same statement

    def relation_text(self, fields: dict, explicit_id: str | None) -> str:
        draw = self.draw
        random_ = draw.random
        names = self.names
        lines = [f"- type: {fields['type']}\n"]
        if explicit_id:
            lines.append(f"  id: {explicit_id}\n")
        lines.append(f"  subject: {fields['subject']}\n  object: {fields['object']}\n")
        for field in _WRITTEN:
            value = fields.get(field.name)
            if isinstance(value, tuple):
                lines.append(f"  {field.name}: {value[0]}\n" if len(value) == 1 and random_() < 0.5
                             else f"  {field.name}: [{', '.join(value)}]\n")
            elif value is not None:
                lines.append(f"  {field.name}: {_scalar(value) if field.value == 'text' else value}\n")
        if random_() < 0.05:
            lines.append(f"  note: {_scalar(draw.choice(_NOTES))}\n")
        label = RELATION_TYPES[fields["type"]].label
        text = f"{names[fields['subject']]} {label} {names[fields['object']]}"
        lines.append(self.citations(text, self.citation_count(), "  "))
        if random_() < 0.03:
            measures = ("killed", "wounded", "airstrikes") if RELATION_TYPES[fields["type"]].armed else ("personnel",)
            lines.append(self.figures(text, measures, "  "))
        return "".join(lines)

    def run(self) -> dict[str, int]:
        self.folder.mkdir(parents=True, exist_ok=True)
        count = self.entity_count
        actors = max(3, round(count * _CATEGORY_SHARES["actor"]))
        places = max(3, round(count * _CATEGORY_SHARES["place"]))
        events = max(2, count - actors - places)
        sources = self.write_sources()
        self.write_actors(actors)
        self.write_places(places)
        self.write_events(events)
        counts = self.write_relations()
        return {"entities": actors + places + events, "actors": actors, "places": places, "events": events,
                "sources": sources, **counts, **self.stats}


_QUOTE_FORMS: tuple[Callable[[str, str, int], str], ...] = (
    lambda text, publisher, n: f"{text}, according to officials quoted by {publisher}",
    lambda text, publisher, n: f"“{text},” a spokesperson told {publisher}",
    lambda text, publisher, n: f"Reports say {text}",
    lambda text, publisher, n: f"Sources close to the matter said {text}; it’s the latest such report",
    lambda text, publisher, n: f"{text} (report {n + 1})",
    lambda text, publisher, n: f"In a statement, {publisher} wrote that {text}",
)


def generate(folder: str | Path, entities: int, relations: int, seed: int = 1) -> dict[str, object]:
    """Write a synthetic dataset into ``folder``; returns what it holds, its size and the time taken.

    >>> import tempfile
    >>> summary = generate(tempfile.mkdtemp(), entities=40, relations=100, seed=3)
    >>> summary["relations"], summary["entities"]
    (100, 40)
    """
    if entities < 8:
        raise ValueError(f"need at least 8 entities, not {entities}")
    if relations < 0:
        raise ValueError(f"relations cannot be negative: {relations}")
    started = time.perf_counter()
    summary: dict[str, object] = dict(_Generator(Path(folder), entities, relations, seed).run())
    summary["seconds"] = time.perf_counter() - started
    summary["bytes"] = sum((Path(folder) / name).stat().st_size for name in FILES)
    summary["relations bytes"] = (Path(folder) / "relations.yaml").stat().st_size
    return summary


#: The YAML styles ``restyle`` writes.
STYLES = ("kg", "pyyaml", "ruamel", "flow", "mixed")


def restyle(folder: str | Path, style: str) -> None:
    """Write each data file in ``folder`` again in another YAML style, the same records.

    >>> import tempfile, yaml
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = generate(folder, entities=40, relations=100, seed=3)
    >>> before = yaml.safe_load((folder / "relations.yaml").read_text(encoding="utf-8"))
    >>> restyle(folder, "flow")
    >>> yaml.safe_load((folder / "relations.yaml").read_text(encoding="utf-8")) == before
    True
    """
    import yaml

    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}; one of {', '.join(STYLES)}")
    if style == "kg":
        return
    write = {"pyyaml": _pyyaml_text, "ruamel": _ruamel_text, "flow": _flow_text, "mixed": _mixed_text}[style]
    for name in FILES:
        path = Path(folder) / name
        records = yaml.load(path.read_bytes(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or []  # noqa: S506
        path.write_bytes(write(records).encode("utf-8"))


def _pyyaml_text(records: list) -> str:
    """PyYAML's default style (its C emitter when present writes the same text, faster)."""
    import yaml

    return yaml.dump(records, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True,
                     sort_keys=False)


def _ruamel_text(records: list) -> str:
    try:
        from ruamel.yaml import YAML
    except ImportError:
        raise ValueError("the ruamel style needs ruamel.yaml: pip install ruamel.yaml") from None
    import io

    out = io.StringIO()
    YAML().dump(records, out)
    return out.getvalue()


def _flow_value(value: object) -> str:
    """A value as one line of flow YAML."""
    import yaml

    text = yaml.dump(value, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True,
                     sort_keys=False, default_flow_style=True, width=2 ** 30)
    return text[:-5] if text.endswith("\n...\n") else text.rstrip("\n")


def _flow_text(records: list) -> str:
    return "".join(f"- {_flow_value(record)}\n" for record in records)


def _mixed_text(records: list) -> str:
    """Records as a person might write them: a comment before some, a blank line after each,
    quoted keys in every third, quotes as block scalars in every other, comments after
    some values, CRLF line ends."""
    lines = ["# Written as by hand: comments, blank lines, quoted keys, block scalars, CRLF line ends", ""]
    for number, record in enumerate(records):
        if number % 7 == 0:
            lines.append(f"# record {number + 1}")
        lines.extend(_mixed_mapping(record, 0, number))
        lines.append("")
    return "\r\n".join(lines) + "\r\n"


def _mixed_mapping(mapping: dict, indent: int, number: int) -> list[str]:
    lines = []
    for position, (key, value) in enumerate(mapping.items()):
        lead = " " * indent + ("- " if position == 0 else "  ")
        name = f'"{key}"' if number % 3 == 0 else key
        if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
            lines.append(f"{lead}{name}:")
            for item in value:
                lines.extend(_mixed_mapping(item, indent + 4, number))
        elif key == "quote" and number % 2 == 0 and isinstance(value, str) and value == value.strip():
            lines += [f"{lead}{name}: |-", " " * (indent + 4) + value]
        else:
            comment = "  # checked" if number % 5 == 0 and position == 0 else ""
            lines.append(f"{lead}{name}: {_flow_value(value)}{comment}")
    return lines


def size_arguments(parser: argparse.ArgumentParser) -> None:
    """The --entities/--relations options shared with run.py."""
    parser.add_argument("--entities", type=int, help="number of entities (with --relations, instead of --size)")
    parser.add_argument("--relations", type=int, help="number of relations (with --entities, instead of --size)")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path, help="folder to write the five YAML files into")
    parser.add_argument("--size", choices=sorted(SIZES), default="S",
                        help="S: 1k entities, 20k relations; L: 10k, 200k; XL: 50k, 1M (default S)")
    size_arguments(parser)
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--style", choices=STYLES, default="kg",
                        help="YAML style: kg (default), pyyaml, ruamel, flow or mixed (see above)")
    args = parser.parse_args(argv)
    if (args.entities is None) != (args.relations is None):
        parser.error("give both --entities and --relations, or neither")
    entities, relations = (args.entities, args.relations) if args.entities is not None else SIZES[args.size]
    try:
        summary = generate(args.folder, entities, relations, args.seed)
        restyle(args.folder, args.style)
    except ValueError as err:
        parser.error(str(err))
    print(f"wrote {args.folder}: {summary['entities']} entities ({summary['actors']} actors, "
          f"{summary['places']} places, "
          f"{summary['events']} events), {summary['relations']} relations, {summary['sources']} sources, "
          f"{summary['figures']} figures, {summary['citations']} citations; {summary['bytes'] / 1e6:.1f} MB "
          f"in {summary['seconds']:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
