"""Alerts and health-check pings against a local HTTP receiver; problems never leak URL secrets."""

from __future__ import annotations

import json
import logging
import queue
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from pydantic import SecretStr

from optout_bot.app.notify import Alert, alert_for, ping, send
from optout_bot.errors import ErrorKind
from optout_bot.model.outcomes import ExitStatus, FlowOutcome, Result
from optout_bot.store.config import NotifyConfig

SECRET = "s3cr3t"


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """A local HTTP endpoint that records every request; ``status`` maps a path to a reply code."""

    port: int
    requests: queue.Queue[Received] = field(default_factory=queue.Queue)
    status: dict[str, int] = field(default_factory=dict)

    def next(self) -> Received:
        return self.requests.get(timeout=5)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    box: list[Receiver] = []

    class Handler(BaseHTTPRequestHandler):
        def _record(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            rec = box[0]
            rec.requests.put(Received(self.command, self.path, dict(self.headers.items()), body))
            self.send_response(rec.status.get(self.path, 200))
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"OK")

        do_GET = do_POST = _record  # noqa: N815 - http.server's naming

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    box.append(Receiver(port=server.server_address[1]))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield box[0]
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _config(*urls: str, hc: str | None = None, on: list[str] | None = None) -> NotifyConfig:
    data: dict[str, object] = {"urls": list(urls), "healthcheck_url": hc}
    if on is not None:
        data["on"] = on
    return NotifyConfig.model_validate(data)


DRIFT = Alert("drift", "LinkedIn · X is ON again (account a)", "body text ✓")


# --- send ----------------------------------------------------------------------------------------


def test_send_posts_title_and_body_as_json(receiver: Receiver) -> None:
    config = _config(f"json://127.0.0.1:{receiver.port}/hooks/{SECRET}")
    assert send(DRIFT, config) == []
    got = receiver.next()
    assert (got.method, got.path) == ("POST", f"/hooks/{SECRET}")
    payload = json.loads(got.body)
    assert payload["title"] == DRIFT.title
    assert payload["message"] == DRIFT.body
    assert payload["type"] == "warning"


def test_send_skips_kinds_not_asked_for(receiver: Receiver) -> None:
    config = _config(f"json://127.0.0.1:{receiver.port}/a", on=["drift"])
    assert send(Alert("fixed", "fixed title", "b"), config) == []
    assert send(DRIFT, config) == []
    # The first (and only) request is the drift alert: the fixed one was never sent.
    assert json.loads(receiver.next().body)["title"] == DRIFT.title
    assert receiver.requests.empty()


def test_test_alert_is_sent_even_when_no_kind_is_enabled(receiver: Receiver) -> None:
    config = _config(f"json://127.0.0.1:{receiver.port}/t", on=[])
    assert send(Alert("test", "optout-bot test", "hello"), config) == []
    assert json.loads(receiver.next().body)["type"] == "info"


def test_no_urls_is_only_a_problem_for_a_test_alert() -> None:
    assert send(DRIFT, _config()) == []
    assert send(Alert("test", "t", "b"), _config()) == ["no notification URLs are configured (notify.urls)"]


