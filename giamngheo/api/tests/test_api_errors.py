"""Limits and errors: 429 with Retry-After per token, one JSON error shape with vi/en messages and field
paths."""

from __future__ import annotations

from django.test import override_settings

from giamngheo.testing.api import bearer

SHAPE = {"status", "code", "message_vi", "message_en", "problems"}


@override_settings(API_RATE_LIMIT="3/60")
def test_too_many_requests_from_one_token_answer_429_with_retry_after(client, officer, village_head):
    mine, theirs = bearer(officer), bearer(village_head)
    answers = [client.get("/api/standards", headers=mine) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    limited = answers[-1]
    assert set(limited.json()) == SHAPE and limited.json()["code"] == "rate_limited"
    assert 1 <= int(limited["Retry-After"]) <= 60
    # Another token has its own allowance.
    assert client.get("/api/standards", headers=theirs).status_code == 200


def test_validation_errors_name_each_field_in_both_languages(client, officer):
    answer = client.get("/api/units", {"limit": "many", "parent": "x"}, headers=bearer(officer))
    assert answer.status_code == 422
    body = answer.json()
    assert set(body) == SHAPE
    fields = {p["field"] for p in body["problems"]}
    assert fields == {"query.limit", "query.parent"}
    assert all(p["message_vi"] and p["message_en"] for p in body["problems"])


def test_a_forged_cursor_is_a_validation_error_of_the_cursor(client, officer):
    answer = client.get("/api/units", {"cursor": "not-a-cursor"}, headers=bearer(officer))
    assert answer.status_code == 422
    assert answer.json()["problems"][0]["field"] == "query.cursor"


def test_an_unknown_object_is_404_in_the_same_shape(client, officer):
    answer = client.get("/api/households/999999", headers=bearer(officer))
    assert answer.status_code == 404
    assert set(answer.json()) == SHAPE
