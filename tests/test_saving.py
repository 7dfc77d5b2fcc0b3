"""Which answer after a click is the save (saving.SaveWatch), on a page that also sends beacons."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from optout_bot.engine.saving import SaveWatch
from optout_bot.errors import TransientError
from optout_bot.model.flowspec import SiteSpec
from optout_bot.model.pagespec import SaveSpec

if TYPE_CHECKING:
    from playwright.sync_api import Page, Route

HOST = "app.example.test"
# A control whose click first sends an undeclared tracking call, then (debounced) the real save.
PAGE = """<!doctype html><label><input type=checkbox id=c checked> Improve the model</label>
<script>
document.getElementById('c').addEventListener('change', () => {
  fetch('/telemetry/event', {method: 'POST', body: 'clicked'});
  setTimeout(() => fetch('/api/settings', {method: 'PATCH', body: 'off'}), SAVE_DELAY);
});
</script>"""


def _site(save: SaveSpec | None = None) -> SiteSpec:
    return SiteSpec(
        name="example",
        title="Example",
        base_url=f"https://{HOST}",
        allowed_hosts=[HOST],
        home_path="/",
        save=save,
    )


def _serve(page: Page, save_delay_ms: int, save_status: int, saves: list[str]) -> None:
    def handle(route: Route) -> None:
        request = route.request
        if request.url.endswith("/"):
            route.fulfill(content_type="text/html", body=PAGE.replace("SAVE_DELAY", str(save_delay_ms)))
        elif request.url.endswith("/api/settings"):
            saves.append(request.method)
            route.fulfill(status=save_status, content_type="application/json", body="{}")
        else:
            route.fulfill(status=204, body="")

    page.route(f"https://{HOST}/**", handle)
    page.goto(f"https://{HOST}/")


def test_an_undeclared_save_is_awaited_past_a_beacon_answered_first(page: Page) -> None:
    saves: list[str] = []
    _serve(page, save_delay_ms=400, save_status=200, saves=saves)
    with SaveWatch(page, _site(), HOST) as watch:
        page.locator("#c").click()
        status = watch.wait(5_000, "Improve the model")
    # Without the quiet period the beacon's 204 was taken at once and the save had not been sent yet.
    assert saves == ["PATCH"]
    assert status == 200


def test_a_failing_undeclared_save_after_a_beacon_is_a_temporary_failure(page: Page) -> None:
    saves: list[str] = []
    _serve(page, save_delay_ms=400, save_status=500, saves=saves)
    with SaveWatch(page, _site(), HOST) as watch:
        page.locator("#c").click()
        with pytest.raises(TransientError):
            watch.wait(5_000, "Improve the model")
    assert saves == ["PATCH"]


def test_a_declared_save_is_taken_as_soon_as_it_is_answered(page: Page) -> None:
    saves: list[str] = []
    _serve(page, save_delay_ms=400, save_status=200, saves=saves)
    with SaveWatch(page, _site(SaveSpec(method="PATCH", path="/api/settings")), HOST) as watch:
        page.locator("#c").click()
        assert watch.wait(5_000, "Improve the model") == 200
    assert saves == ["PATCH"]
