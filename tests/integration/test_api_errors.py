"""Every error of the API is JSON with a code and a message, whatever raised it: the
endpoints' refusals, an unknown address, an upload too large, an unforeseen fault."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def assert_json_error(response, status: int) -> dict[str, object]:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["code"], str)
    assert body["code"]
    assert isinstance(body["detail"], str)
    assert body["detail"]
    return body  # type: ignore[no-any-return]


def test_a_refused_file_is_400(api_client_for) -> None:  # type: ignore[no-untyped-def]
    empty = io.BytesIO(b"")
    empty.name = "leer.csv"
    assert_json_error(api_client_for("controller").post("/api/imports/", {"file": empty}), 400)


def test_no_token_is_401() -> None:
    assert_json_error(Client().get("/api/customers/"), 401)


def test_a_capability_missing_is_403(api_client_for) -> None:  # type: ignore[no-untyped-def]
    assert_json_error(api_client_for("service").get("/api/portfolio/"), 403)


@pytest.mark.parametrize(
    "path", ["/api/customers/999999", "/api/no-such-thing/", "/api/customers/1/nonsense"]
)
def test_an_unknown_object_or_address_is_404(api_client_for, path: str) -> None:  # type: ignore[no-untyped-def]
    assert_json_error(api_client_for("admin").get(path), 404)


def test_an_unknown_address_without_a_token_is_json_too() -> None:
    assert_json_error(Client().get("/api/no-such-thing/"), 404)


def test_an_upload_over_the_limit_is_413(api_client_for, settings) -> None:  # type: ignore[no-untyped-def]
    settings.MAX_UPLOAD_BYTES = 1 << 20
    big = io.BytesIO(b"Kundennummer;Datum;Umsatz\n" + b"K-1;15.01.2026;1,00\n" * 200_000)
    big.name = "gross.csv"
    assert_json_error(api_client_for("controller").post("/api/imports/", {"file": big}), 413)


def test_an_invalid_body_is_422_with_the_fields(api_client_for) -> None:  # type: ignore[no-untyped-def]
    response = api_client_for("admin").post(
        "/api/customers/", json.dumps({"name": ""}), "application/json"
    )
    body = assert_json_error(response, 422)
    assert body["fields"]


def test_an_unforeseen_fault_is_500_json_and_logged(api_client_for, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    def broken(**_kwargs: object) -> None:
        raise RuntimeError("the disk went away")

    # the one stand-in of this suite: a fault nothing real can be asked to produce
    monkeypatch.setattr("kundenbild.offerings.api.offering_list", broken)
    body = assert_json_error(api_client_for("admin").get("/api/offerings/"), 500)
    assert "disk" not in str(body)  # the client learns nothing of the inside
    assert "the disk went away" in caplog.text


def test_a_malformed_multipart_body_is_a_400_in_json(api_client_for) -> None:  # type: ignore[no-untyped-def]
    boundary = "b0undary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n'
        f"X-Padding: {'x' * 20_000}\r\n\r\nabc\r\n--{boundary}--\r\n"
    ).encode()
    answer = api_client_for("controller").generic(
        "POST",
        "/api/imports/customers",
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert answer.status_code == 400
    assert answer.json()["code"] == "malformed_upload"
