"""The answers of ``supports``: ``Support`` records and the ``Chain`` of statements each rests on."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any, Iterable, Mapping, NamedTuple

from kg._display import count, escape, relations_html, source_ids
from kg.dates import (AFTER_ALL, BEFORE_ALL, HELD, MAY_HAVE_HELD, Span, days_possible, describe, earliest, latest, span,
                      together)
from kg.model import Relation

__all__ = ["Chain", "SUPPORT_RULES", "Support"]


#: The rules by which ``supports`` makes an answer: how the support is "against" someone, then
#: how far it reaches into the members of a group on either side (see ``Chain.rule``).
SUPPORT_RULES: Mapping[str, str] = MappingProxyType({
    "explicit": "the backing names the adversary in its `against`",
    "hostility": "the backed side is in armed hostilities with the adversary over overlapping time",
    "supported-member": "the backing goes to a group that stands for its members; the supported is a member",
    "against-member": "the adversary is a group that stands for its members; the one it is against is a member",
})


class Chain(NamedTuple):
    """One way to an answer of ``supports``: the statements it was derived from.

    ``backing`` is the ``backs`` statement; ``hostility`` the armed hostility between the
    backed side and ``adversary``, or None when the backing names the adversary in its
    ``against``. ``supported_members`` leads from the backed group down to the supported
    member, ``against_members`` from the adversary down to the one the support is against
    (``member-of`` statements, each of a member of the group before it; empty when there is
    no such step).

    >>> backs = Relation("b", "backs", "iran", "iran-backed-groups", ())
    >>> member = Relation("m", "member-of", "al-abbas-brigade", "iran-backed-groups", ())
    >>> attacks = Relation("a", "attacks", "moc", "iran-backed-groups", (), start="2024-11-27")
    >>> chain = Chain(backs, attacks, "moc", (member,))
    >>> chain.rule, chain.span, chain.holding()
    ('hostility+supported-member', ('2024-11-27', None), 'may have held')
    >>> chain.text
    'al-abbas-brigade -[member-of]-> iran-backed-groups <-[attacks]- moc'
    """

    backing: Relation
    hostility: Relation | None
    adversary: str
    supported_members: tuple[Relation, ...] = ()
    against_members: tuple[Relation, ...] = ()

    @property
    def rule(self) -> str:
        """The ``SUPPORT_RULES`` that made it, joined with '+': ``hostility+against-member``."""
        rule = "explicit" if self.hostility is None else "hostility"
        if self.supported_members:
            rule += "+supported-member"
        return rule + "+against-member" if self.against_members else rule

    @property
    def statements(self) -> tuple[Relation, ...]:
        """The backing, the hostility (if any), then the member-of statements of each side."""
        link = () if self.hostility is None else (self.hostility,)
        return (self.backing, *link, *self.supported_members, *self.against_members)

    @property
    def span(self) -> tuple[str | None, str | None]:
        """When all its statements may have held together: the latest start and the earliest
        end, as written (None: open or unknown)."""
        return _common_span(self.statements)

    @property
    def days(self) -> Span:
        """The days on which its statements may all have held, and surely all held
        (``kg.dates.together``): what a push writes as the chain's bounds."""
        return together(span(relation.start, relation.end) for relation in self.statements)

    def holding(self, when: str | None = None) -> str:
        """``held`` if the days its statements surely held overlap (and meet ``when`` if given),
        else ``may have held`` (an undated statement, a vague bound, or no sure overlap)."""
        return _holding_together(self.statements, when)

    @property
    def text(self) -> str:
        """From the supported to the one it is against, the backed side's link to the
        adversary in the middle: ``sna -[member-of]-> rebels -[fights]- syrian-government``;
        an adversary named by the backing reads ``-[against]->``."""
        backed = self.backing.object
        parts = [member.subject for member in self.supported_members[-1:]] or [backed]
        for member in reversed(self.supported_members):
            parts += ["-[member-of]->", member.object]
        parts += [_link_text(backed, self.hostility), self.adversary]
        for member in self.against_members:
            parts += ["<-[member-of]-", member.subject]
        return " ".join(parts)

    def to_record(self, when: str | None = None) -> dict[str, Any]:
        """``rule``, ``through`` (``text``), ``start`` and ``end`` (``span``), ``holding`` (on
        ``when`` if given) and the statements' ids."""
        start, end = self.span
        return {"rule": self.rule, "through": self.text, "start": start, "end": end,
                "holding": self.holding(when), "statements": [relation.id for relation in self.statements]}


