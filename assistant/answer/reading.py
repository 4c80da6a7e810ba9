"""A document read once for answering: sentences, people, roles, speakers, aliases.

``read_document`` is cached per document version. ``holder_of`` turns the noun phrase
a sentence names ("He", "Zaidi", "The Prime Minister's spokesperson") into who it is
("Musharraf Zaidi"), using what the document said before that sentence.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from functools import cached_property

from assistant.answer.claims import (
    REPORTER,
    Claim,
    people,
    pretty_label,
    read_claims,
    roles,
    speaker_turns,
    titled_speaker,
)
from assistant.answer.question import CALENDAR
from assistant.answer.quotes import block_quotes
from assistant.lexical import terms
from assistant.sentences import sentence_spans
from assistant.types import Document

_CACHE: OrderedDict[tuple[str, str], Reading] = OrderedDict()
_CACHE_LOCK = threading.Lock()


@dataclass(frozen=True)
class Reading:
    """What answering needs to know about one document.

    Each part is worked out on first use: at 100k passages most documents an answer
    touches are read for the first time.
    """

    doc: Document
    claim_cache: dict[int, list[Claim]] = field(default_factory=dict, compare=False)
    term_cache: dict[int, frozenset[str]] = field(default_factory=dict, compare=False)
    """A sentence's terms with their synonyms, filled by ``select.sentence_terms``."""

    @cached_property
    def spans(self) -> list[tuple[int, int]]:
        """Sentence spans, in order."""
        return sentence_spans(self.doc.text)

    @cached_property
    def starts(self) -> list[int]:
        """Where each sentence starts."""
        return [s for s, _ in self.spans]

    @cached_property
    def names(self) -> dict[str, str]:
        """People named in the document, by last name."""
        return people(self.doc.text)

    @cached_property
    def roles(self) -> dict[str, str]:
        """People's roles as the document gives them."""
        return roles(self.doc.text, self.names)

    @cached_property
    def turns(self) -> list[tuple[int, str]]:
        """Transcript speaker labels as (offset, label)."""
        return speaker_turns(self.doc.text)

    @cached_property
    def turn_starts(self) -> list[int]:
        """Where each transcript turn starts."""
        return [start for start, _ in self.turns]

    @cached_property
    def aliases(self) -> list[tuple[frozenset[str], frozenset[str]]]:
        """Other names the document gives: acronyms' long forms, people's roles.

        "Tehreek-e-Taliban Pakistan (TTP)", "al Qaeda's current leader, Ayman al-Zawahiri".
        """
        return _aliases(self.doc.text) + _initialisms(self.doc.text) + _appositives(self.doc.text)

    @cached_property
    def alias_index(self) -> dict[str, list[int]]:
        """For each term, the positions in ``aliases`` of the pairs that hold it."""
        index: dict[str, list[int]] = {}
        for i, (long_form, short) in enumerate(self.aliases):
            for term in long_form | short:
                index.setdefault(term, []).append(i)
        return index

    @cached_property
    def header(self) -> frozenset[str]:
        """Terms of the title and speaker."""
        return frozenset(terms(f"{self.doc.title} {self.doc.metadata.get('speaker', '')}"))

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """Every term of the document."""
        return frozenset(terms(f"{self.doc.title} {self.doc.metadata.get('speaker', '')} {self.doc.text}"))

    @cached_property
    def about(self) -> frozenset[str]:
        """Terms of the document's metadata and of the names it keeps coming back to.

        The metadata: title, speaker, type, source... Who or what the whole document is by or
        about, so a sentence in it need not repeat them: a press call on the strike that
        killed Zawahiri is about Zawahiri throughout.
        """
        values = [self.doc.title, self.doc.published,
                  *(str(v) for v in self.doc.metadata.values() if isinstance(v, str))]
        return frozenset(terms(" ".join(values))) | _recurring_names(self.doc.text)

    def sentence_at(self, offset: int) -> int:
        """Index of the sentence containing ``offset`` (or the last one before it)."""
        return max(0, bisect_right(self.starts, offset) - 1)

    def text(self, index: int) -> str:
        """The sentence at ``index``."""
        start, end = self.spans[index]
        return self.doc.text[start:end]

    def claims(self, index: int) -> list[Claim]:
        """The claims of sentence ``index`` (computed once)."""
        if index not in self.claim_cache:
            self.claim_cache[index] = read_claims(self.text(index), self.names)
        return self.claim_cache[index]

    @cached_property
    def quotes(self) -> list[tuple[int, int, str]]:
        """Block quotes as (start, end, who): "Petraeus testified that:" and his words."""
        return block_quotes(self.doc.text, self.spans)

    def turn_at(self, offset: int) -> int | None:
        """The transcript turn ``offset`` is in, if any."""
        turn = bisect_right(self.turn_starts, offset) - 1
        return turn if turn >= 0 else None

    def label(self, turn: int) -> str:
        """Who speaks transcript turn ``turn``: 'Mr. Kirby', 'A reporter'."""
        return pretty_label(self.turns[turn][1])

    def turn_sentences(self, turn: int) -> range:
        """The sentences of transcript turn ``turn``."""
        end = self._turn_end(turn)
        return range(self.sentence_at(self.turn_starts[turn]), self.sentence_at(max(0, end - 1)) + 1)

    def _turn_end(self, turn: int) -> int:
        return self.turn_starts[turn + 1] if turn + 1 < len(self.turns) else len(self.doc.text)

    def asked(self, index: int) -> list[int]:
        """The reporter's sentences that sentence ``index`` answers, if it opens an official's answer.

        The reporter's turn just before (and, if the official only asked to hear it again,
        the one before that). Empty for anything else.
        """
        turn = self.turn_at(self.spans[index][0])
        if turn is None or self.label(turn) == REPORTER or index - self.turn_sentences(turn)[0] >= _OPENING:
            return []
        out: list[int] = []
        at = turn - 1
        while at >= 0 and self.label(at) == REPORTER:
            out = [*self.turn_sentences(at), *out]
            if at < 2 or self.label(at - 2) != REPORTER:
                break
            if len(self.doc.text[self.turn_starts[at - 1] : self._turn_end(at - 1)].split()) > _FILLER:
                break  # the official answered in between: not a request to hear it again
            at -= 2
        return out

    def speaker(self, offset: int) -> str | None:
        """Who is speaking at ``offset``.

        Whoever a block quote quotes, else a transcript label, else the document's speaker
        (from its metadata, or named by its title: "Remarks by Dr. Liz Sherwood-Randall ...").
        """
        for start, end, who in self.quotes:
            if start <= offset < end:
                return who
        turn = bisect_right(self.turn_starts, offset) - 1
        if turn >= 0:
            return pretty_label(self.turns[turn][1])
        return self.document_speaker

    @cached_property
    def document_speaker(self) -> str | None:
        """Who gives the whole document: its metadata's speaker, or whom its title names."""
        speaker = self.doc.metadata.get("speaker")
        return str(speaker) if speaker else titled_speaker(self.doc.title)


