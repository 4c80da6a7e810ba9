"""BM25 over passages, so exact names ("TTP", "ISIL-K", "Zawahiri") are found.

A sparse matrix of precomputed BM25 weights (passages x terms): scoring a query is a
sum of a few columns. Built in memory from the passages stored in Chroma; rebuilt
when the index generation changes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from scipy import sparse

_APOSTROPHES = "'’‘ʼʿʾ`´"
"""Marks that join a word's letters: the apostrophe and its stand-ins, and the ʿayn and hamza of
transliterations ("al-Qa‘ida", "Hawai‘i", "Afghanistan‘s")."""
_TOKEN = re.compile(rf"[^\W_]+(?:[-{_APOSTROPHES}][^\W_]+)*", re.UNICODE)
_TO_APOSTROPHE = str.maketrans(dict.fromkeys(_APOSTROPHES, "'"))
STOPWORDS = frozenset(
    """a an and are as at be been being but by can could did do does doing for from had has have
    having he her here hers him his how i if in into is it its itself just me more most my no nor
    not of off on once only or other our ours out over own same she should so some such than that
    the their theirs them then there these they this those through to too under until up very was
    we were what when where which while who whom why will with would you your yours about against
    between during before after above below again further any both each few all also
    anyone anybody anything someone somebody something everyone everybody everything""".split()
)


_UNDOUBLED = frozenset("bdgmnprt")
"""Consonants doubled before -ing and -ed ("winning", "stopped"); not l, s or z ("killed", "passed")."""


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light suffix stripper: "operates", "operated", "operating" and "operation" all give "operat".

    "settlement" and "settled" give "settl", "commitment" and "committed" "commit"; "winning"
    and "win" both give "win": a consonant doubled before -ing or -ed is undoubled.
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix in {"s", "es"} and word.endswith(("ss", "is", "us")):
                break
            word = word[: -len(suffix)]
            if suffix in {"ing", "ed"} and len(word) >= 4 and word[-1] == word[-2] and word[-1] in _UNDOUBLED:
                word = word[:-1]  # "winning" meets "win", "planned" "plan"
            break
    if len(word) > 7 and word.endswith("tion") and word != "question":
        word = word[:-3]  # "evacuation" meets "evacuated" ("question" is no "quest")
    if word.endswith("ment") and len(word) >= 10:
        word = word[:-4]  # "settlement" meets "settled"; not "statement", which is no "state"
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    if word.endswith("y") and len(word) > 3:
        word = word[:-1] + "i"
    return word


SPELLINGS = {"qaida": "qaeda", "isil": "isis", "daesh": "isis", "tehrik": "tehreek", "khurasan": "khorasan",
             "zawahri": "zawahiri", "taleban": "taliban"}
"""Transliterations of the same name: "Al-Qa’ida" and "al-Qaeda", "ISIL" and "ISIS" and "Da’esh"."""


@lru_cache(maxsize=500_000)
def _expand(token: str) -> tuple[str, ...]:
    token = token.translate(_TO_APOSTROPHE)
    if token.endswith("'s"):
        token = token[:-2]
    token = token.replace("'", "")  # "qa'ida", "da'esh": one word, however it is transliterated
    parts = token.split("-")
    out = [token] if len(parts) > 1 else []  # the exact compound ("isil-k") ranks exact spellings first
    for part in parts:
        if part and part not in STOPWORDS:
            out.append(stem(part))
            if part in SPELLINGS:  # ... and the usual spelling makes the variants meet
                out.append(SPELLINGS[part])
    return tuple(out)


_DOTTED = re.compile(r"(?<![\w.])(?:[A-Za-z]\.){2,}")


def undotted(text: str) -> str:
    """``text`` with its dotted abbreviations as words: "U.S." is "US", "U.N." is "UN"."""
    return _DOTTED.sub(lambda m: m.group().replace(".", ""), text)


def terms(text: str) -> list[str]:
    """Index terms: stems of words, plus hyphenated compounds and their parts.

    Dotted abbreviations are words: "U.S." is "us", "U.N." is "un".
    """
    text = undotted(text)
    return [term for token in _TOKEN.findall(text.lower()) for term in _expand(token)]


class BM25Index:
    """Okapi BM25 (k1=1.2, b=0.75) over a fixed list of passages."""

    def __init__(self, texts: Sequence[str], k1: float = 1.2, b: float = 0.75) -> None:
        """Index ``texts``; row ``i`` of every result refers to ``texts[i]``."""
        vocabulary: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        lengths = np.zeros(len(texts), dtype=np.float32)
        for row, text in enumerate(texts):
            ids = [vocabulary.setdefault(term, len(vocabulary)) for term in terms(text)]
            lengths[row] = len(ids)
            cols.extend(ids)
            rows.extend([row] * len(ids))
        n = len(texts)
        tf = sparse.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(n, max(len(vocabulary), 1))
        )
        tf.sum_duplicates()
        df = np.bincount(tf.indices, minlength=tf.shape[1]).astype(np.float32)
        idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
        avg = float(lengths.mean()) if n else 1.0
        norm = k1 * (1.0 - b + b * lengths / max(avg, 1e-9))
        row_of = np.repeat(np.arange(n), np.diff(tf.indptr))
        data = tf.data * (k1 + 1.0) / (tf.data + norm[row_of]) * idf[tf.indices]
        self._set(sparse.csr_matrix((data, tf.indices, tf.indptr), shape=tf.shape).tocsc(), vocabulary, idf)

    def _set(self, weights: sparse.csc_matrix, vocabulary: dict[str, int], idf: np.ndarray) -> None:
        self._weights = weights
        self._vocabulary = vocabulary
        self._idf = idf
        self.size = weights.shape[0]

    @classmethod
    def from_parts(cls, weights: sparse.spmatrix, vocabulary: list[str], idf: np.ndarray) -> BM25Index:
        """An index from what :attr:`weights`, :attr:`vocabulary` and :attr:`idf_array` gave."""
        index = cls.__new__(cls)
        index._set(sparse.csc_matrix(weights), {term: i for i, term in enumerate(vocabulary)}, idf)
        return index

    @property
    def weights(self) -> sparse.csc_matrix:
        """BM25 weight of each (passage, term)."""
        return self._weights

    @property
    def vocabulary(self) -> dict[str, int]:
        """Term -> column, in column order."""
        return self._vocabulary

    @property
    def idf_array(self) -> np.ndarray:
        """IDF of each column."""
        return self._idf

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every passage for ``query``."""
        ids = [self._vocabulary[t] for t in set(terms(query)) if t in self._vocabulary]
        if not ids or not self.size:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._weights[:, ids].sum(axis=1)).ravel()

    def term_scores(self, term: str) -> np.ndarray:
        """What index term ``term`` adds to every passage's score."""
        index = self._vocabulary.get(term)
        if index is None or not self.size:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._weights[:, [index]].sum(axis=1)).ravel()

    def idf(self, term: str) -> float:
        """Inverse document frequency of an index term (0 when unknown)."""
        index = self._vocabulary.get(term)
        return float(self._idf[index]) if index is not None else 0.0

    def top(self, query: str, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Best ``k`` rows with a positive score, optionally among ``allowed`` (a bool mask)."""
        return best_rows(self.scores(query), k, allowed)


def best_rows(scores: np.ndarray, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
    """The ``k`` rows of ``scores`` with the best positive scores, optionally among ``allowed``."""
    if allowed is not None:
        scores = np.where(allowed, scores, 0.0)
    positive = int(np.count_nonzero(scores > 0))
    k = min(k, positive)
    if k == 0:
        return []
    best = np.argpartition(-scores, k - 1)[:k]
    best = best[np.argsort(-scores[best], kind="stable")]
    return [(int(i), float(scores[i])) for i in best]
