"""``briefing eval``: metrics on a known case (stub answerer) and an end-to-end run."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from assistant.cli import main
from assistant.errors import NotFound
from assistant.eval import GoldFileError, evaluate
from assistant.eval_report import format_report
from assistant.settings import Settings
from assistant.types import Answer, Citation, Conflict, Document, Position, Turn

TEXT = "Alpha is red. Beta is blue. Gamma is green. Delta is gold."


def cite(n: int, quote: str, *, bad: bool = False) -> Citation:
    start = TEXT.find(quote)
    return Citation(
        n=n,
        document_id="d1",
        title="D1",
        start=start,
        end=start + len(quote),
        quote=quote.upper() if bad else quote,
    )


def conflict(a: int, b: int) -> Conflict:
    return Conflict(
        topic="colour",
        positions=[
            Position(holder="X", stance="affirms", summary="yes", citations=[a]),
            Position(holder="Y", stance="denies", summary="no", citations=[b]),
        ],
    )


ANSWERS = {
    # one citation on the evidence, one off it
    "Q1": Answer(
        answer="Alpha is red [1]. Gamma is green [2].",
        abstained=False,
        citations=[cite(1, "Alpha is red."), cite(2, "Gamma is green.")],
    ),
    # a gold conflict, found, both sides cited
    "Q2": Answer(
        answer="Beta is blue [1]. Delta is gold [2].",
        abstained=False,
        citations=[cite(1, "Beta is blue."), cite(2, "Delta is gold.")],
        conflicts=[conflict(1, 2)],
    ),
    # out of scope, abstains (right), but its near miss quote is wrong
    "Q3": Answer(
        answer="The sources do not cover this.",
        abstained=True,
        near_misses=[cite(1, "Alpha is red.", bad=True)],
    ),
    # answerable, but abstains (wrong)
    "Q4": Answer(answer="The sources do not cover this.", abstained=True),
    # the right sentence, but cited second
    "Q6": Answer(
        answer="Gamma is green [1]. Alpha is red [2].",
        abstained=False,
        citations=[cite(1, "Gamma is green."), cite(2, "Alpha is red.")],
    ),
    # unanswerable, but answers with a spurious conflict (wrong twice)
    "Q5": Answer(
        answer="Alpha is red [1]. Beta is blue [2].",
        abstained=False,
        citations=[cite(1, "Alpha is red."), cite(2, "Beta is blue.")],
        conflicts=[conflict(1, 2)],
    ),
}


class StubBriefing:
    def __init__(self) -> None:
        self.asked: list[tuple[str, list[Turn]]] = []

    def ask(
        self, question: str, history: Sequence[Turn] | None = None, filters: dict[str, Any] | None = None
    ) -> Answer:
        self.asked.append((question, list(history or [])))
        return ANSWERS[question]

    def document(self, doc_id: str, content_hash: str = "") -> Document:
        if doc_id != "d1":
            raise NotFound(doc_id)
        return Document(id="d1", title="D1", text=TEXT)


def ev(quote: str, side: str | None = None, doc: str = "d1") -> dict[str, Any]:
    return {"document_id": doc, "quote": quote, **({"side": side} if side else {})}


def item(
    i: int,
    kind: str,
    evidence: list[dict[str, Any]],
    *,
    abstain: bool = False,
    conflict: bool = False,
    history: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    return {
        "id": f"g{i}",
        "question": f"Q{i}",
        "history": history or [],
        "kind": kind,
        "abstain": abstain,
        "conflict": conflict,
        "evidence": evidence,
        "notes": "",
    }


def write_gold(path: Path, items: list[dict[str, Any]]) -> Path:
    path.write_text("\n".join(json.dumps(i) for i in items), encoding="utf-8")
    return path


@pytest.fixture
def report_and_stub(tmp_path: Path) -> tuple[Any, StubBriefing]:
    gold = write_gold(
        tmp_path / "gold.jsonl",
        [
            item(
                1,
                "direct",
                [ev("Alpha is red.")],
                history=[{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}],
            ),
            item(
                2,
                "conflict_within",
                [ev("Beta is blue.", "affirms"), ev("Delta is gold.", "denies")],
                conflict=True,
            ),
            item(3, "out_of_scope", [], abstain=True),
            item(4, "direct", [ev("Gamma is green.")]),
            item(5, "unanswerable", [], abstain=True),
        ],
    )
    stub = StubBriefing()
    return evaluate(stub, gold), stub


def test_overall_metrics_on_a_known_case(report_and_stub: tuple[Any, StubBriefing]) -> None:
    report, stub = report_and_stub
    m = report.overall
    assert m.items == 5
    assert m.span_exactness == pytest.approx(
        6 / 7
    )  # 7 quotes (6 citations + 1 near miss), the near miss is wrong
    assert m.citation_precision == pytest.approx(
        3 / 4
    )  # Q1: 1 of 2, Q2: 2 of 2; Q4 abstained, Q5 is not answerable
    assert m.first_citation_precision == pytest.approx(1.0)  # Q1 and Q2 open with gold evidence
    assert m.evidence_recall == pytest.approx(3 / 4)  # Q1 1/1, Q2 2/2, Q4 0/1
    assert m.abstention_accuracy == pytest.approx(
        3 / 5
    )  # Q4 and Q5 wrong; out-of-scope Q3 abstaining is right
    assert m.conflict_precision == pytest.approx(1 / 2)  # Q2 right, Q5 spurious
    assert m.conflict_recall == pytest.approx(1.0)
    assert m.conflict_f1 == pytest.approx(2 / 3)
    assert m.both_sides_cited == pytest.approx(1.0)
    assert m.latency_p50_s is not None and m.latency_p95_s is not None
    assert 0 <= m.latency_p50_s <= m.latency_p95_s
    assert stub.asked[0][1][1].role == "assistant"  # history is passed through


def test_first_citation_precision_asks_whether_an_answer_opens_with_the_evidence(tmp_path: Path) -> None:
    gold = write_gold(tmp_path / "gold.jsonl", [item(1, "direct", [ev("Alpha is red.")]),
                                                item(6, "direct", [ev("Alpha is red.")])])
    report = evaluate(StubBriefing(), gold)
    assert report.overall.citation_precision == pytest.approx(2 / 4)  # each answer: one of two
    assert report.overall.first_citation_precision == pytest.approx(1 / 2)  # Q1 opens with it, Q6 does not
    assert [r.first_on_evidence for r in report.items] == [True, False]
    assert " 1st " in format_report(report).splitlines()[1] + " "


def test_per_kind_and_failing_items(report_and_stub: tuple[Any, StubBriefing]) -> None:
    report, _ = report_and_stub
    assert set(report.per_kind) == {"direct", "conflict_within", "out_of_scope", "unanswerable"}
    direct = report.per_kind["direct"]
    assert (direct.items, direct.abstention_accuracy, direct.citation_precision, direct.evidence_recall) == (
        2,
        0.5,
        0.5,
        0.5,
    )
    assert report.per_kind["out_of_scope"].abstention_accuracy == 1.0
    assert report.per_kind["out_of_scope"].citation_precision is None
    failing = {r.id: r.failures for r in report.failing}
    assert set(failing) == {"g3", "g4", "g5"}
    assert failing["g3"] == ["1 quote(s) differ from the document text"]
    assert failing["g4"] == ["abstained but should answer"]
    assert failing["g5"] == ["answered but should abstain", "reported a conflict that is not there"]
    table = format_report(report)
    assert "overall" in table and "3 of 5 items failing" in table and "g4 [direct] Q4" in table


def test_one_sided_conflict_and_missing_quote(tmp_path: Path) -> None:
    gold = write_gold(
        tmp_path / "gold.jsonl",
        [
            # conflict found, but the citations (Beta, Delta) cover only the gold "affirms" side
            item(
                2,
                "conflict_across",
                [ev("Beta is blue.", "affirms"), ev("Epsilon is grey.", "denies")],
                conflict=True,
            ),
            item(1, "direct", [ev("Alpha is red."), ev("Alpha is red.", doc="nowhere")]),
        ],
    )
    report = evaluate(StubBriefing(), gold)
    by_id = {r.id: r for r in report.items}
    assert by_id["g2"].both_sides is False
    assert report.overall.both_sides_cited == 0.0
    assert "conflict found but gold evidence of two sides is not cited" in by_id["g2"].failures
    assert by_id["g2"].failures.count("evidence quote not found in d1") == 1
    assert by_id["g1"].gold_spans == 1 and by_id["g1"].gold_hit == 1  # the unresolved quote is not counted
    assert "evidence quote not found in nowhere" in by_id["g1"].failures
    assert report.overall.citation_precision == pytest.approx(
        2 / 4
    )  # Q2: Beta on, Delta off; Q1: Alpha on, Gamma off


def test_alternatives_count_for_precision_and_sides_but_not_for_recall(tmp_path: Path) -> None:
    gold = write_gold(
        tmp_path / "gold.jsonl",
        [
            # Q1 cites Alpha (evidence) and Gamma (an alternative): 2 of 2 with alternatives, 1 of 2 without
            {
                **item(1, "direct", [ev("Alpha is red."), ev("Delta is gold.")]),
                "also": [ev("Gamma is green.")],
            },
            # Q2 cites Beta (affirms) and Delta, which only the alternatives list, as the denying side
            {
                **item(2, "conflict_across", [ev("Beta is blue.", "affirms"), ev("Epsilon", "denies")],
                       conflict=True),
                "also": [ev("Delta is gold.", "denies")],
            },
        ],
    )
    report = evaluate(StubBriefing(), gold)
    m = report.overall
    assert m.citation_precision == pytest.approx(2 / 4)
    assert m.citation_precision_with_also == pytest.approx(4 / 4)
    assert m.evidence_recall == pytest.approx(2 / 3)  # Q1: Alpha, not Delta; Q2: Beta (no Epsilon in d1)
    assert m.both_sides_cited == 0.0 and m.both_sides_cited_with_also == 1.0
    assert "+also" in format_report(report)


def test_an_alternative_that_is_not_in_the_document_is_reported(tmp_path: Path) -> None:
    gold = write_gold(
        tmp_path / "gold.jsonl",
        [{**item(1, "direct", [ev("Alpha is red.")]), "also": [ev("Omega is black.")]}],
    )
    (result,) = evaluate(StubBriefing(), gold).items
    assert "evidence quote not found in d1" in result.failures


def test_unreadable_or_malformed_gold_file(tmp_path: Path) -> None:
    with pytest.raises(GoldFileError):
        evaluate(StubBriefing(), tmp_path / "missing.jsonl")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n', encoding="utf-8")
    with pytest.raises(GoldFileError, match="bad.jsonl:1"):
        evaluate(StubBriefing(), bad)


def test_cli_eval_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    strike = "Two Hellfire missiles were fired at Ayman al-Zawahiri, who was killed."
    (corpus / "b.txt").write_text(f"{strike} The strike happened in Kabul.\n", encoding="utf-8")
    (corpus / "a.txt").write_text("The Kabul airport attack was carried out by ISIS-K.\n", encoding="utf-8")
    gold = write_gold(
        tmp_path / "gold.jsonl",
        [
            {
                **item(1, "direct", [ev(strike, doc="b.txt")]),
                "question": "How many Hellfire missiles were fired at Zawahiri?",
            },
            {**item(2, "out_of_scope", [], abstain=True), "question": "What is the capital of Peru?"},
        ],
    )
    settings = Settings(index_dir=tmp_path / "idx", embedder="fake")
    argv = ["eval", str(gold), "--json", "--index-from", str(corpus)]
    assert main(argv, settings) == 0
    captured = capsys.readouterr()
    assert "2 added" in captured.err
    report = json.loads(captured.out)
    assert [r["id"] for r in report["items"]] == ["g1", "g2"]
    assert report["overall"]["span_exactness"] == 1.0  # every quote the answerer returns is checked text
    out_of_scope = report["items"][1]
    assert out_of_scope["abstain_ok"] is True and out_of_scope["failures"] == []
    assert report["items"][0]["gold_spans"] == 1
    assert main(argv, settings) == 0  # idempotent: the second run re-indexes nothing
    assert "0 added, 0 updated, 2 unchanged" in capsys.readouterr().err
    assert main(["eval", str(tmp_path / "missing.jsonl")], settings) == 2
    assert capsys.readouterr().err.startswith("error: cannot read gold file")