_OPENING = 3
"""An official's answer to a reporter is in the first sentences of their turn."""
_FILLER = 30
"""An official's turn this short (in words) between two of a reporter's ("Can you repeat?") is skipped."""
_MID_NAME = re.compile(r"(?<=[a-z,;] )[A-Z][a-z][\w’'-]+")
"""A capitalized word inside a sentence: a name, not a sentence's first word."""


def _recurring_names(text: str, least: int = 5, most: int = 2) -> frozenset[str]:
    """The ``most`` names a text repeats at least ``least`` times."""
    words = Counter(_MID_NAME.findall(text))
    counts: Counter[str] = Counter()
    for word, n in words.items():
        if n >= 2:  # a name said once or twice cannot add up to ``least`` in every spelling
            for term in terms(word):
                counts[term] += n
    return frozenset(t for t, n in counts.most_common(most) if n >= least)


def read_document(doc: Document) -> Reading:
    """Analyse ``doc`` (cached per version)."""
    key = (doc.id, doc.content_hash)
    with _CACHE_LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    reading = Reading(doc=doc)
    with _CACHE_LOCK:
        _CACHE[key] = reading
        while len(_CACHE) > 512:
            _CACHE.popitem(last=False)
    return reading


_ACRONYM = re.compile(r"\s\(([A-Z][A-Za-z-]{1,12})\)")
_LONG_FORM = re.compile(r"((?:[A-Z][\w’'-]*\s+){0,5}[A-Z][\w’'-]*)\s*$")


