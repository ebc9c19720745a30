"""The web app and API (pipeline/serve.py), through FastAPI's test client."""

from __future__ import annotations

import json

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
    assert [f["type"] for f in record["facts"]] == ["money", "location", "official"]


def test_batch(client: TestClient) -> None:
    documents = [{"text": TEXT, "id": "a"}, {"text": "   ", "id": "b"}]
    records = client.post("/extract/batch", json={"documents": documents}).json()
    assert [r["doc_id"] for r in records] == ["a", "b"]
    assert records[1]["error"]["kind"] == "E101"


def test_view_highlights_the_facts(client: TestClient) -> None:
    data = client.post("/view", json={"text": TEXT}).json()
    assert data["html"].count('<mark class="fact') == 3
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
