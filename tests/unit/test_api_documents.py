"""Upload, list, read and delete documents over HTTP, and what ``ask`` sees afterwards."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.api_support import ADMIN_KEY, ASK_KEY, KEYS, api_client, bearer

ADMIN = bearer(ADMIN_KEY)
MD = b"""---
title: Herat convoy report
source: Desk notes
published: 2024-03-05
---
# Herat convoy

The relief convoy of forty-two trucks reached Herat on Tuesday after a four-day delay
at the Islam Qala crossing.
"""
TXT = b"The earthquake in Badakhshan destroyed nineteen schools in Jurm district.\n"
CONVOY_QUESTION = "How many trucks were in the relief convoy to Herat?"
QUAKE_QUESTION = "What did the Badakhshan earthquake destroy?"


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    with api_client(tmp_path, api_keys=KEYS, max_upload_bytes=64 * 1024) as test_client:
        yield test_client


def ask(client: TestClient, question: str) -> dict:
    response = client.post("/v1/ask", json={"question": question}, headers=bearer(ASK_KEY))
    assert response.status_code == 200, response.text
    return response.json()


def cited_ids(answer: dict) -> set[str]:
    return {c["document_id"] for c in answer["citations"]}


def upload(client: TestClient, *files: tuple[str, bytes, str]):
    return client.post("/v1/documents", files=[("files", f) for f in files], headers=ADMIN)


def test_upload_md_and_txt_then_ask_then_delete(client: TestClient) -> None:
    assert "convoy.md" not in cited_ids(ask(client, CONVOY_QUESTION))
    response = upload(client, ("convoy.md", MD, "text/markdown"), ("quake.txt", TXT, "text/plain"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["ids"] == ["convoy.md", "quake.txt"]
    assert [(d["filename"], d["id"], d["outcome"]) for d in body["documents"]] == [
        ("convoy.md", "convoy.md", "added"),
        ("quake.txt", "quake.txt", "added"),
    ]

    stored = client.get("/v1/documents/convoy.md", headers=bearer(ASK_KEY)).json()
    assert stored["title"] == "Herat convoy report" and stored["source"] == "Desk notes"
    assert stored["published"] == "2024-03-05" and "forty-two trucks" in stored["text"]
    listed = client.get("/v1/documents", headers=bearer(ASK_KEY)).json()
    assert listed["total"] == 5 and "quake.txt" in [d["id"] for d in listed["documents"]]

    answer = ask(client, CONVOY_QUESTION)  # searchable as soon as the upload returned
    assert not answer["abstained"] and "convoy.md" in cited_ids(answer)
    for citation in answer["citations"]:
        if citation["document_id"] == "convoy.md":
            assert stored["text"][citation["start"] : citation["end"]] == citation["quote"]
    assert "quake.txt" in cited_ids(ask(client, QUAKE_QUESTION))

    assert client.delete("/v1/documents/convoy.md", headers=ADMIN).json()["outcome"] == "removed"
    assert "convoy.md" not in cited_ids(ask(client, CONVOY_QUESTION))
    assert client.get("/v1/documents/convoy.md", headers=bearer(ASK_KEY)).status_code == 404
    again = client.delete("/v1/documents/convoy.md", headers=ADMIN)
    assert again.status_code == 404 and again.json()["error"]["code"] == "not_found"


def test_reupload_is_unchanged_and_an_edit_is_updated(client: TestClient) -> None:
    assert upload(client, ("quake.txt", TXT, "text/plain")).json()["documents"][0]["outcome"] == "added"
    assert upload(client, ("quake.txt", TXT, "text/plain")).json()["documents"][0]["outcome"] == "unchanged"
    edited = TXT.replace(b"nineteen", b"twenty-three")
    assert upload(client, ("quake.txt", edited, "text/plain")).json()["documents"][0]["outcome"] == "updated"
    text = client.get("/v1/documents/quake.txt", headers=ADMIN).json()["text"]
    assert "twenty-three schools" in text
    quotes = " ".join(c["quote"] for c in ask(client, QUAKE_QUESTION)["citations"])
    assert "twenty-three" in quotes and "nineteen" not in quotes


def test_folders_in_file_names_are_dropped(client: TestClient) -> None:
    body = upload(client, ("../../etc/quake.txt", TXT, "text/plain")).json()
    assert body["ids"] == ["quake.txt"]


def test_json_body_upload(client: TestClient) -> None:
    doc = {
        "id": "notes/convoy-2",
        "title": "Convoy note",
        "text": "The second convoy carried 310 tonnes of wheat flour to Kandahar.",
        "source": "https://example.org/convoy",
        "published": "2024-04-02",
        "metadata": {"desk": "logistics", "priority": 2},
    }
    response = client.post("/v1/documents", json=doc, headers=ADMIN)
    assert response.status_code == 200, response.text
    assert response.json()["documents"] == [
        {"filename": "document.json", "id": "notes/convoy-2", "outcome": "added", "reason": None}
    ]
    stored = client.get("/v1/documents/notes/convoy-2", headers=ADMIN).json()
    assert stored["text"] == doc["text"] and stored["title"] == "Convoy note"
    assert stored["metadata"]["desk"] == "logistics" and stored["metadata"]["priority"] == 2
    answer = ask(client, "How much wheat flour did the second convoy carry?")
    assert "notes/convoy-2" in cited_ids(answer)
    filtered = client.post(
        "/v1/ask",
        json={
            "question": "How much wheat flour did the second convoy carry?",
            "filters": {"desk": "finance"},
        },
        headers=ADMIN,
    ).json()
    assert "notes/convoy-2" not in cited_ids(filtered)


@pytest.mark.parametrize("key", ["$where", "#tag", "  "])
def test_a_metadata_key_the_index_reserves_is_refused_clearly(client: TestClient, key: str) -> None:
    body = {"id": "notes/odd-key", "text": "Polio vaccination resumed in Nangarhar.", "metadata": {key: "x"}}
    response = client.post("/v1/documents", json=body, headers=ADMIN)
    assert response.status_code == 422, response.text
    assert repr(key) in response.json()["error"]["message"]
    assert client.get("/v1/documents/notes/odd-key", headers=ADMIN).status_code == 404


def test_json_body_without_id_gets_a_content_id(client: TestClient) -> None:
    body = {"text": "Polio vaccination resumed in Nangarhar."}
    first = client.post("/v1/documents", json=body, headers=ADMIN).json()
    (doc_id,) = first["ids"]
    assert doc_id.startswith("upload-") and len(doc_id) == len("upload-") + 16
    assert (
        client.post("/v1/documents", json=body, headers=ADMIN).json()["documents"][0]["outcome"]
        == "unchanged"
    )


@pytest.mark.parametrize(
    "content",
    [
        '{"title": "no text"}',
        '{"text": ""}',
        '{"text": "x", "metadata": {"a": [1]}}',
        '{"text": "x", "x": 1}',
        "{",
    ],
)
def test_invalid_json_document_is_422(client: TestClient, content: str) -> None:
    headers = {**ADMIN, "Content-Type": "application/json"}
    response = client.post("/v1/documents", content=content, headers=headers)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "invalid_request"


def test_unsupported_file_is_415_with_the_reason(client: TestClient) -> None:
    response = upload(client, ("tool.exe", b"MZ\x90\x00\x03" + bytes(200), "application/octet-stream"))
    assert response.status_code == 415
    error = response.json()["error"]
    assert error["code"] == "unsupported_media_type"
    assert "tool.exe" in error["message"] and ".exe" in error["message"] and ".md" in error["message"]
    assert client.get("/v1/documents/tool.exe", headers=ADMIN).status_code == 404


def test_unsupported_body_type_is_415(client: TestClient) -> None:
    response = client.post("/v1/documents", content=TXT, headers={**ADMIN, "Content-Type": "text/plain"})
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"


def test_too_big_upload_is_413_and_stores_nothing(client: TestClient) -> None:
    big = b"Kabul. " * 20_000  # 140 kB > 64 kB
    response = upload(client, ("big.txt", big, "text/plain"))
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert client.get("/v1/documents", headers=ADMIN).json()["total"] == 3


def test_a_broken_file_is_rejected_while_the_others_are_stored(client: TestClient) -> None:
    response = upload(
        client,
        ("quake.txt", TXT, "text/plain"),
        ("broken.pdf", b"%PDF-1.7 this is not really a pdf", "application/pdf"),
        ("empty.md", b"   \n", "text/markdown"),
        ("tool.exe", b"MZ", "application/octet-stream"),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["ids"] == ["quake.txt"]
    outcomes = {d["filename"]: d for d in body["documents"]}
    assert outcomes["quake.txt"]["outcome"] == "added"
    for name in ("broken.pdf", "empty.md", "tool.exe"):
        assert outcomes[name]["outcome"] == "rejected" and outcomes[name]["id"] is None
        assert outcomes[name]["reason"]
    assert "pdf" in outcomes["broken.pdf"]["reason"].lower()
    assert client.get("/v1/documents/quake.txt", headers=ADMIN).status_code == 200


def test_only_broken_files_is_422(client: TestClient) -> None:
    response = upload(
        client, ("empty.txt", b"", "text/plain"), ("tool.exe", b"MZ", "application/octet-stream")
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert (
        error["code"] == "bad_document" and "empty.txt" in error["message"] and "tool.exe" in error["message"]
    )


def test_jsonl_upload_reports_bad_lines(client: TestClient) -> None:
    lines = [
        {"id": "wh-1", "title": "Statement one", "text": "The President met the Prime Minister of Pakistan."},
        {"id": "wh-2", "text": ""},
        {"id": "wh-3", "title": "Statement three", "text": "The delegation discussed border security."},
    ]
    data = "\n".join(json.dumps(line) for line in lines).encode()
    body = upload(client, ("statements.jsonl", data, "application/jsonl")).json()
    assert body["ids"] == ["wh-1", "wh-3"]
    rejected = [d for d in body["documents"] if d["outcome"] == "rejected"]
    assert [d["filename"] for d in rejected] == ["statements.jsonl:2"] and "text" in rejected[0]["reason"]


def test_multipart_without_files_is_422(client: TestClient) -> None:
    response = client.post("/v1/documents", files={"note": (None, "no files")}, headers=ADMIN)
    assert response.status_code == 422
    assert "files" in response.json()["error"]["message"]
    garbled = client.post(
        "/v1/documents",
        content=b"--xyz\r\nContent-Disposition: form-data\r\n\r\nbroken",
        headers={**ADMIN, "Content-Type": "multipart/form-data; boundary=xyz"},
    )
    assert garbled.status_code == 422


def test_delete_of_unknown_id_is_404(client: TestClient) -> None:
    response = client.delete("/v1/documents/no/such/doc.txt", headers=ADMIN)
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
