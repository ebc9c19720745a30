"""The web app and API (pipeline/serve.py), through FastAPI's test client."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from pipeline import extract
from pipeline.serve import create_app

TEXT = "Ông Phạm Quốc Lập, Phó Bí thư Đảng ủy xã An Ấp cho biết: xã được hỗ trợ 29 triệu đồng."


@pytest.fixture(scope="module")
def client() -> TestClient:
    with TestClient(create_app(max_bytes=10_000)) as test_client:
        yield test_client


def test_health(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok" and response.json()["rules"] > 20


def test_extract_gives_the_records_of_the_pipeline(client: TestClient) -> None:
    response = client.post("/extract", json={"text": TEXT, "id": "bai-1"})
    assert response.status_code == 200
    [record] = response.json()
    expected = json.loads(extract(TEXT, doc_id="bai-1")[0].model_dump_json(exclude_none=True))
    assert {k: v for k, v in record.items() if k != "checksum"} == expected
    assert [f["type"] for f in record["facts"]] == [
        "money",
        "location",
        "official",
        "organization",
        "quote",
    ]


def test_batch(client: TestClient) -> None:
    documents = [{"text": TEXT, "id": "a"}, {"text": "   ", "id": "b"}]
    records = client.post("/extract/batch", json={"documents": documents}).json()
    assert [r["doc_id"] for r in records] == ["a", "b"]
    assert records[1]["error"]["kind"] == "E101"


def test_view_highlights_the_facts(client: TestClient) -> None:
    data = client.post("/view", json={"text": TEXT}).json()
    # five facts; a fact cut by the ones inside it (the quote holds the money) is marked
    # once per piece, each mark with its fact's number
    numbers = re.findall(r'<mark class="fact [a-z]+" data-fact="(\d+)"', data["html"])
    assert sorted(set(numbers)) == ["0", "1", "2", "3", "4"]
    assert '<mark class="fact official" data-fact="2" data-start="4" data-end="17"' in data["html"]


def test_the_page_and_the_openapi_docs(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and '<textarea id="text"' in page.text
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/extract", "/extract/batch", "/health", "/view"} <= set(paths)


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        (b"{not json", {"Content-Type": "application/json"}),
        (b'{"txt": "a"}', {"Content-Type": "application/json"}),
        (b'{"text": 5}', {"Content-Type": "application/json"}),
        (b'["a"]', {"Content-Type": "application/json"}),
    ],
    ids=["malformed", "wrong-field", "wrong-type", "not-an-object"],
)
def test_bad_json_is_a_clear_422(client: TestClient, body: bytes, headers: dict[str, str]) -> None:
    response = client.post("/extract", content=body, headers=headers)
    assert response.status_code == 422
    data = response.json()
    assert data["detail"] == "The request body is not valid JSON of the expected shape."
    assert "Traceback" not in response.text


def test_a_body_over_the_limit_is_413(client: TestClient) -> None:
    response = client.post("/extract", json={"text": "x" * 20_000})
    assert response.status_code == 413
    assert response.json()["detail"].startswith("The request body is too large (20,")
    chunks = (b'{"text": "' + b"x" * 6_000, b"x" * 6_000 + b'"}')
    streamed = client.post(
        "/extract", content=iter(chunks), headers={"Content-Type": "application/json"}
    )
    assert streamed.status_code == 413


def test_an_unexpected_failure_has_no_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.serve as serve

    def broken(_: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(serve, "_records", broken)
    with TestClient(create_app(), raise_server_exceptions=False) as test_client:
        response = test_client.post("/extract", json={"text": TEXT})
    assert response.status_code == 500
    assert response.json() == {"detail": "The server could not process the request (RuntimeError)."}
    assert "secret" not in response.text


@pytest.mark.parametrize(
    ("body", "where", "problem"),
    [
        (b'{"text": "\\udfff"}', "body.text", "a lone surrogate at position 0 (U+DFFF)"),
        (
            b'{"text": "abc", "id": "a\\ud800"}',
            "body.id",
            "a lone surrogate at position 1 (U+D800)",
        ),
        (b'{"text": "abc", "date": "not-a-date"}', "body.date", "'not-a-date' is not an ISO 8601"),
        (b'{"text": "abc", "date": "2025-13-45"}', "body.date", "'2025-13-45' is not an ISO 8601"),
        (b'{"documents": [{"text": "a", "date": "2024-02-30"}]}', "body.documents.0.date", "'2024"),
        (b'{"text": "\xff\xfe"}', "body", "There was an error parsing the body"),
    ],
    ids=["surrogate-text", "surrogate-id", "not-a-date", "month-13", "in-batch", "not-utf8"],
)
def test_input_no_output_could_hold_is_a_422_that_names_the_field(
    client: TestClient, body: bytes, where: str, problem: str
) -> None:
    path = "/extract/batch" if b"documents" in body else "/extract"
    response = client.post(path, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["where"] == where and problem in error["problem"]


def test_an_iso_date_and_time_gives_its_date(client: TestClient) -> None:
    body = {"text": TEXT, "date": "2025-09-16T08:30:00+07:00"}
    [record] = client.post("/extract", json=body).json()
    assert record["date"] == "2025-09-16" and "warnings" not in record


def _post_raw(url: str, body: bytes) -> tuple[int, bytes]:
    """POST with a Content-Length header, the whole body sent before the answer is read (as
    most clients do); returns the status and the body of the answer."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as conn:
        head = f"POST /extract HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        conn.sendall(f"{head}Content-Length: {len(body)}\r\n\r\n".encode("ascii") + body)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    status = int(answer.split(b" ", 2)[1])
    return status, answer.partition(b"\r\n\r\n")[2]


def test_a_declared_body_over_the_limit_is_a_413_not_a_reset(server: str) -> None:
    status, body = _post_raw(server, b'{"text": "' + b"x" * 3_000_000 + b'"}')
    assert status == 413
    assert json.loads(body) == {
        "detail": "The request body is too large (3,000,012 bytes; the limit is 2,000,000)."
    }
    assert _post_raw(server, json.dumps({"text": TEXT}).encode())[0] == 200  # still serving


def test_schemathesis_fuzz_finds_no_5xx_and_no_schema_violation(server: str) -> None:
    """Property-based requests generated from the API's own OpenAPI schema (bounded, with a
    fixed seed so that a run is reproducible): every check of Schemathesis must pass."""
    command = [sys.executable, "-m", "schemathesis.cli", "run", f"{server}/openapi.json"]
    command += ["--checks", "all", "--max-examples", "80", "--seed", "20261203"]
    command += ["--workers", "2", "--no-color", "--generation-database", "none"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
    summary = result.stdout[result.stdout.find("SUMMARY") :]
    assert result.returncode == 0, summary or result.stderr
    assert "No issues found" in summary