def test_unreachable_destination_is_a_problem_line_without_secrets(
    capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    url = f"json://user:{SECRET}pw@127.0.0.1:{_closed_port()}/{SECRET}/path"
    with caplog.at_level(logging.DEBUG):
        problems = send(DRIFT, _config(url))
    assert problems == ["notification #1 (json): the destination did not accept the alert"]
    # apprise's own log lines (some plugins name their host, i.e. a token) reach no handler of ours.
    assert [r for r in caplog.records if r.name.startswith("apprise")] == []
    assert capfd.readouterr().err == ""
    assert logging.getLogger("apprise").propagate is True  # restored afterwards


def test_rejected_and_invalid_urls_are_reported_by_position(receiver: Receiver) -> None:
    receiver.status["/down"] = 500
    config = _config(
        f"nonsense-{SECRET}",
        f"json://127.0.0.1:{receiver.port}/down",
        f"json://127.0.0.1:{receiver.port}/up",
    )
    problems = send(DRIFT, config)
    assert problems == [
        "notification #1 (?): not a URL apprise understands",
        "notification #2 (json): the destination did not accept the alert",
    ]
    paths = {receiver.next().path, receiver.next().path}
    assert paths == {"/down", "/up"}
    assert not any(SECRET in line for line in problems)


def test_apprise_is_not_imported_at_cli_start_up() -> None:
    code = "import sys, optout_bot.app.notify, optout_bot.store.config; print('apprise' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- ping ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("event", "suffix"), [("start", "/start"), ("success", ""), ("fail", "/fail")])
def test_ping_gets_the_event_url(receiver: Receiver, event: str, suffix: str) -> None:
    config = _config(hc=f"http://127.0.0.1:{receiver.port}/ping/{SECRET}-uuid/")
    assert ping(config, event) is None  # type: ignore[arg-type]
    got = receiver.next()
    assert (got.method, got.path) == ("GET", f"/ping/{SECRET}-uuid{suffix}")
    assert got.headers["User-Agent"].startswith("optout-bot/")


def test_ping_without_url_does_nothing(receiver: Receiver) -> None:
    assert ping(_config(), "start") is None
    assert receiver.requests.empty()


def test_ping_refused_is_a_problem_line_without_secrets() -> None:
    config = _config(hc=f"http://{SECRET}@127.0.0.1:{_closed_port()}/ping/{SECRET}")
    assert ping(config, "start") == "health-check ping (start) failed: connection refused"


def test_ping_http_error_is_reported(receiver: Receiver) -> None:
    receiver.status[f"/p/{SECRET}/fail"] = 404
    problem = ping(_config(hc=f"http://127.0.0.1:{receiver.port}/p/{SECRET}"), "fail")
    assert problem == "health-check ping (fail) failed: HTTP 404"
    assert receiver.next().path == f"/p/{SECRET}/fail"


def test_ping_times_out_quietly() -> None:
    # A listening socket that never answers: the connection opens, the reply never comes.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        port = silent.getsockname()[1]
        problem = ping(_config(hc=f"http://127.0.0.1:{port}/{SECRET}"), "success", timeout=0.3)
    assert problem == "health-check ping (success) failed: timed out"


def test_ping_rejects_other_schemes_without_fetching() -> None:
    config = NotifyConfig.model_construct(healthcheck_url=SecretStr(f"file:///etc/{SECRET}"))
    assert ping(config, "start") == "health-check ping (start): the URL must start with http:// or https://"


# --- alert_for -----------------------------------------------------------------------------------

FLOW = "linkedin.data-for-ai-improvement"
TITLE = "Data for Generative AI Improvement"


def _outcome(result: Result, status: ExitStatus = ExitStatus.OK, **kw: object) -> FlowOutcome:
    return FlowOutcome(flow=FLOW, title=TITLE, result=result, exit_status=status, **kw)  # type: ignore[arg-type]


def test_drift_alert_names_site_setting_and_account() -> None:
    alert = alert_for(_outcome(Result.DRIFT, ExitStatus.DRIFT, before=True), "work", "LinkedIn")
    assert alert is not None
    assert alert.kind == "drift"
    assert alert.title == "LinkedIn · Data for Generative AI Improvement is ON again (account work)"
    assert "optout-bot disable --account work" in alert.body


def test_fixed_alert_says_it_was_verified() -> None:
    alert = alert_for(_outcome(Result.CHANGED, before=True, after=False, verified=True), "a", "LinkedIn")
    assert alert is not None
    assert alert.kind == "fixed"
    assert "is now OFF (account a)" in alert.title
    assert "read OFF after a reload" in alert.body


FORM = "whatsapp.whatsapp-ai-objection"


@pytest.mark.parametrize(
    ("result", "status", "kind", "words"),
    [
        (Result.NOT_SENT, ExitStatus.DRIFT, "drift", "has not been sent (account a)"),
        (Result.SENT, ExitStatus.OK, "fixed", "was sent (account a)"),
        (Result.UNCONFIRMED, ExitStatus.NEEDS_HUMAN, "needs-human", "sent, but not confirmed (account a)"),
    ],
)
def test_objection_forms_get_their_own_words(
    result: Result, status: ExitStatus, kind: str, words: str
) -> None:
    outcome = FlowOutcome(flow=FORM, title="Objection", result=result, exit_status=status, remedy="do X")
    alert = alert_for(outcome, "a", "LinkedIn")
    assert alert is not None
    assert alert.kind == kind
    assert alert.title.endswith(words)
    assert "is ON" not in alert.title + alert.body
    assert "sign-in" not in alert.title


def test_a_form_not_sent_in_a_status_run_alerts_no_one() -> None:
    outcome = FlowOutcome(flow=FORM, title="Objection", result=Result.NOT_SENT)
    assert alert_for(outcome, "a", "LinkedIn") is None


@pytest.mark.parametrize(
    ("error", "status"),
    [
        ("NeedsHuman", ExitStatus.NEEDS_HUMAN),
        ("LoginRequired", ExitStatus.NEEDS_HUMAN),
        ("LoginFailed", ExitStatus.LOGIN_FAILED),
    ],
)
def test_needs_human_alert_says_how_to_sign_in(error: str, status: ExitStatus) -> None:
    outcome = _outcome(Result.FAILED, status, error=error, message="LinkedIn asked for a PIN")
    alert = alert_for(outcome, "a", "LinkedIn")
    assert alert is not None
    assert alert.kind == "needs-human"
    assert "run `optout-bot login --interactive` with `--account a`;" in alert.body
    assert "LinkedIn asked for a PIN" in alert.body
    default = alert_for(outcome, "default", "LinkedIn")
    assert default is not None
    assert "run `optout-bot login --interactive`;" in default.body


def test_other_failures_carry_message_and_remedy() -> None:
    outcome = _outcome(
        Result.FAILED,
        ExitStatus.SITE_CHANGED,
        error=ErrorKind.SITE_CHANGED,
        message="switch not found",
        remedy="run 'optout-bot capture'",
    )
    alert = alert_for(outcome, "a", "LinkedIn")
    assert alert is not None
    assert alert.kind == "failed"
    assert alert.title == "LinkedIn · could not check Data for Generative AI Improvement (account a)"
    assert "site changed" in alert.body
    assert "switch not found" in alert.body
    assert "What to do: run 'optout-bot capture'" in alert.body


@pytest.mark.parametrize(
    "outcome",
    [
        _outcome(Result.ALREADY_OFF, before=False),
        _outcome(Result.WOULD_CHANGE, before=True),
        _outcome(Result.FAILED, ExitStatus.UNAVAILABLE, error=ErrorKind.SETTING_UNAVAILABLE),
        _outcome(Result.FAILED, ExitStatus.BUSY, error=ErrorKind.RUN_LOCKED),
    ],
)
def test_nothing_to_tell_gives_no_alert(outcome: FlowOutcome) -> None:
    assert alert_for(outcome, "a", "LinkedIn") is None


def test_site_title_can_be_given() -> None:
    alert = alert_for(_outcome(Result.DRIFT, ExitStatus.DRIFT), "a", "Example")
    assert alert is not None
    assert alert.title.startswith("Example · ")


def test_ping_sends_user_info_as_basic_auth(receiver: Receiver) -> None:
    config = _config(hc=f"http://hc:{SECRET}@127.0.0.1:{receiver.port}/ping/u")
    assert ping(config, "success") is None
    got = receiver.next()
    assert got.path == "/ping/u"
    assert got.headers["Authorization"] == "Basic aGM6czNjcjN0"  # base64("hc:s3cr3t")
