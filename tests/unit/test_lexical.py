"""Index terms and BM25: stems, abbreviations, transliterations, exact names first."""

from __future__ import annotations

from assistant.lexical import BM25Index, terms

LEXICAL_TEXTS = [
    "Pakistan and Afghanistan share a long and porous border.",
    "The Taliban deny that militants operate from Afghan soil.",
    "Tehreek-e-Taliban Pakistan, the TTP, operates from sanctuaries across the border.",
    "ISIS claimed several attacks in Syria over the years.",
    "The group known as ISIS-K claimed the attack at the airport gate.",
]


def test_dotted_abbreviations_are_the_same_terms_as_plain_ones() -> None:
    assert terms("the U.S. and the U.N. at 5 p.m.") == terms("the US and the UN at 5 pm")
    assert "us" in terms("a U.S.-led coalition")


def test_a_tion_noun_is_the_term_of_its_verb() -> None:
    assert terms("evacuated evacuations protected") == terms("evacuation evacuation protection")
    assert terms("nation question") == ["nation", "question"]  # too short, or another word


def test_a_ment_noun_is_the_term_of_its_verb() -> None:
    assert terms("settlement settlements commitment") == terms("settled settles committed")
    assert terms("statement agreement moment") == ["statement", "agreement", "moment"]  # too short to tell


def test_a_consonant_doubled_before_ing_or_ed_is_undoubled() -> None:
    assert terms("win winning") == ["win", "win"]
    assert terms("plan planned stop stopping") == ["plan", "plan", "stop", "stop"]
    assert terms("killed passed added") == ["kill", "pass", "add"]  # not l, s, nor a three-letter word


def test_transliterations_of_a_name_are_one_term() -> None:
    assert "qaeda" in terms("Al-Qa’ida") and "qaeda" in terms("al-Qaeda")
    assert "isis" in terms("Da’esh") and "isis" in terms("ISIL-K")
    assert "isil-k" in terms("ISIL-K") and "isil-k" not in terms("ISIS-K")  # exact spellings still rank first


def test_an_ayn_or_a_stand_in_apostrophe_keeps_a_word_whole() -> None:
    assert terms("al-Qa‘ida’s largest affiliate") == terms("al-Qa’ida’s largest affiliate")
    assert "qaeda" in terms("al-Qaʿida") and "hawaii" in terms("Hawai‘i")
    assert terms("Afghanistan‘s border") == terms("Afghanistan's border")
    assert terms("‘quoted’ words") == ["quot", "word"]  # quotation marks around a word are no part of it


def test_bm25_exact_name_ranks_first() -> None:
    index = BM25Index(LEXICAL_TEXTS)
    top = index.top("Does TTP operate in Afghanistan?", k=3)
    assert top[0][0] == 2
    assert [row for row, _ in index.top("TTP", k=5)] == [2]


def test_bm25_matches_hyphenated_names() -> None:
    index = BM25Index(LEXICAL_TEXTS)
    ranked = index.top("ISIS-K", k=5)
    assert ranked[0][0] == 4
    scores = dict(ranked)
    assert scores[4] > scores.get(3, 0.0)
    assert index.top("Tehreek-e-Taliban", k=1)[0][0] == 2


def test_bm25_respects_the_allowed_mask() -> None:
    import numpy as np

    index = BM25Index(LEXICAL_TEXTS)
    allowed = np.array([True, True, False, True, True])
    assert all(row != 2 for row, _ in index.top("TTP Taliban", k=5, allowed=allowed))
