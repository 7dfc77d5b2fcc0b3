"""The way to a setting's page: open its address (signing in once), or walk there like a person.

Every load is followed by the same checks: a sign-in or security page is cleared once (signin.py) or
stops the run, a page on another host is never judged, and banners and dialogs in the way are closed by
their refusal (obstacles.py). When the setting is not where the flow says, ``missing`` tells a setting
not offered to this account from a barrier in the way and from a site that changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from optout_bot.engine.barriers import detect_barrier
from optout_bot.engine.meaning import MENTION_THRESHOLD, mentions
from optout_bot.engine.navigate import Landings, goto, path_of, reload, take_step
from optout_bot.engine.retry import navigation_policy
from optout_bot.engine.signin import drop_session
from optout_bot.errors import NeedsHuman, OptoutBotError, RedirectLoop, SettingUnavailable, SiteChanged
from optout_bot.i18n import _
from optout_bot.model.flowspec import FlowSpec, SiteSpec
from optout_bot.model.pagespec import Step

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from optout_bot.engine.identity import Hosts
    from optout_bot.engine.obstacles import Obstacles
    from optout_bot.engine.options import RunOptions
    from optout_bot.engine.recorder import Recorder
    from optout_bot.engine.signin import SignIn
    from optout_bot.engine.tracer import Tracer

# Changes when the page is a new document (not when a script only redraws part of it).
_DOCUMENT = "() => performance.timeOrigin"


class Navigator:
    """Loads the pages of one account's flows on one page of its browser context."""

    def __init__(
        self,
        page: Page,
        site: SiteSpec,
        options: RunOptions,
        *,
        recorder: Recorder,
        obstacles: Obstacles,
        signin: SignIn,
        hosts: Hosts,
        store: object = None,
        tracer: Tracer | None = None,
        retry_sleep: Callable[[float], Any] | None = None,
    ) -> None:
        self.page = page
        self.site = site
        self.options = options
        self.recorder = recorder
        self.obstacles = obstacles
        self.signin = signin
        self.hosts = hosts
        self.store = store
        """The saved session (``delete()`` forgets it); dropped when the site loops on it."""
        self.tracer = tracer
        self.base = (options.site_url or site.base_url).rstrip("/")
        self.policy = navigation_policy(sleep=retry_sleep) if retry_sleep else navigation_policy()
        self.barrier_paths = [prefix for barrier in site.barriers for prefix in barrier.path_prefixes]
        self.dropped_session = False
        self.session_valid = False
        """A page of the site loaded signed in: the session is worth keeping."""
        self._walked = False

    def _goto(self, url: str) -> None:
        goto(self.page, url, self.policy, self.site.blocked_statuses, self.options.timeout_ms)

    def open(self, url: str) -> None:
        """Load ``url``; get past a sign-in page once; anything else that stops us raises."""
        try:
            self._goto(url)
        except RedirectLoop:
            if self.dropped_session:
                raise
            self.dropped_session = True
            drop_session(self.page, self.store, self.site.title)
            self._goto(url)
        with Landings(self.page) as landings:
            signed_in = self.signin.clear(self.page)
        if signed_in:
            # The site's redirect after the password (or after a dismissed question) usually lands on
            # ``url`` itself, freshly loaded: load it again only when it did not (issue 16).
            if not landings.arrived(url, self.site.blocked_statuses):
                self._goto(url)
            self.signin.clear(self.page)  # a second barrier now raises: never a second sign-in
        self.session_valid = True
        if self.tracer is not None:
            self.tracer.start()
        self.obstacles.clear()

    def open_flow(self, flow: FlowSpec) -> None:
        """Load the flow's own page by its address."""
        self.open(self.base + flow.path)

    def load_again(self, flow: FlowSpec) -> None:
        """The flow's page afresh from the server, to read back what a change left."""
        if flow.reach == "steps":
            # No page of its own to reload: walking again from home loads everything afresh.
            self.walk_to(flow)
            return
        reload(self.page, self.policy, self.site.blocked_statuses, self.options.timeout_ms)
        if self.signin.clear(self.page):
            self.open_flow(flow)
        self.obstacles.clear()

    def clear_barrier(self) -> bool:
        """Answer what the page asks now (a sign-in, an e-mailed code) or raise; True when answered."""
        return self.signin.clear(self.page)

    def walk_to(self, flow: FlowSpec) -> None:
        """From the site's home, click the way a person would, recording each step."""
        self.open(self.base + self.site.home_path)
        if not self._walked:  # a flow reached by steps walks again to verify: one "Signed in" is enough
            self.recorder.step("signed-in", self.page, _("Signed in to {site}").format(site=self.site.title))
            self._walked = True
        steps = [*self.site.nav, *flow.steps]
        for index, step in enumerate(steps):
            try:
                walked = self._walk_step(step)
            except SiteChanged as exc:
                self.hosts.check(self.page.url)  # led off the site: say so, never judge that page
                if detect_barrier(self.page, self.site) is not None:
                    walked = True  # a sign-in or security page instead of the next one: cleared below
                elif flow.reach == "page":
                    # Menus built by scripts (or kept out of a scrubbed capture) cannot be walked: a person
                    # would type the address. The arrival at the setting's page is judged as usual.
                    self.recorder.step(
                        "direct-address",
                        self.page,
                        _(
                            "The way to '{setting}' broke at '{step}' ({reason}); opened the setting's "
                            "address directly"
                        ).format(setting=_(flow.title), step=step.name, reason=exc.message),
                    )
                    self.open_flow(flow)
                    return
                else:
                    raise self._not_offered_or(flow, steps[index:], exc) from None
            barrier = detect_barrier(self.page, self.site)
            if barrier is not None:
                self.signin.clear(self.page)
            if walked:
                self.obstacles.clear()
            # In words ("Opened Data controls"): a dialog's steps all stay on "/", so a path says nothing.
            self.recorder.step(step.name, self.page, _("Opened {path}").format(path=step.label))

    def _walk_step(self, step: Step) -> bool:
        """Take ``step``; True when it loaded a new page (whose banners and dialogs are then closed), False
        when it only opened something within the same page (a menu, a settings dialog: left open)."""
        before = self.page.evaluate(_DOCUMENT)
        take_step(
            self.page,
            step,
            self.options.timeout_ms,
            self.site.blocked_statuses,
            self.barrier_paths,
            before_click=self.obstacles.uncover,
            find_ms=self.options.switch_timeout_ms,
        )
        return bool(self.page.evaluate(_DOCUMENT) != before)

    def _not_offered_or(self, flow: FlowSpec, left: list[Step], error: OptoutBotError) -> OptoutBotError:
        """A flow with no page of its own (``reach = "steps"``) whose way stops: when the page where the next
        link should be says nothing like it nor like the switch, the setting is not offered to this account
        (ChatGPT's Team workspaces have no such row); otherwise ``error`` (the site changed)."""
        text = self.page.locator("body").inner_text(timeout=2_000)
        known = [n for s in left for ns in s.click.names.values() for n in ns]
        known += [n for ns in flow.switch.names.values() for n in ns]
        if known and mentions(text, known) < MENTION_THRESHOLD:
            return SettingUnavailable(
                _("'{setting}' is not offered to this account (nothing like it on {path})").format(
                    setting=_(flow.title), path=path_of(self.page.url)
                )
            )
        return error

    def missing(self, flow: FlowSpec, thing: str) -> OptoutBotError:
        """Why ``thing`` of ``flow`` (its switch, its form) is not on the page: not offered to this
        account, a barrier in the way, or a changed site."""
        page = self.page
        if any(page.locator(css).count() > 0 for css in flow.unavailable_css):
            return SettingUnavailable(f"'{flow.title}' says it is not available for this account")
        if not self.on_flow_page(flow):
            return SettingUnavailable(
                f"'{flow.title}' is not offered to this account (redirected to {path_of(page.url)})"
            )
        barrier = detect_barrier(page, self.site)
        if barrier is not None:
            return NeedsHuman(f"{barrier.message}: a person must continue", kind=barrier.kind)
        return SiteChanged(f"the {thing} for '{flow.title}' was not found on {path_of(page.url)}")

    def on_flow_page(self, flow: FlowSpec) -> bool:
        """True when the page is the flow's own page on the site's own host (not a redirect elsewhere)."""
        self.hosts.check(self.page.url)
        return path_of(self.page.url).rstrip("/") == flow.path.rstrip("/")
