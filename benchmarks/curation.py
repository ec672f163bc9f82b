"""Score ``kg suggest`` against the curated statements of the two bundled documents.

The assistant runs on each document with the curated dataset minus its relations as its
knowledge of entities (so it cannot find a statement by having seen it), and its candidate
statements are compared with the curated statements that cite that document, by type,
subject and object (either order for a symmetric type):

- recall: curated statements that have a candidate with the same type, subject and object;
- precision: distinct candidate (type, subject, object) triples that match a curated one.

The documents are read from the seeds folder (``--seeds DIR``, else ``$KG_SEEDS``, else the
first ``shared/seeds`` beside the checkout or one of its parents) and matched to their
sources by content. The table is printed as Markdown on stdout.

Usage::

    python -m benchmarks.curation
    python -m benchmarks.curation --seeds path/to/seeds
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

import kg
from kg.curation import suggest
from kg.vocabulary import RELATION_TYPES

__all__ = ["main", "score", "seeds_dir", "with_texts"]


def seeds_dir() -> Path:
    """``$KG_SEEDS``, else the first ``shared/seeds`` beside the checkout or one of its parents."""
    named = os.environ.get("KG_SEEDS")
    if named:
        return Path(named)
    checkout = Path(__file__).resolve().parents[1]
    candidates = [parent / "shared" / "seeds" for parent in checkout.parents]
    return next((folder for folder in candidates if folder.is_dir()), candidates[0])


def with_texts(seeds: Path, target: Path) -> Path:
    """A copy of the bundled data folder at ``target`` with each seed document placed as the
    text of the source whose quotes it holds most of. Raises ``ValueError`` when a source
    with a text has no seed document."""
    shutil.copytree(kg.bundled_data_dir(), target, ignore=shutil.ignore_patterns("texts"))
    g = kg.load(target)
    documents = {path: path.read_text(encoding="utf-8") for path in sorted(seeds.glob("*.txt"))}
    for source in g.sources.values():
        if not source.text:
            continue
        held = Counter({path: sum(citation.quote in text for citation in _citations(g, source.id))
                        for path, text in documents.items()})
        best = held.most_common(1)
        if not best or best[0][1] == 0:
            raise ValueError(f"no seed document in {seeds} holds a quote of source {source.id}")
        (target / source.text).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(best[0][0], target / source.text)
    return target


def _citations(g: kg.KnowledgeGraph, source_id: str) -> list[kg.Citation]:
    records = [*g.entities.values(), *g.relations()]
    return [citation for record in records for citation in record.sources if citation.source == source_id]


def _key(relation_type: str, subject: str, obj: str) -> tuple[str, str, str]:
    if RELATION_TYPES[relation_type].symmetric and obj < subject:
        subject, obj = obj, subject
    return relation_type, subject, obj


def score(data: Path) -> dict[str, dict[str, Counter]]:
    """For each document source of a data folder with its texts: per relation type, how many
    curated statements (``curated``), of them found (``found``), distinct candidates
    (``proposed``) and of them right (``right``)."""
    curated_graph = kg.load(data)
    with tempfile.TemporaryDirectory() as folder:
        entities_only = Path(folder) / "data"
        shutil.copytree(data, entities_only)
        (entities_only / "relations.yaml").write_text("[]\n", encoding="utf-8")
        graph = kg.load(entities_only, cache=False)
    results = {}
    for source in sorted(curated_graph.sources.values(), key=lambda source: source.id):
        if not source.text:
            continue
        text = (data / source.text).read_text(encoding="utf-8")
        every = curated_graph.relations(statuses=list(kg.vocabulary.STATUSES))
        gold = {_key(r.type, r.subject, r.object) for r in every if any(c.source == source.id for c in r.sources)}
        proposed = {_key(c.type, c.subject, c.object) for c in suggest(text, graph, source=source.id).relations}
        counts: dict[str, Counter] = {}
        for name in RELATION_TYPES:
            counts[name] = Counter(
                curated=sum(key[0] == name for key in gold), found=sum(key[0] == name for key in gold & proposed),
                proposed=sum(key[0] == name for key in proposed), right=sum(key[0] == name for key in proposed & gold))
        results[source.id] = counts
    return results


def table(results: dict[str, dict[str, Counter]]) -> str:
    """The scores as a Markdown table: a row per relation type, both documents and their sum."""
    sources = list(results)
    head = ["type"] + [f"{name} {what}" for name in [*sources, "all"] for what in ("recall", "precision")]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name in [*RELATION_TYPES, "all"]:
        cells = [f"`{name}`" if name != "all" else "**all**"]
        for source in [*sources, "all"]:
            chosen = sources if source == "all" else [source]
            counts = sum((results[s][t] for s in chosen for t in (RELATION_TYPES if name == "all" else [name])),
                         Counter())
            cells += [_ratio(counts["found"], counts["curated"]), _ratio(counts["right"], counts["proposed"])]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _ratio(part: int, whole: int) -> str:
    return f"{part}/{whole} ({part / whole:.0%})" if whole else "–"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=Path, default=None, help="folder of the two documents")
    args = parser.parse_args(argv)
    seeds = args.seeds or seeds_dir()
    if not seeds.is_dir():
        print(f"seed documents not found at {seeds}; pass --seeds DIR", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder:
        results = score(with_texts(seeds, Path(folder) / "data"))
    print(table(results), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
