"""What is read for a question: the passages retrieved, and each sentence's closeness to it.

Besides the best passages for the question's words, a follow-up reads those for its own
words and names, "What is the TTP?" reads where a source spells the acronym out, and a
yes/no question reads passages that say the opposite of what it asks.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

import numpy as np

from assistant.answer.defining import defined_name
from assistant.answer.kinds import asked_attribute
from assistant.answer.lexicon import narrower_terms, opposite_terms
from assistant.answer.question import Question
from assistant.answer.reading import Reading
from assistant.answer.select import Candidate, Similarity
from assistant.filters import Filters
from assistant.lexical import terms
from assistant.sentence_vectors import Key, as_stored, version_of
from assistant.types import Evidence

if TYPE_CHECKING:
    from assistant.briefing import Briefing

_SPELLED_OUT = 2
"""Passages that spell out an acronym asked about, read besides those retrieved."""
_CONTRARY = 3
"""Passages that say the opposite of a yes/no question's words, read besides those retrieved."""
_OF_KIND = 2
"""Passages naming something of the kind asked for ("missiles" for "what kind of weapon"), read besides."""
_RECENT_SIZE = 20_000
"""Sentences embedded at question time whose vectors are kept, per model (1.5 KB each)."""
_RECENT: WeakKeyDictionary[object, OrderedDict[Key, np.ndarray]] = WeakKeyDictionary()
_RECENT_LOCK = threading.Lock()


def retrieve(question: Question, briefing: Briefing, filters: Filters) -> list[Evidence]:
    """The passages for ``question``; for a follow-up also those for its own words and names.

    "Were any of his relatives hurt?" searched with the question it follows up on finds the
    strike again; searched with the earlier names ("... Zawahiri") it finds his family's fate.
    """
    k, retriever = briefing.settings.top_k, briefing.retriever
    found = retriever.search(question.query, k, filters, question.speakers)
    defined = defined_name(question)
    if defined and defined.isupper():  # "What is the TTP?": where a source spells it out
        found = _besides(found, retriever.introducing(defined, question.query, _SPELLED_OUT, filters))
    names = set(question.entities)
    opposed = opposite_terms(set(question.own_terms)) if question.kind == "yesno" else set()
    if opposed:  # "Is India an inclusive democracy?": where a source speaks of oppression
        found = _besides(found, retriever.contrary(opposed, names, question.query, _CONTRARY, filters))
    kinds = narrower_terms(asked_attribute(question.text))
    if kinds:  # "What kind of weapon ...?": where a source names a missile or a drone
        found = _besides(found, retriever.contrary(kinds, names, question.query, _OF_KIND, filters))
    if question.own_terms == question.terms:
        return found
    earlier = set(question.entities) - set(question.own_terms)
    names_of = dict.fromkeys(w.strip("?.,;:!") for w in question.query[len(question.text) :].split())
    focus = " ".join([question.text, *(w for w in names_of if set(terms(w)) & earlier)])
    return _besides(found, retriever.search(focus, k // 2, filters, question.speakers))


def _besides(found: list[Evidence], more: list[Evidence]) -> list[Evidence]:
    """``found`` and then the passages of ``more`` it does not have."""
    seen = {(e.passage.document_id, e.passage.start) for e in found}
    return found + [e for e in more if (e.passage.document_id, e.passage.start) not in seen]


def saying_the_opposite(question: Question, scored: list[Candidate]) -> list[Candidate]:
    """The best sentences of ``scored`` that say the opposite of the question's words.

    "oppression" for "inclusive": read for sides although they share little else with it.
    """
    opposed = opposite_terms(set(question.own_terms))
    return [c for c in scored if opposed & set(c.terms)][:_CONTRARY] if opposed else []


def similarity(briefing: Briefing, query: str) -> Similarity:
    """Cosine similarity of the question to sentences.

    A sentence's vector is read from those stored once its document was committed (see
    :mod:`assistant.sentence_vectors`); one without (a document just uploaded, an index
    built before) is embedded here, alone, as the stored ones were: the same question gets
    the same answer whether or not the vectors were stored, and whatever was asked before.
    """

    def of(sentences: list[tuple[Reading, int]]) -> np.ndarray:
        keys = [(r.doc.id, version_of(r.doc.content_hash), *r.spans[i]) for r, i in sentences]
        vectors = briefing.store.sentences.get(keys)
        with _RECENT_LOCK:
            recent = _RECENT.setdefault(briefing.embedder, OrderedDict())
            for key in keys:
                if key not in vectors and key in recent:
                    vectors[key] = recent[key]
                    recent.move_to_end(key)
        missing = list(dict.fromkeys((key, r.text(i)) for (r, i), key in zip(sentences, keys, strict=True)
                                     if key not in vectors))
        if missing:
            made = as_stored(briefing.embedder.embed_each([text for _, text in missing]))
            with _RECENT_LOCK:
                for (key, _), vector in zip(missing, made, strict=True):
                    vectors[key] = recent[key] = vector
                while len(recent) > _RECENT_SIZE:
                    recent.popitem(last=False)
        query_vector = briefing.retriever.embed_query(query)
        matrix = np.stack([vectors[k] for k in keys])
        return np.asarray(matrix @ query_vector, dtype=np.float32)

    return of
