"""Split a document into sentence-aligned passages that fit the embedding window.

Sentences are packed in order until the next one would pass the target size; a
paragraph break is preferred as a cut once a passage is half full. A sentence longer
than the model's window is cut at clause or word boundaries, never truncated, so every
character of the document is embedded exactly once.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.sentences import is_hard_wrapped, paragraphs, sentence_spans
from assistant.types import Document, Passage

TokenCounter = Callable[[list[str]], list[int]]
_SPECIALS = 2  # [CLS] and [SEP]
_CLAUSE_BREAK = re.compile(r"[;:,]\s+|\s+[—–]\s+|\s+")


def split_into_passages(
    document: Document, count_tokens: TokenCounter, target: int = 128, limit: int = 256
) -> list[Passage]:
    """Passages covering every sentence of ``document``, each within ``limit`` word pieces."""
    text = document.text
    wrapped = is_hard_wrapped(text)
    spans = sentence_spans(text, wrapped)
    if not spans:
        return []
    sizes = [n - _SPECIALS for n in count_tokens([text[s:e] for s, e in spans])]
    pieces: list[tuple[int, int, int]] = []
    for (start, end), size in zip(spans, sizes, strict=True):
        if size + _SPECIALS <= limit:
            pieces.append((start, end, size))
        else:
            pieces.extend(_cut_long_sentence(text, start, end, count_tokens, limit - _SPECIALS))
    breaks = {start for start, _ in paragraphs(text, wrapped)}
    return [
        Passage(document_id=document.id, start=s, end=e, text=text[s:e])
        for s, e in _pack(pieces, breaks, target - _SPECIALS, limit - _SPECIALS)
    ]


def _pack(pieces: list[tuple[int, int, int]], breaks: set[int], target: int, limit: int) -> list[tuple[int, int]]:
    """Greedy packing of consecutive pieces into spans of at most ``limit`` tokens."""
    out: list[tuple[int, int]] = []
    start, end, size = pieces[0]
    for p_start, p_end, p_size in pieces[1:]:
        # Joining costs no extra tokens: BERT splits on whitespace and punctuation.
        joined = size + p_size
        new_paragraph = p_start in breaks and size >= target // 2
        if joined > target or joined > limit or new_paragraph:
            out.append((start, end))
            start, end, size = p_start, p_end, p_size
        else:
            end, size = p_end, joined
    out.append((start, end))
    return out


def _cut_long_sentence(
    text: str, start: int, end: int, count_tokens: TokenCounter, budget: int
) -> list[tuple[int, int, int]]:
    """Cut an over-long sentence at the last clause or word break that fits."""
    out: list[tuple[int, int, int]] = []
    while start < end:
        size = count_tokens([text[start:end]])[0] - _SPECIALS
        if size <= budget:
            out.append((start, end, size))
            break
        # Estimate where the budget runs out, then back off to a break.
        guess = start + max(1, (end - start) * budget // size)
        cut = _last_break(text, start, guess)
        while count_tokens([text[start:cut]])[0] - _SPECIALS > budget and cut > start + 1:
            cut = _last_break(text, start, cut - 1)
        piece_end = cut
        while piece_end > start and text[piece_end - 1].isspace():
            piece_end -= 1
        out.append((start, piece_end, count_tokens([text[start:piece_end]])[0] - _SPECIALS))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    return out


def _last_break(text: str, start: int, limit: int) -> int:
    """Position after the last clause break (else word break) in ``text[start:limit]``."""
    best_word = -1
    for match in _CLAUSE_BREAK.finditer(text, start, limit):
        if match.group().strip():
            best_clause = match.end()
            if best_clause > start + (limit - start) // 2:
                return best_clause
        best_word = match.end()
    if best_word > start:
        return best_word
    return max(limit, start + 1)
