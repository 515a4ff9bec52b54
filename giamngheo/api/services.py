"""Writes of the API: a survey upload under its idempotency key, and a partner's status lookup (recorded)."""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from giamngheo.accounts.models import User
from giamngheo.api.models import ApiToken, PartnerLookup, SurveyUpload
from giamngheo.errors import InputError
from giamngheo.households.models import Household, Member
from giamngheo.households.services import ConflictError, mask_citizen_id
from giamngheo.reviews.models import ReviewResult, RoundHousehold, RoundState, effective_date
from giamngheo.reviews.services import SurveyInput, screening_record, survey_record
from giamngheo.units.selectors import scope_q


def body_hash(body: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


@dataclass(frozen=True)
class Upload:
    status_code: int
    response: dict[str, Any]
    replayed: bool


@dataclass(frozen=True)
class SurveyData:
    form: str  # "A" or "B"
    household_version: int
    surveyed_on: datetime.date
    answers: Mapping[str, bool]
    interviewer: str = ""
    respondent: str = ""
    note: str = ""
    b1_score: int | None = None
    income_per_capita: int | None = None
    update_register: bool = False


def _idempotency_mismatch(key: str) -> InputError:
    return InputError.single(
        f"Khoá chống gửi trùng “{key}” đã được dùng cho một phiếu khác",
        f"The idempotency key “{key}” was already used for a different survey",
        column="idempotency_key",
        fix_vi="Mỗi phiếu mới dùng một khoá mới; gửi lại đúng phiếu cũ thì giữ khoá cũ",
        fix_en="Use a new key for each new survey; resend the same survey with its old key",
    )


def survey_uploads_found(*, actor: User, keys: Iterable[str]) -> dict[str, SurveyUpload]:
    """The actor's uploads already recorded under these idempotency keys, by key (one query for a batch)."""
    return {found.key: found for found in SurveyUpload.objects.filter(user=actor, key__in=set(keys))}


def _replay(
    actor: User, key: str, digest: str, uploads: Mapping[str, SurveyUpload] | None = None
) -> Upload | None:
    if uploads is None:
        uploads = survey_uploads_found(actor=actor, keys=[key])
    found = uploads.get(key)
    if found is None:
        return None
    if found.body_hash != digest:
        raise _idempotency_mismatch(key)
    return Upload(found.status_code, found.response, replayed=True)


def survey_upload(
    *,
    actor: User,
    key: str,
    digest: str,
    entry: RoundHousehold,
    data: SurveyData,
    answer: Callable[[RoundHousehold, ReviewResult | None], dict[str, Any]],
    uploads: dict[str, SurveyUpload] | None = None,
) -> Upload:
    """Record Phiếu A or B of ``entry`` once per idempotency ``key``: a retry of the same upload gets the
    first answer and writes nothing; another upload under the same key is refused. The household must still
    be at ``data.household_version`` (another change in between is a conflict: nothing is written). The
    writes are the reviews services the Phiếu A/B pages use. ``uploads``: the uploads already recorded under
    the keys of a whole batch, read at once by the caller (``survey_uploads_found``); else the key is looked
    up here; the upload recorded now joins them, so the same key twice in one batch answers as a retry."""
    replay = _replay(actor, key, digest, uploads)
    if replay is not None:
        return replay
    try:
        with transaction.atomic():
            household = Household.objects.select_for_update().get(pk=entry.household_id)
            if household.version != data.household_version:
                raise ConflictError.single(
                    f"Hộ {household.code} đã được sửa (phiên bản {household.version}) sau khi bạn bắt đầu "
                    f"khảo sát (phiên bản {data.household_version}); không lưu gì",
                    f"Household {household.code} was changed (version {household.version}) after you started "
                    f"the survey (version {data.household_version}); nothing was saved",
                    column="household_version",
                    fix_vi="Tải lại hộ, xem thay đổi rồi khảo sát lại",
                    fix_en="Download the household again, check the changes, then survey again",
                )
            result = None
            if data.form == "A":
                screening_record(
                    entry=entry,
                    answers=data.answers,
                    screened_on=data.surveyed_on,
                    interviewer=data.interviewer,
                    actor=actor,
                )
            else:
                result = survey_record(
                    entry=entry,
                    data=SurveyInput(
                        b1_score=data.b1_score, income_per_capita=data.income_per_capita, answers=data.answers
                    ),
                    surveyed_on=data.surveyed_on,
                    interviewer=data.interviewer,
                    respondent=data.respondent,
                    note=data.note,
                    update_register=data.update_register,
                    household_version=data.household_version,
                    actor=actor,
                )
            entry = RoundHousehold.objects.select_related("household").get(pk=entry.pk)
            response = answer(entry, result)
            recorded = SurveyUpload.objects.create(
                user=actor, key=key, body_hash=digest, status_code=201, response=response
            )
    except IntegrityError:
        # The same key arrived twice at once: the other request won; answer as it did.
        replay = _replay(actor, key, digest)
        if replay is None:
            raise
        return replay
    if uploads is not None:
        uploads[key] = recorded
    return Upload(201, response, replayed=False)


# --- partner lookup ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusInForce:
    status: str | None  # None: the person's household is on no decided list yet
    standard_id: str | None
    valid_from: datetime.date | None
    valid_to: datetime.date | None  # None: until the next decided review


def status_in_force(household: Household, on: datetime.date) -> StatusInForce:
    """The household's status on the decided list in force on ``on`` (a list takes effect on its decision's
    date, ``ReviewRound.effective_date``), and until when: the eve of a later decided list's effect."""
    rows = list(
        ReviewResult.objects.filter(household=household, review_round__state=RoundState.DECIDED)
        .annotate(effective=effective_date("review_round__"))
        .values_list("effective", "status", "review_round__standard_id")
        .order_by("effective", "id")
    )
    current = None
    valid_to = None
    for effective, status, standard_id in rows:
        if effective <= on:
            current = (effective, status, standard_id)
        elif current is not None and valid_to is None:
            valid_to = effective - datetime.timedelta(days=1)
    if current is None:
        return StatusInForce(None, None, None, None)
    return StatusInForce(current[1], current[2], current[0], valid_to)


@transaction.atomic
def partner_lookup(
    *, actor: User, citizen_id: str, purpose: str, token: ApiToken | None = None
) -> StatusInForce | None:
    """The status in force today of the person with ``citizen_id`` within the partner's scope (None: no such
    person there). Every lookup is recorded — who, when, why — found or not."""
    member = (
        Member.objects.filter(scope_q(actor, field="unit_path"), citizen_id=citizen_id)
        .select_related("household")
        .first()
    )
    found = status_in_force(member.household, timezone.localdate()) if member is not None else None
    PartnerLookup.objects.create(
        user=actor,
        token=token,
        purpose=purpose.strip(),
        citizen_id_masked=mask_citizen_id(citizen_id),
        unit_path=member.unit_path if member is not None else "",
        found=member is not None,
        status=(found.status or "") if found is not None else "",
    )
    return found
