"""A document read once for answering: sentences, people, roles, speakers, aliases.

``read_document`` is cached per document version. ``holder_of`` turns the noun phrase
a sentence names ("He", "Zaidi", "The Prime Minister's spokesperson") into who it is
("Musharraf Zaidi"), using what the document said before that sentence.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from collections import OrderedDict
from dataclasses import dataclass, field

from assistant.answer.claims import PRONOUNS, Claim, people, pretty_label, read_claims, roles, speaker_turns
from assistant.lexical import terms
from assistant.sentences import sentence_spans
from assistant.types import Document

_ALIAS = re.compile(r"((?:[A-Z][\w’'-]*\s+){0,5}[A-Z][\w’'-]*)\s+\(([A-Z][A-Za-z-]{1,12})\)")
_CACHE: OrderedDict[tuple[str, str], Reading] = OrderedDict()
_CACHE_LOCK = threading.Lock()


@dataclass(frozen=True)
class Reading:
    """What answering needs to know about one document."""

    doc: Document
    spans: list[tuple[int, int]]
    names: dict[str, str]
    roles: dict[str, str]
    turns: list[tuple[int, str]]
    aliases: list[tuple[frozenset[str], frozenset[str]]]
    header: frozenset[str]
    vocabulary: frozenset[str]
    about: frozenset[str] = frozenset()
    """Terms of the document's metadata (title, speaker, type, source...): who or what
    the whole document is by or about, so a sentence in it need not repeat them."""
    claim_cache: dict[int, list[Claim]] = field(default_factory=dict, compare=False)

    def sentence_at(self, offset: int) -> int:
        """Index of the sentence containing ``offset`` (or the last one before it)."""
        return max(0, bisect_right([s for s, _ in self.spans], offset) - 1)

    def text(self, index: int) -> str:
        """The sentence at ``index``."""
        start, end = self.spans[index]
        return self.doc.text[start:end]

    def claims(self, index: int) -> list[Claim]:
        """The claims of sentence ``index`` (computed once)."""
        if index not in self.claim_cache:
            self.claim_cache[index] = read_claims(self.text(index), self.names)
        return self.claim_cache[index]

    def speaker(self, offset: int) -> str | None:
        """Who is speaking at ``offset``: a transcript label, else the document's speaker."""
        labels = [label for start, label in self.turns if start <= offset]
        if labels:
            return pretty_label(labels[-1])
        speaker = self.doc.metadata.get("speaker")
        return str(speaker) if speaker else None


def read_document(doc: Document) -> Reading:
    """Analyse ``doc`` (cached per version)."""
    key = (doc.id, doc.content_hash)
    with _CACHE_LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    names = people(doc.text)
    reading = Reading(
        doc=doc,
        spans=sentence_spans(doc.text),
        names=names,
        roles=roles(doc.text, names),
        turns=speaker_turns(doc.text),
        aliases=_aliases(doc.text),
        header=frozenset(terms(f"{doc.title} {doc.metadata.get('speaker', '')}")),
        vocabulary=frozenset(terms(f"{doc.title} {doc.metadata.get('speaker', '')} {doc.text}")),
        about=frozenset(terms(" ".join([doc.title, *(str(v) for v in doc.metadata.values() if isinstance(v, str))]))),
    )
    with _CACHE_LOCK:
        _CACHE[key] = reading
        while len(_CACHE) > 512:
            _CACHE.popitem(last=False)
    return reading


def _aliases(text: str) -> list[tuple[frozenset[str], frozenset[str]]]:
    """'Tehreek-e-Taliban Pakistan (TTP)' -> ({tehreek-e-taliban, ..., pakistan}, {ttp})."""
    out = []
    for match in _ALIAS.finditer(text):
        long_form, short = match.group(1), match.group(2)
        initials = "".join(w[0] for w in re.split(r"[\s-]+", long_form) if w and w[0].isupper())
        letters = "".join(ch for ch in short if ch.isupper())
        if letters and (letters in initials or short.split("-")[0].lower() in long_form.lower()):
            out.append((frozenset(terms(long_form)) - {"e"}, frozenset(terms(short))))
    return out


def holder_of(reading: Reading, index: int, phrase: str) -> str:
    """Resolve a holder phrase of sentence ``index`` to a name, with a role when known."""
    words = phrase.strip().split()
    if not words:
        return ""
    if words[-1].lower() in {"i", "we", "you", "us"}:
        return reading.speaker(reading.spans[index][0]) or ""
    if len(words) == 1 and words[0].lower() in PRONOUNS:
        if words[0].lower() in {"they", "them", "their", "it"}:
            return phrase
        person = _previous_person(reading, index)
        return person or phrase
    for short, full in reading.names.items():
        if short in words or full in phrase:
            return full
    lowered = phrase.lower().replace("’s", "").replace("'s", "")
    for full, role in reading.roles.items():
        role_words = {w for w in terms(role) if len(w) > 2}
        if role_words and len(role_words & set(terms(lowered))) >= min(2, len(role_words)):
            return full
    return re.sub(r"^(?:the|The)\s+(?=[A-Z])", "", phrase.strip())


def _previous_person(reading: Reading, index: int) -> str | None:
    """The person most recently named as a holder before sentence ``index``."""
    for back in range(index, max(-1, index - 6), -1):
        claims = reading.claims(back) if back != index else []
        for claim in claims:
            for short, full in reading.names.items():
                if short in claim.holder.split() or full in claim.holder:
                    return full
        if back != index:
            mentioned = [full for short, full in reading.names.items() if short in reading.text(back)]
            if len(mentioned) == 1:
                return mentioned[0]
    return None


def describe(reading: Reading, name: str) -> str:
    """'Musharraf Zaidi' -> 'Musharraf Zaidi (spokesperson for the Prime Minister of Pakistan)'."""
    role = reading.roles.get(name)
    return f"{name} ({role})" if role else name


def sentence_holder(reading: Reading, index: int) -> str | None:
    """Who sentence ``index`` speaks for: the speaker of a speech or transcript turn, else
    the holder its first reported claim names (a news report's "Zaidi stressed that")."""
    speaker = reading.speaker(reading.spans[index][0])
    if speaker:
        return speaker
    claims = reading.claims(index)
    if claims:
        name = holder_of(reading, index, claims[0].holder)
        return describe(reading, name) if name else None
    return None
