"""The fake site's objection forms (``[forms]`` in site.toml): sending one, and what the site shows after.

Apart from ``site.py`` because a form has its own memory (who sent what) and its own pages (the
"already received" notice, the pre-filled address), read by the form flows' tests on their own.
"""

from __future__ import annotations

import secrets

from optout_bot.testing.login import Login
from optout_bot.testing.manifest import SiteManifest
from optout_bot.testing.model import FakeRequest, Response, Scenario, Submission
from optout_bot.testing.sessions import Sessions


class Forms:
    """The forms of one ``FakeSite``. No lock of its own: ``FakeSite.handle`` holds the site's."""

    def __init__(self, manifest: SiteManifest, scenario: Scenario, sessions: Sessions, login: Login) -> None:
        self.manifest = manifest
        self.scenario = scenario
        self.sessions = sessions
        self.login = login
        self.submissions: list[Submission] = []
        """Every signed-in submission of a ``[forms]`` form, in order."""

    def submit(self, req: FakeRequest) -> Response:
        """A POST to one of the forms: a code checked, or the fields kept; then the form's next page."""
        form = self.manifest.forms[req.path]
        email = self.sessions.email(req)
        if email is None and form.signed_in:
            return self.login.signed_out(req)
        if form.code_field is not None:
            right = secrets.compare_digest(req.form().get(form.code_field, "").strip(), self.scenario.pin)
            return Response.redirect(form.then if right else f"{form.form_page}?error=1")
        self.submissions.append(Submission(req.path, email, req.form()))
        return Response.redirect(form.then)

    def sent_page(self, path: str, email: str | None) -> str | None:
        """The "already received" file for a form page this account has sent, if the manifest has one."""
        for post, form in self.manifest.forms.items():
            sent = email is not None and any(s.path == post and s.email == email for s in self.submissions)
            if form.form_page == path and form.sent_file and sent:
                return form.sent_file
        return None

    def prefill(self, path: str, email: str | None) -> dict[str, str]:
        """The account's address in the e-mail field of the form on ``path`` (as the site pre-fills it)."""
        forms = self.manifest.forms.values()
        return {f.email_field: email for f in forms if email and f.email_field and f.form_page == path}
