"""Survey uploads (Phiếu A/B) for the offline app: an idempotency key per upload and the register version
the surveyor started from."""

from __future__ import annotations

import datetime
import re
from typing import Any, Literal

from django.http import HttpRequest
from django.views.decorators.gzip import gzip_page
from ninja import Field, Router, Schema, Status
from ninja.decorators import decorate_view
from pydantic import ConfigDict, StrictBool, StrictInt, field_validator

from giamngheo.api.common import Id, acting, answers
from giamngheo.api.errors import ApiProblem, ErrorOut, Forbidden, NotFound, problem_body
from giamngheo.api.models import SurveyUpload
from giamngheo.api.services import SurveyData, body_hash, survey_upload, survey_uploads_found
from giamngheo.errors import InputError
from giamngheo.reviews.models import ReviewResult, RoundHousehold
from giamngheo.reviews.selectors import rounds_visible_to
from giamngheo.units.selectors import scope_q

router = Router(tags=["surveys"])


class SurveyIn(Schema):
    # strict, as the schema says: a yes/no is true or false, a number a number, a date a "YYYY-MM-DD" string
    # (0, "1" or a timestamp answer 422; schemathesis sends them to the batch)
    model_config = ConfigDict(strict=True)

    idempotency_key: str = Field(
        ..., min_length=8, max_length=100, description="made by the client once per survey (e.g. a UUID)"
    )
    entry_id: Id = Field(..., description="the household's entry in the round (GET …/entries)")
    household_version: int = Field(
        ..., ge=1, le=2**31 - 1, strict=True, description="the register version the survey started from"
    )
    form: Literal["A", "B"]
    surveyed_on: datetime.date
    answers: dict[str, StrictBool] = Field(
        ..., description="Phiếu A: every question code → yes/no; Phiếu B: B2 indicator code → deprived"
    )
    interviewer: str = Field("", max_length=200)
    respondent: str = Field("", max_length=200)
    note: str = Field("", max_length=300)
    b1_score: StrictInt | None = Field(None, ge=0, le=1000)
    income_per_capita: StrictInt | None = Field(None, ge=0, le=1_000_000_000)
    update_register: StrictBool = False

    @field_validator("surveyed_on", mode="before")
    @classmethod
    def _iso_date(cls, value: Any) -> datetime.date:
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError("a date YYYY-MM-DD")  # noqa: TRY004 (answered as 422 like every invalid field)
        return datetime.date.fromisoformat(value)


class SurveyOut(Schema):
    entry_id: int
    household_id: int
    form: str
    step: int
    household_version: int
    status: str | None
    b2_score: int | None
    explanation_vi: str
    explanation_en: str
    replayed: bool = False


def _answer(form: str) -> Any:
    def answer(entry: RoundHousehold, result: ReviewResult | None) -> dict[str, Any]:
        return {
            "entry_id": entry.pk,
            "household_id": entry.household_id,
            "form": form,
            "step": entry.step,
            "household_version": entry.household.version,
            "status": result.status if result else None,
            "b2_score": result.b2_score if result else None,
            "explanation_vi": result.explanation_vi if result else "",
            "explanation_en": result.explanation_en if result else "",
        }

    return answer


def _entries(user: Any, ids: list[int]) -> dict[int, RoundHousehold]:
    """The entries among ``ids`` the user may see (in scope, of a round visible to them), in one query."""
    found = RoundHousehold.objects.filter(
        scope_q(user, field="unit_path"), pk__in=ids, review_round__in=rounds_visible_to(user)
    ).select_related("review_round", "household", "household__village", "household__village__level")
    return {entry.pk: entry for entry in found}


