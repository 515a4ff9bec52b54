"""One JSON shape for every error the API answers, in Vietnamese and English, with field paths.

``{"status": 422, "code": "invalid", "message_vi": …, "message_en": …, "problems": [{"field": "query.limit",
"message_vi": …, "message_en": …, "fix_vi": …, "fix_en": …}]}``
"""

from __future__ import annotations

import logging
import math
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from giamngheo.errors import InputError, Problem
from giamngheo.households.services import ConflictError

log = logging.getLogger(__name__)


class ProblemOut(Schema):
    field: str | None = None
    message_vi: str
    message_en: str
    fix_vi: str | None = None
    fix_en: str | None = None


class ErrorOut(Schema):
    status: int
    code: str
    message_vi: str
    message_en: str
    problems: list[ProblemOut] = []


# Every operation documents these; an operation that can also conflict adds 409.
ERROR_CODES = frozenset({401, 403, 404, 422, 429})

MESSAGES = {
    "unauthorized": (
        401,
        "Cần đăng nhập hoặc mã truy cập hợp lệ (Authorization: Bearer …)",
        "Log in or send a valid token (Authorization: Bearer …)",
    ),
    "forbidden": (403, "Bạn không có quyền làm việc này", "You may not do this"),
    "csrf": (
        403,
        "Thiếu hoặc sai mã CSRF (gửi tiêu đề X-CSRFToken khi dùng phiên đăng nhập)",
        "CSRF check failed (send the X-CSRFToken header when using the session)",
    ),
    "not_found": (404, "Không tìm thấy trong phạm vi của bạn", "Not found in your area"),
    "conflict": (
        409,
        "Dữ liệu đã bị người khác thay đổi; không lưu gì",
        "Someone changed it first; nothing saved",
    ),
    "invalid": (422, "Dữ liệu gửi lên không hợp lệ", "The request is not valid"),
    "rate_limited": (429, "Quá nhiều yêu cầu; hãy thử lại sau", "Too many requests; try again later"),
}


class ApiProblem(Exception):
    """An error answered in the shape above: ``code`` is a key of ``MESSAGES``."""

    def __init__(self, code: str, problems: list[ProblemOut] | None = None, headers: dict | None = None):
        super().__init__(code)
        self.code = code
        self.problems = problems or []
        self.headers = headers or {}


class NotFound(ApiProblem):
    def __init__(self) -> None:
        super().__init__("not_found")


class Forbidden(ApiProblem):
    def __init__(self) -> None:
        super().__init__("forbidden")


def invalid(field: str, message_vi: str, message_en: str) -> ApiProblem:
    return ApiProblem("invalid", [ProblemOut(field=field, message_vi=message_vi, message_en=message_en)])


def error_body(code: str, problems: list[ProblemOut] | None = None) -> dict[str, Any]:
    status, vi, en = MESSAGES[code]
    return {
        "status": status,
        "code": code,
        "message_vi": vi,
        "message_en": en,
        "problems": [p.dict() for p in problems or []],
    }


def problem_body(exc: ApiProblem | InputError) -> dict[str, Any]:
    """The error body an operation answers for ``exc``."""
    if isinstance(exc, ApiProblem):
        return error_body(exc.code, exc.problems)
    code = "conflict" if isinstance(exc, ConflictError) else "invalid"
    return error_body(code, [_problem_out(p) for p in exc.problems])


def _respond(api: NinjaAPI, request: HttpRequest, code: str, problems=None, headers=None) -> HttpResponse:  # type: ignore[no-untyped-def]
    body = error_body(code, problems)
    response = api.create_response(request, body, status=body["status"])
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _problem_out(problem: Problem) -> ProblemOut:
    field = problem.column
    if problem.row is not None:
        field = f"rows[{problem.row}].{field}" if field else f"rows[{problem.row}]"
    return ProblemOut(
        field=field,
        message_vi=problem.message_vi,
        message_en=problem.message_en,
        fix_vi=problem.fix_vi,
        fix_en=problem.fix_en,
    )


