"""A deterministic ``ask`` for the Slack tests: answers from exact spans of the seed article
(found with ``str.find``, so every quote is ``text[start:end]``) and records the history it received.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

from assistant.types import Answer, Citation, Conflict, Position, Turn

SEED_PATH = Path(__file__).resolve().parents[1] / "seeds" / "000_e8fa8a199500442e.txt"
SEED_ID = "seeds/000_e8fa8a199500442e.txt"
SEED_TITLE = "Pakistan rejects Taliban allegations & cites UN reports"

AFFIRM_QUOTE = (
    "He emphasized that official UN reports confirm the presence and operational activities of multiple "
    "terrorist organizations inside Afghanistan, including TTP, Al-Qaeda, and ISIS-Khorasan (ISIS-K)."
)
DENY_QUOTE = (
    "Zaidi stressed that the Taliban are attempting to attribute ongoing violence to ISIS while "
    "simultaneously denying the presence of TTP within Afghanistan."
)
UN_QUOTE = (
    "According to him, UN documentation clearly demonstrates that these groups not only operate within "
    "Afghanistan but are expanding their footprint, effectively turning the country into a safe haven for "
    "terrorist organizations."
)


class SeedAsk:
    """``ask(question, history)`` answering from the seed article, deterministically.

    Questions mentioning TTP get the cited answer with the Taliban/Zaidi conflict; "UN" gets the
    UN answer; "long" gets an answer too big for one Slack message; "boom" raises; anything
    else abstains. A question containing a word registered with :meth:`hold` waits until
    :meth:`release` is called.
    """

    def __init__(self) -> None:
        self.text = SEED_PATH.read_text(encoding="utf-8")
        self.calls: list[tuple[str, list[Turn]]] = []
        self._gates: dict[str, threading.Event] = {}
        self._lock = threading.Lock()

    def hold(self, word: str) -> None:
        self._gates[word] = threading.Event()

    def release(self, word: str) -> None:
        self._gates.pop(word).set()

    def __call__(self, question: str, history: list[Turn]) -> Answer:
        with self._lock:
            self.calls.append((question, list(history)))
        for word, gate in list(self._gates.items()):
            if word in question:
                gate.wait(timeout=20)
        if "boom" in question:
            raise RuntimeError("Traceback: index shard 7 is corrupt at /srv/secret/path")
        if "TTP" in question:
            return self.ttp_answer()
        if "UN" in question:
            return self.un_answer()
        if "long" in question:
            return self.long_answer()
        return Answer(answer="", abstained=True, notes=["no passage answers the question"])

    def cite(self, n: int, quote: str, holder: str | None = None) -> Citation:
        start = self.text.find(quote)
        assert start >= 0, f"not in the seed: {quote!r}"
        return Citation(
            n=n,
            document_id=SEED_ID,
            title=SEED_TITLE,
            published="2025-02-10",
            start=start,
            end=start + len(quote),
            quote=self.text[start : start + len(quote)],
            holder=holder,
        )

    def ttp_answer(self) -> Answer:
        citations = [
            self.cite(1, AFFIRM_QUOTE, "Musharraf Zaidi"),
            self.cite(2, DENY_QUOTE, "the Taliban"),
            self.cite(3, UN_QUOTE, "Musharraf Zaidi"),
        ]
        conflict = Conflict(
            topic="whether TTP operates from Afghanistan",
            positions=[
                Position(
                    holder="Musharraf Zaidi, spokesperson for Pakistan's Prime Minister",
                    stance="affirms",
                    summary="UN reports confirm TTP operates inside Afghanistan.",
                    citations=[1, 3],
                ),
                Position(
                    holder="the Taliban",
                    stance="denies",
                    summary="They deny the presence of TTP within Afghanistan.",
                    citations=[2],
                ),
            ],
        )
        return Answer(
            answer=(
                "Pakistan's Prime Minister's spokesperson, citing UN reports, says TTP operates from "
                "Afghanistan [1][3]. The Taliban deny that TTP is present in Afghanistan [2]."
            ),
            abstained=False,
            citations=citations,
            conflicts=[conflict],
            verification={"checked": 3, "removed": 0},
        )

    def un_answer(self) -> Answer:
        citations = [self.cite(1, AFFIRM_QUOTE, "Musharraf Zaidi"), self.cite(2, UN_QUOTE, "Musharraf Zaidi")]
        return Answer(
            answer="Zaidi says UN reports confirm TTP, Al-Qaeda and ISIS-K are in Afghanistan [1][2].",
            abstained=False,
            citations=citations,
        )

    def long_answer(self) -> Answer:
        """Every sentence of the seed, cited, three times over: far beyond one message."""
        sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", self.text) if len(s.strip()) > 20]
        citations = [self.cite(n, s) for n, s in enumerate(sentences * 3, start=1)]
        answer = " ".join(f"{c.quote} [{c.n}]" for c in citations)
        return Answer(answer=answer, abstained=False, citations=citations)