def _upload(
    user: Any,
    payload: SurveyIn,
    entries: dict[int, RoundHousehold],
    uploads: dict[str, SurveyUpload],
    allowed: dict[int, bool],
) -> tuple[int, dict[str, Any]]:
    """One survey as ``POST /api/surveys`` records it: (201, answer), or (200, first answer) for a retry.
    ``entries``, ``uploads`` (the keys already recorded) and ``allowed`` (per village) are read once for a
    whole batch by the caller."""
    entry = entries.get(payload.entry_id)
    if entry is None:
        raise NotFound()
    village = entry.household.village
    if village.pk not in allowed:
        allowed[village.pk] = user.has_perm("reviews.record_village", village)
    if not allowed[village.pk]:
        raise Forbidden()
    body = payload.dict()
    data = SurveyData(
        form=payload.form,
        household_version=payload.household_version,
        surveyed_on=payload.surveyed_on,
        answers=payload.answers,
        interviewer=payload.interviewer,
        respondent=payload.respondent,
        note=payload.note,
        b1_score=payload.b1_score,
        income_per_capita=payload.income_per_capita,
        update_register=payload.update_register,
    )
    upload = survey_upload(
        actor=user,
        key=payload.idempotency_key,
        digest=body_hash(body),
        entry=entry,
        data=data,
        answer=_answer(payload.form),
        uploads=uploads,
    )
    if upload.replayed:
        return 200, {**upload.response, "replayed": True}
    return 201, upload.response


def _uploads(user: Any, surveys: list[SurveyIn]) -> list[tuple[SurveyIn, int, dict[str, Any]]]:
    """Each survey recorded on its own, in order: (survey, HTTP status, answer or error body). The batch's
    entries, keys already recorded and permissions are read once, not once per survey."""
    entries = _entries(user, [survey.entry_id for survey in surveys])
    uploads = survey_uploads_found(actor=user, keys=[survey.idempotency_key for survey in surveys])
    allowed: dict[int, bool] = {}
    answered = []
    for survey in surveys:
        try:
            status, answer = _upload(user, survey, entries, uploads, allowed)
        except (ApiProblem, InputError) as exc:
            error = problem_body(exc)
            answered.append((survey, int(error["status"]), error))
            continue
        answered.append((survey, status, answer))
    return answered


@router.post(
    "/surveys",
    response=answers(SurveyOut, status=201, more=(409,)) | {200: SurveyOut},
    summary="Upload Phiếu A or B (201; a retry with the same key answers 200 with the first answer)",
)
def survey_create(request: HttpRequest, payload: SurveyIn) -> Any:
    user = acting(request)
    entries = _entries(user, [payload.entry_id])
    uploads = survey_uploads_found(actor=user, keys=[payload.idempotency_key])
    status, answer = _upload(user, payload, entries, uploads, {})
    return Status(status, answer)


BATCH_MAX = 25


class SurveyBatchIn(Schema):
    surveys: list[SurveyIn] = Field(..., min_length=1, max_length=BATCH_MAX)


class SurveyBatchItemOut(Schema):
    idempotency_key: str
    outcome: Literal["accepted", "replayed", "conflict", "refused"]
    status: int = Field(..., description="what POST /api/surveys answers for this survey alone")
    survey: SurveyOut | None = None
    error: ErrorOut | None = None


class SurveyBatchOut(Schema):
    results: list[SurveyBatchItemOut]


@router.post(
    "/surveys/batch",
    response=answers(SurveyBatchOut),
    summary=f"Upload up to {BATCH_MAX} surveys at once, each as POST /api/surveys would, each on its own",
    description=(
        "Each survey is recorded in its own transaction, in order, with its own idempotency key and register "
        "version: a conflict or a refusal answers for that survey only and never keeps the others from being "
        "saved. `outcome`: accepted (201), replayed (200, a retry of an upload already recorded), conflict "
        "(409: the household changed since the survey started), refused (403/404/422, with the reason). A "
        "batch cut off halfway is sent again as it was: the surveys already recorded answer `replayed`."
    ),
)
@decorate_view(gzip_page)  # the answers' explanations shrink ~5 times: it matters on a 2G link
def survey_batch(request: HttpRequest, payload: SurveyBatchIn) -> Any:
    results = []
    for survey, status, answer in _uploads(acting(request), payload.surveys):
        if status in (200, 201):
            outcome = "replayed" if status == 200 else "accepted"
            item = {"outcome": outcome, "survey": answer}
        else:
            item = {"outcome": "conflict" if status == 409 else "refused", "error": answer}
        results.append({"idempotency_key": survey.idempotency_key, "status": status, **item})
    return {"results": results}
