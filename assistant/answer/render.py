"""How a cited sentence reads in an answer: who said it, pronouns resolved, marker placed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.answer.claims import PRONOUNS, REPORTER, without_label
from assistant.answer.holders import holder_of, sentence_holder
from assistant.answer.select import Candidate
from assistant.sentences import sentence_spans
from assistant.types import Citation

_POSSESSIVE = frozenset({"his", "her", "their"})
_ANAPHOR = re.compile(r"\b(these|those|such)\s+(allegations|claims|accusations|charges)\b", re.IGNORECASE)


def holder_for(cand: Candidate) -> str | None:
    """Who a cited sentence speaks for."""
    return sentence_holder(cand.reading, cand.index)


_STRUCK = re.compile(r"<(s|del|strike)>.*?</\1>|~~.*?~~|<sup>\s*\d+\s*</sup>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?(?:b|i|u|em|strong|sup|sub|span|small|mark)(?:\s[^<>]*)?>", re.IGNORECASE)
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_ESCAPE = re.compile(r"\\([\[\]*_`#])")
_FOOTNOTE = re.compile(r"\s*\[\d+\]")


def readable(text: str) -> str:
    r"""A source's sentence without its markup, as a reader of the answer should see it.

    A transcript's struck words and footnote numbers go ("has assessed <s>has</s> \[was\]
    undertaken" reads "has assessed [was] undertaken"); bold, tags ("7<sup>th</sup>" reads
    "7th") and escapes are dropped. A bracketed number would read as one of the answer's
    citation markers, so it goes too. The citation keeps the exact text.
    """
    tidy = _STRUCK.sub("", text)
    tidy = _TAG.sub("", _BREAK.sub(" ", tidy))
    tidy = _EMPHASIS.sub(r"\2", tidy)
    tidy = " ".join(_FOOTNOTE.sub("", _ESCAPE.sub(r"\1", tidy)).split())
    text = " ".join(text.split())
    if len(sentence_spans(tidy, wrapped=False)) != len(sentence_spans(text, wrapped=False)):
        return " ".join(_FOOTNOTE.sub("", text).split())  # bare, it would read as more sentences
    return tidy


def plain(cand: Candidate, again: bool = False) -> str:
    """The sentence with pronouns resolved, markup and whitespace tidied, no marker.

    ``again``: the sentence before it in the answer has the same speaker, who is named
    shortly ("Muhammad Shehbaz Sharif also said: ...", not his title once more).
    """
    text = re.sub(r"^[-*•]\s+", "", readable(without_label(cand.text)))  # a label, a list bullet
    claims = cand.reading.claims(cand.index)
    for claim in claims[:1]:
        word = claim.holder.strip()
        if word.lower() in PRONOUNS:
            name = holder_of(cand.reading, cand.index, word)
            if name and name != word:
                owner = f"{name}’s" if word.lower() in _POSSESSIVE else name  # "In his view" -> "In X’s view"
                text = re.sub(rf"\b{re.escape(word)}\b", owner, text, count=1)
    opening = re.match(r"(His|Her|He|She)\s", text)
    if opening and not cand.reading.speaker(cand.start):  # "His remarks came after ..." in a report
        name = holder_of(cand.reading, cand.index, "he")
        if name and name != "he":  # "He described this narrative as ...": no claim names him
            owner = f"{name}’s" if opening.group(1) in ("His", "Her") else name
            text = f"{owner}{text[len(opening.group(1)) :]}"
    match = _ANAPHOR.search(text)
    if match:
        earlier = _earlier_holder(cand)
        if earlier:
            text = f"{text[: match.end()]} [by {earlier}]{text[match.end() :]}"
    speaker = cand.reading.speaker(cand.start)
    if speaker:
        asks = speaker == REPORTER and cand.text.rstrip("”’\"' )").endswith("?")
        verb = "asked" if asks else "said"
        text = f"{speaker.split(',')[0]} also {verb}: “{text}”" if again else f"{speaker} {verb}: “{text}”"
    return text


def _earlier_holder(cand: Candidate) -> str | None:
    """Who made the allegations a sentence calls 'these allegations'."""
    own = {c.holder for c in cand.reading.claims(cand.index)}
    for back in range(cand.index - 1, max(-1, cand.index - 3), -1):
        for claim in cand.reading.claims(back):
            name = holder_of(cand.reading, back, claim.holder)
            if claim.polarity == "assert" and name and name not in own and name.lower() not in PRONOUNS:
                own_names = {holder_of(cand.reading, cand.index, h) for h in own}
                if name not in own_names:
                    return name
    return None


def render(cand: Candidate, n: int, after: Candidate | None = None) -> str:
    """The answer sentence for ``cand``, with its marker before the final punctuation.

    ``after``: the sentence just before it in the answer, if any.
    """
    text = plain(cand, again=after is not None and same_speaker(after, cand))
    if text.endswith("”"):  # a quoted sentence: the marker goes after the closing quote
        inner = re.sub(r"\.+((?:''|[\"'’”])*)$", r"\1", text[:-1])  # "... Pakistan.''" -> "... Pakistan''"
        return f"{inner}” [{n}]."  # a period also after a quoted question keeps the marker in its sentence
    match = re.search(r"([.!?…]+[\"'”’)]*)$", text)
    if match:
        return f"{text[: match.start()]} [{n}]{match.group(1)}"
    return f"{text} [{n}]."


def same_speaker(a: Candidate, b: Candidate) -> bool:
    """Whether two sentences are said by the same speaker (in one speech or two: each is cited)."""
    speaker = a.reading.speaker(a.start)
    return bool(speaker) and speaker == b.reading.speaker(b.start)


@dataclass
class Draft:
    """An answer being written: its sentences, and its citations numbered in order of use."""

    citations: list[Citation] = field(default_factory=list)
    index: dict[tuple[str, int], int] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    last: Candidate | None = None

    def say(self, cand: Candidate, n: int, opening: str = "") -> None:
        """Add ``cand`` as the answer's next sentence (after an ``opening`` that names its group)."""
        self.lines.append(opening + render(cand, n, None if opening else self.last))
        self.last = cand

    def cite(self, cand: Candidate, holder: str | None) -> int:
        """The number of ``cand``'s citation, added on its first use."""
        key = (cand.reading.doc.id, cand.start)
        if key not in self.index:
            doc = cand.reading.doc
            n = len(self.citations) + 1
            start = cand.end - len(without_label(cand.text))  # the words, not "MR. KIRBY:" before them
            self.citations.append(
                Citation(n=n, document_id=doc.id, title=doc.title, source=doc.source, published=doc.published,
                         start=start, end=cand.end, quote=doc.text[start : cand.end], holder=holder)
            )
            self.index[key] = n
        return self.index[key]