def _aliases(text: str) -> list[tuple[frozenset[str], frozenset[str]]]:
    """'Tehreek-e-Taliban Pakistan (TTP)' -> ({tehreek-e-taliban, ..., pakistan}, {ttp})."""
    out = []
    for match in _ACRONYM.finditer(text):  # find "(TTP)" first, then look back for its long form
        long_match = _LONG_FORM.search(text, max(0, match.start() - 120), match.start())
        if not long_match:
            continue
        long_form, short = long_match.group(1), match.group(1)
        initials = "".join(w[0] for w in re.split(r"[\s-]+", long_form) if w and w[0].isupper())
        letters = "".join(ch for ch in short if ch.isupper())
        if letters and (letters in initials or short.split("-")[0].lower() in long_form.lower()):
            out.append((frozenset(terms(long_form)) - {"e"}, frozenset(terms(short))))
    return out


_NAME_OF_THREE = re.compile(
    r"\b(?!(?:The|A|An|This|That)\b)[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*"
    r"(?:\s+(?:of|for|and)\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*)*\s+(?:of|for)\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*"
    r"(?:\s+and\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*)?"
)
"""An institution's name: capitalised words around "of" or "for" ("Commonwealth of Independent States",
"United Nations Office of Drugs and Crime")."""


def _initialisms(text: str) -> list[tuple[frozenset[str], frozenset[str]]]:
    """Institutions' names of three or more words go by their initials, written out or not.

    "Commonwealth of Independent States" is the CIS a question asks about, though the
    document never says "CIS".
    """
    out = []
    for match in _NAME_OF_THREE.finditer(text):
        initials = "".join(w[0] for w in match.group().split() if w[0].isupper())
        if len(initials) >= 3:
            out.append((frozenset(terms(match.group())), frozenset(terms(initials))))
    return list(dict.fromkeys(out))


_ROLE = r"(?P<role>leader|chief|emir|head|founder|commander|deputy|spokes(?:man|person|woman))"
_ORG = r"(?P<org>(?:al[- ])?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,3})"
_PERSON = r"(?P<name>(?:[A-Z][\w’'-]*\s+){0,3}(?:al-|bin\s+)?[A-Z][\w’'-]*)"
_ROLE_WORD = re.compile(r"\b(?:leader|chief|emir|head|founder|commander|deputy|spokes(?:man|person|woman))\b")
_APPOSITIONS = [
    re.compile(rf"{_ORG}[’']s\s+(?:(?:current|former|new|top|senior|late)\s+)?{_ROLE},\s+{_PERSON}"),
    re.compile(rf"\bthe\s+(?:(?:current|former|new|top|senior|late)\s+)?{_ROLE}\s+of\s+{_ORG},\s+{_PERSON}"),
    re.compile(rf"{_PERSON},\s+(?:the\s+)?(?:(?:current|former|new|top|senior)\s+)?{_ROLE}\s+of\s+(?:the\s+)?{_ORG}"),
]


def _appositives(text: str) -> list[tuple[frozenset[str], frozenset[str]]]:
    """'al Qaeda's current leader, Ayman al-Zawahiri' -> ({al, qaeda, leader}, {zawahiri})."""
    out = []
    for hit in _ROLE_WORD.finditer(text):  # the patterns only run around a role word: whole texts are slow
        window = text[max(0, hit.start() - 80) : hit.end() + 80]
        for pattern in _APPOSITIONS:
            for match in pattern.finditer(window):
                last = re.split(r"[\s-]+", match.group("name"))[-1]
                name = frozenset(terms(last)) - {"al"}
                if name and not name & CALENDAR:  # "..., on 14 September" is no one
                    out.append((frozenset(terms(f"{match.group('org')} {match.group('role')}")), name))
    return list(dict.fromkeys(out))