VALIDATION_VI = {
    "missing": "Thiếu giá trị bắt buộc",
    "int_parsing": "Phải là một số nguyên",
    "int_type": "Phải là một số nguyên",
    "bool_parsing": "Phải là true hoặc false",
    "date_from_datetime_parsing": "Phải là một ngày dạng YYYY-MM-DD",
    "date_parsing": "Phải là một ngày dạng YYYY-MM-DD",
    "string_too_long": "Chuỗi quá dài",
    "string_too_short": "Chuỗi quá ngắn",
    "greater_than_equal": "Giá trị quá nhỏ",
    "less_than_equal": "Giá trị quá lớn",
    "literal_error": "Giá trị không nằm trong danh sách cho phép",
    "enum": "Giá trị không nằm trong danh sách cho phép",
}


def _field_path(loc: Any) -> str:
    parts = [str(p) for p in loc]
    # ninja puts the request part first ("query", "body", "path"); the parameter's own name follows.
    if len(parts) >= 3 and parts[0] == "body" and parts[1] in ("payload", "data"):
        parts = ["body", *parts[2:]]
    return ".".join(parts)


def _validation_problems(errors: list[dict[str, Any]]) -> list[ProblemOut]:
    return [
        ProblemOut(
            field=_field_path(e.get("loc", ())),
            message_vi=VALIDATION_VI.get(e.get("type", ""), "Giá trị không hợp lệ")
            + f" ({e.get('msg', '')})",
            message_en=str(e.get("msg", "Invalid value")),
        )
        for e in errors
    ]


def install(api: NinjaAPI) -> None:
    """Replace ninja's default error answers with the shape above."""

    def on_api_problem(request: HttpRequest, exc: ApiProblem) -> HttpResponse:
        return _respond(api, request, exc.code, exc.problems, exc.headers)

    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return _respond(api, request, "invalid", _validation_problems(exc.errors))

    def on_input_error(request: HttpRequest, exc: InputError) -> HttpResponse:
        code = "conflict" if isinstance(exc, ConflictError) else "invalid"
        return _respond(api, request, code, [_problem_out(p) for p in exc.problems])

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc, AuthenticationError) or exc.status_code == 401:
            return _respond(api, request, "unauthorized")
        if "CSRF" in str(exc):
            return _respond(api, request, "csrf")
        if isinstance(exc, AuthorizationError) or exc.status_code == 403:
            return _respond(api, request, "forbidden")
        if exc.status_code == 404:
            return _respond(api, request, "not_found")
        if exc.status_code == 429:
            wait = getattr(exc, "wait", None) or 1
            return _respond(api, request, "rate_limited", headers={"Retry-After": str(math.ceil(wait))})
        return _respond(api, request, "invalid", [ProblemOut(message_vi=str(exc), message_en=str(exc))])

    def on_404(request: HttpRequest, exc: Exception) -> HttpResponse:
        return _respond(api, request, "not_found")

    def on_forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
        return _respond(api, request, "forbidden")

    def on_exception(request: HttpRequest, exc: Exception) -> HttpResponse:
        if isinstance(exc, ValueError) and "NUL" in str(exc):
            # PostgreSQL refuses text holding a NUL character; no field of ours can hold one.
            return _respond(
                api,
                request,
                "invalid",
                [ProblemOut(message_vi="Văn bản chứa ký tự NUL", message_en="Text contains a NUL character")],
            )
        if settings.DEBUG:
            log.exception("API error")
        raise exc

    # ninja types a handler's second argument as the exception or its class (Exc[_E]); it always passes the
    # instance (see its own default handlers), so the handlers take the instance and ninja's hint is ignored.
    api.add_exception_handler(Exception, on_exception)  # type: ignore[arg-type]
    api.add_exception_handler(ApiProblem, on_api_problem)  # type: ignore[arg-type]
    api.add_exception_handler(ValidationError, on_validation)  # type: ignore[arg-type]
    api.add_exception_handler(InputError, on_input_error)  # type: ignore[arg-type]
    api.add_exception_handler(HttpError, on_http_error)  # type: ignore[arg-type]
    api.add_exception_handler(Http404, on_404)  # type: ignore[arg-type]
    api.add_exception_handler(PermissionDenied, on_forbidden)  # type: ignore[arg-type]