def _link_text(backed: str, hostility: Relation | None) -> str:
    if hostility is None:
        return "-[against]->"
    if hostility.symmetric:
        return f"-[{hostility.type}]-"
    return f"-[{hostility.type}]->" if hostility.subject == backed else f"<-[{hostility.type}]-"


def _holding_together(relations: Iterable[Relation], when: str | None) -> str:
    """``held`` if the days the statements surely held share a day (one that meets ``when``,
    if given), else ``may have held``."""
    days = together(span(relation.start, relation.end) for relation in relations)
    if days.certain_empty:
        return MAY_HAVE_HELD
    first, last = days.certain
    if when is not None:
        first, last = max(first, earliest(when)), min(last, latest(when))
    return HELD if first <= last else MAY_HAVE_HELD


def _common_span(relations: Iterable[Relation]) -> tuple[str | None, str | None]:
    """When the statements may all have held together: the start of the one that may have
    begun latest and the end of the one that may have ended earliest, as written (None where
    every start, or every end, is open or unknown)."""
    spans = [(days_possible(relation.start, relation.end), relation) for relation in relations]
    (first, _), starter = max(spans, key=lambda item: item[0][0])
    (_, last), ender = min(spans, key=lambda item: item[0][1])
    return (starter.start if first != BEFORE_ALL else None, ender.end if last != AFTER_ALL else None)


class Support(NamedTuple):
    """"``supporter`` supports ``supported`` against ``against``", and why.

    ``basis`` is ``"explicit"`` when a ``backs`` statement names the adversary, and
    ``"derived"`` when it follows from other statements (see ``supports``); ``chains`` holds
    each way to the answer (explicit first) with its rule and statements, and ``evidence``
    every statement the answer rests on. (A named tuple: there can be millions.)
    """

    supporter: str
    supported: str
    against: str
    basis: str
    evidence: tuple[Relation, ...]
    chains: tuple[Chain, ...] = ()
    as_of: str | None = None

    table_hides = ("rule",)  # tables show the chains' paths (``through``), which name their rules

    @property
    def rule(self) -> str | None:
        """The rule of the first (most direct) chain: ``explicit``, ``hostility``, ..."""
        return self.chains[0].rule if self.chains else None

    @property
    def holding(self) -> str:
        """``held`` if some chain's statements surely held together (on ``as_of``, if asked
        for), else ``may have held``; see ``Chain.holding``."""
        if not self.chains:
            return _holding_together(self.evidence, self.as_of)
        return HELD if any(chain.holding(self.as_of) == HELD for chain in self.chains) else MAY_HAVE_HELD

    @property
    def chain(self) -> tuple[Relation, ...]:
        """The statements of the first (most direct) chain."""
        return self.chains[0].statements if self.chains else ()

    @property
    def span(self) -> tuple[str | None, str | None]:
        """When the statements of the first chain overlap: (latest start, earliest end)."""
        return self.chains[0].span if self.chains else (None, None)

    def to_record(self) -> dict[str, Any]:
        """A JSON-ready dict: the triple, its basis and rule, the paths of its chains (each once), the kinds
        of support and statuses its statements name, the sources, each chain (its rule, path,
        span and statement ids) and the evidence (each statement with its quotes)."""
        return {
            "supporter": self.supporter, "supported": self.supported, "against": self.against,
            "basis": self.basis, "holding": self.holding, "rule": self.rule,
            "through": "; ".join(dict.fromkeys(chain.text for chain in self.chains)),
            "support": sorted({kind for r in self.evidence for kind in r.support}),
            "status": sorted({r.status for r in self.evidence}), "sources": source_ids(self.evidence),
            "chains": [chain.to_record(self.as_of) for chain in self.chains],
            "evidence": [relation.to_record() for relation in self.evidence],
        }

    def __repr__(self) -> str:
        return (f"<Support {self.supporter} -> {self.supported} against {self.against} "
                f"({self.basis}, {count(len(self.evidence), 'statement')})>")

    def _repr_html_(self) -> str:
        ways = "".join(f"<li><code>{escape(chain.text)}</code> ({escape(chain.rule)}; {escape(describe(*chain.span))}; "
                       f"{escape(chain.holding(self.as_of))})</li>" for chain in self.chains)
        return (f"<p><code>{escape(self.supporter)}</code> supports <code>{escape(self.supported)}</code> against "
                f"<code>{escape(self.against)}</code> ({escape(self.basis)}, {escape(self.holding)})"
                + (f", through:</p><ul>{ways}</ul><p>" if ways else ". ")
                + "On this evidence:</p>" + relations_html(self.evidence))
