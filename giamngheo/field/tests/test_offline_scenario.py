"""Issue 13's scenario on a phone-sized Chromium with a profile on disk (closing it is closing the browser):
the Mai Hà village head downloads the assignment, works offline, keeps drafts across a restart, syncs once
even when an upload is cut off, and gets a conflict for a household changed on the server meanwhile."""

from __future__ import annotations

import pytest

from giamngheo.api.models import SurveyUpload
from giamngheo.households.models import Household
from giamngheo.households.services import household_update
from giamngheo.reviews.models import ListReason, ReviewResult, RoundHousehold, Survey
from giamngheo.reviews.services import round_household_add, round_households_seed
from giamngheo.testing.browser import CHROMIUM, CHROMIUM_ARGS

pytestmark = [pytest.mark.browser, pytest.mark.offline, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(transactional_db, browser, live_server, tmp_path):
    """``phone.open()`` starts the phone's browser on the same profile each time; closed after the test."""
    outside: list[str] = []

    class Phone:
        context = None

        def open(self):  # type: ignore[no-untyped-def]
            self.context = browser.browser_type.launch_persistent_context(
                str(tmp_path / "profile"),
                executable_path=CHROMIUM,
                args=CHROMIUM_ARGS,
                headless=True,
                locale="vi-VN",
                viewport={"width": 390, "height": 844},
            )
            self.context.on(
                "request",
                lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None,
            )
            return self.context.pages[0] if self.context.pages else self.context.new_page()

        def close(self) -> None:
            if self.context is not None:
                # Let the service worker finish caching the shell: no request may still be running on the
                # live server when the test's database is emptied.
                for tab in self.context.pages:
                    if tab.url.startswith(live_server.url):
                        tab.evaluate("navigator.serviceWorker.ready.then(() => true)")
                        tab.goto("about:blank")
                self.context.close()
                self.context = None

    device = Phone()
    yield device
    device.close()
    from django.db import connections

    connections.close_all()
    assert not outside, f"requests to outside hosts: {outside}"


def download_as_village_head(phone, url: str, password: str, *, households: int):  # type: ignore[no-untyped-def]
    tab = phone.open()
    tab.goto(f"{url}/dang-nhap/?next=/field/")
    tab.fill("#id_username", "truongthon.maiha")
    tab.fill("#id_password", password)
    tab.click("button.primary")
    tab.wait_for_url(f"{url}/field/")
    tab.click("#download")
    tab.locator(f"body[data-downloaded='{households}']").wait_for()
    tab.evaluate("navigator.serviceWorker.ready.then(() => true)")  # the app is installed: opens offline
    return tab


def entry_of(review_round, code: str) -> RoundHousehold:  # type: ignore[no-untyped-def]
    return RoundHousehold.objects.select_related("household").get(
        review_round=review_round, household__code=code
    )


def fill_phieu_b(tab, url: str, entry: RoundHousehold, income: str) -> dict:  # type: ignore[no-untyped-def]
    tab.goto(f"{url}/field/phieu-b/?e={entry.pk}")
    tab.locator("body[data-ready='1']").wait_for()
    tab.fill("#id_income_per_capita", income)
    tab.fill("#id_respondent", "Chủ hộ")
    live = tab.locator("#live")
    status, b2 = live.get_attribute("data-status"), live.get_attribute("data-b2")
    tab.click("#form-b button[type=submit]")
    tab.locator("body[data-saved='1']").wait_for()
    return {"status": status, "b2": int(b2 or 0)}


def outbox_states(tab, url: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    tab.goto(f"{url}/field/hop-thu-di/")
    tab.locator("body[data-ready='1']").wait_for()
    items = tab.locator("#outbox li")
    return {
        items.nth(i).get_attribute("data-code"): items.nth(i).get_attribute("data-state")
        for i in range(items.count())
    }


def states_shown(tab) -> dict[str, str]:  # type: ignore[no-untyped-def]
    items = tab.locator("#outbox li")
    return {
        items.nth(i).get_attribute("data-code"): items.nth(i).get_attribute("data-state")
        for i in range(items.count())
    }


def test_the_village_head_works_offline_and_syncs_without_loss(
    round_2023, review_register, password, settings, live_server, phone
):
    # The test database (SQLite in memory) takes one writer at a time; the parallel uploads are benchmarked.
    settings.FIELD_PARALLEL_UPLOADS = 1
    url = live_server.url
    round_households_seed(review_round=round_2023)
    round_household_add(review_round=round_2023, household=review_register["RV-03"], reason=ListReason.ADDED)
    rv1, rv2, rv3 = (entry_of(round_2023, code) for code in ("RV-01", "RV-02", "RV-03"))

    # 1. Log in as the Mai Hà village head and download the assignment (Mai Hà only: not RV-11 of Hà Tràng).
    tab = download_as_village_head(phone, url, password, households=3)
    assert "3 / 3" in tab.inner_text("#download-status") or "3 hộ" in tab.inner_text("#download-status")
    codes = tab.locator("li.field-household").evaluate_all("(items) => items.map((i) => i.dataset.code)")
    assert sorted(codes) == ["RV-01", "RV-02", "RV-03"]
    assert "RV-11" not in tab.inner_text("#households")

    # 2. Offline, the app opens from the phone.
    phone.context.set_offline(True)
    tab.reload()
    tab.locator("li.field-household").first.wait_for()
    assert tab.locator("li.field-household").count() == 3
    assert tab.evaluate("navigator.onLine") is False

    # 3. Phiếu B for two households, offline, with the live verdict.
    live1 = fill_phieu_b(tab, url, rv1, "1.200.000")
    live2 = fill_phieu_b(tab, url, rv2, "2000000")
    assert live1["status"] == "poor" and live2["status"] == "average"

    # 4. Close the browser and start it again: the drafts are still on the phone.
    phone.close()
    tab = phone.open()
    phone.context.set_offline(True)
    assert outbox_states(tab, url) == {"RV-01": "queued", "RV-02": "queued"}

    # 5. Back online, the phone syncs by itself; every upload is cut off after the server got it (the answer
    # never arrives), as on a link that drops.
    cut: list[str] = []

    def cut_off(route):  # type: ignore[no-untyped-def]
        route.fetch()  # reaches the server…
        body = route.request.post_data_json  # one survey, or a batch of them (POST /api/surveys/batch)
        cut.extend(s["idempotency_key"] for s in body.get("surveys", [body]))
        route.abort("connectionreset")  # …but the phone hears nothing

    tab.route("**/api/surveys", cut_off)
    tab.route("**/api/surveys/batch", cut_off)
    phone.context.set_offline(False)
    tab.evaluate("GNField.sync()")
    tab.unroute("**/api/surveys")
    tab.unroute("**/api/surveys/batch")
    # The server recorded the first upload; the phone, not knowing, keeps both surveys to send.
    assert cut and states_shown(tab) == {"RV-01": "queued", "RV-02": "queued"}
    assert SurveyUpload.objects.filter(key=cut[0]).count() == 1

    # 6. The retried sync records nothing twice.
    tab.click("#sync")
    tab.locator("#outbox li[data-state='accepted']").nth(1).wait_for()
    assert states_shown(tab) == {"RV-01": "accepted", "RV-02": "accepted"}
    assert SurveyUpload.objects.count() == 2
    assert Survey.objects.filter(entry__in=[rv1, rv2]).count() == 2
    for entry, live in ((rv1, live1), (rv2, live2)):
        result = ReviewResult.objects.get(review_round=round_2023, household=entry.household)
        assert (result.status, result.b2_score) == (live["status"], live["b2"]), "live ≠ server"
        assert result.history.count() == 1
    replayed = tab.evaluate(f"GNStore.get('outbox', '{cut[0]}').then((r) => r.result.replayed)")
    assert replayed is True

    # 7. A household changed on the server meanwhile is a conflict: nothing is overwritten.
    phone.context.set_offline(True)
    fill_phieu_b(tab, url, rv3, "900000")
    household = Household.objects.get(pk=rv3.household_id)
    household_update(actor=None, household=household, expected_version=household.version, phone="0912345678")
    phone.context.set_offline(False)
    tab.goto(f"{url}/field/hop-thu-di/")  # opening the outbox online sends what waits
    item = tab.locator("#outbox li[data-code='RV-03'][data-state='conflict']")
    item.wait_for()
    assert item.get_attribute("data-state") == "conflict"
    assert "RV-03" in item.inner_text() and "phiên bản" in item.inner_text()
    assert not Survey.objects.filter(entry=rv3).exists()
    assert not ReviewResult.objects.filter(review_round=round_2023, household=rv3.household).exists()

    # Logging out clears the phone.
    tab.goto(f"{url}/")
    tab.click("form.logout button")
    tab.wait_for_url("**/dang-nhap/**")
    tab.goto(f"{url}/field/")
    tab.locator("body[data-ready='1']").wait_for()
    left = tab.evaluate("Promise.all([GNStore.count('households'), GNStore.count('outbox')])")
    assert left == [0, 0]


def test_a_survey_sent_right_after_typing_is_queued_not_left_a_draft(
    round_2023, review_register, password, live_server, phone
):
    # Each keystroke saves a draft and the submit saves the survey "queued". On a slow phone the draft of the
    # last keystroke finished after the submit's save and left the survey a draft (or a second record): the
    # first read of the outbox is made slow here, so the saves would land out of order if they could.
    url = live_server.url
    round_households_seed(review_round=round_2023)
    rv1 = entry_of(round_2023, "RV-01")
    tab = download_as_village_head(phone, url, password, households=2)
    tab.goto(f"{url}/field/phieu-b/?e={rv1.pk}")
    tab.locator("body[data-ready='1']").wait_for()
    phone.context.set_offline(True)  # nothing is sent: the outbox keeps what was saved
    tab.evaluate(
        """() => {
          const read = GNStore.byEntry;
          let first = true;
          GNStore.byEntry = async (...args) => {
            if (first) { first = false; await new Promise((resolve) => setTimeout(resolve, 500)); }
            return read(...args);
          };
        }"""
    )
    tab.fill("#id_income_per_capita", "1200000")
    tab.fill("#id_respondent", "Chủ hộ")
    tab.click("#form-b button[type=submit]")
    tab.locator("body[data-saved='1']").wait_for()
    tab.wait_for_timeout(800)  # the slow draft save has finished by now
    records = tab.evaluate("GNStore.all('outbox').then((rs) => rs.map((r) => [r.household_code, r.state]))")
    assert records == [["RV-01", "queued"]]
