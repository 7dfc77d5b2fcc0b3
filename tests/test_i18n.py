"""French and English: every message has its French, the language is chosen as documented, and the
catalog reader we run agrees with Babel's.

The completeness test extracts messages with Babel exactly as ``make i18n`` does (babel.cfg), so a
new ``_("…")`` without French in ``optout_bot/i18n/locales/fr/LC_MESSAGES/optout_bot.po`` fails here.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po as babel_read_po
from playwright.sync_api import Page, expect

from optout_bot import i18n
from tests.helpers import cli

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "optout_bot"
FIELD = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")


def extracted() -> dict[str, str | tuple[str, ...]]:
    """msgid -> the id itself, or (singular, plural) for ngettext messages, as Babel extracts them."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found: dict[str, str | tuple[str, ...]] = {}
    for _file, _line, message, _comments, _context in extract_from_dir(ROOT, method_map, options_map):
        key = message[0] if isinstance(message, tuple) else message
        found[key] = message
    return found


def french_catalog() -> Catalog:
    with i18n.po_path("fr").open("rb") as po:
        return babel_read_po(po)


def missing_french(messages: dict[str, str | tuple[str, ...]], catalog: Catalog) -> list[str]:
    """Messages without a usable French translation: absent, empty, a plural form empty, or fuzzy."""
    missing = []
    for key in sorted(messages):
        entry = catalog.get(messages[key])
        strings = entry.string if entry is not None else ""
        filled = all(strings) if isinstance(strings, tuple | list) else bool(strings)
        if entry is None or not filled or entry.fuzzy:
            missing.append(key)
    return missing


def fields(text: str) -> list[str]:
    return sorted(FIELD.findall(text))


def test_there_are_messages_to_translate() -> None:
    assert len(extracted()) > 10


def test_every_message_has_a_french_translation() -> None:
    missing = missing_french(extracted(), french_catalog())
    assert missing == [], "no French for these messages; run `make i18n` and translate them:\n" + "\n".join(
        missing
    )


def test_completeness_check_reports_a_message_without_french() -> None:
    catalog = Catalog(locale="fr")
    catalog.add("Done.", "Terminé.")
    catalog.add("Half done.", "")
    catalog.add("Guess.", "Deviné.", flags=["fuzzy"])
    messages: dict[str, str | tuple[str, ...]] = {m: m for m in ("Done.", "Half done.", "Guess.", "New.")}
    assert missing_french(messages, catalog) == ["Guess.", "Half done.", "New."]


def test_translations_keep_every_placeholder() -> None:
    wrong = []
    for entry in french_catalog():
        if not entry.id:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        wanted = fields(ids[-1])
        wrong += [f"{ids[0]!r} -> {s!r}" for s in strings if s and fields(s) != wanted]
    assert wrong == []


def test_our_catalog_reader_agrees_with_babel() -> None:
    ours = i18n.read_po(i18n.po_path("fr").read_text(encoding="utf-8"))
    theirs: dict[str, str | list[str]] = {}
    for entry in french_catalog():
        if not entry.id or entry.fuzzy:
            continue
        if isinstance(entry.id, tuple):
            if all(entry.string):
                theirs[entry.id[0]] = list(entry.string)
        elif entry.string:
            theirs[entry.id] = entry.string
    assert ours == theirs


def test_reader_skips_fuzzy_untranslated_and_header_entries() -> None:
    text = (
        'msgid ""\nmsgstr "Language: fr\\n"\n\n'
        'msgid "On"\nmsgstr "Activé"\n\n'
        '#, fuzzy\nmsgid "Off"\nmsgstr "Éteint"\n\n'
        'msgid "Later"\nmsgstr ""\n\n'
        'msgid ""\n"Two "\n"lines"\nmsgstr "Deux "\n"lignes \\"citées\\""\n\n'
        'msgid "{n} account"\nmsgid_plural "{n} accounts"\nmsgstr[0] "{n} compte"\nmsgstr[1] "{n} comptes"\n'
    )
    assert i18n.read_po(text) == {
        "On": "Activé",
        "Two lines": 'Deux lignes "citées"',
        "{n} account": ["{n} compte", "{n} comptes"],
    }


@pytest.mark.parametrize(
    ("env", "config", "expected"),
    [
        ({"LANG": "fr_FR.UTF-8"}, None, "fr"),
        ({"LANG": "fr_CA.UTF-8"}, None, "fr"),
        ({"LANG": "en_US.UTF-8"}, None, "en"),
        ({"LANG": "C"}, None, "en"),
        ({"LANG": "C.UTF-8", "LANGUAGE": "fr"}, None, "en"),  # GNU: LANGUAGE is ignored under C
        ({"LANG": "de_DE.UTF-8", "LANGUAGE": "fr:de"}, None, "fr"),
        ({"LANG": "de_DE.UTF-8"}, None, "en"),  # a language we do not have: English
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "fr_FR.UTF-8"}, None, "fr"),
        ({"LANG": "fr_FR.UTF-8", "LC_ALL": "C"}, None, "en"),
        ({}, None, "en"),
        ({"LANG": "fr_FR.UTF-8"}, 'language = "en"\n', "en"),  # the config beats the locale
        ({"LANG": "C"}, 'language = "fr"\n', "fr"),
        ({"LANG": "fr_FR.UTF-8"}, "language = [broken\n", "fr"),  # the loader reports a broken file
        ({"LANG": "fr_FR.UTF-8"}, 'language = "klingon"\n', "fr"),
    ],
)
def test_language_comes_from_the_config_else_the_locale(
    tmp_path: Path, env: dict[str, str], config: str | None, expected: str
) -> None:
    path = tmp_path / "config.toml"
    if config is not None:
        path.write_text(config, encoding="utf-8")
    assert i18n.choose_language({**env, "OPTOUT_BOT_CONFIG": str(path)}) == expected


def test_messages_and_plurals_follow_the_chosen_language() -> None:
    with i18n.speaking("fr"):
        assert i18n._("interrupted") == "interrompu"
        assert i18n._("a message nobody wrote") == "a message nobody wrote"
        assert i18n.ngettext("{n} thing", "{n} things", 1) == "{n} thing"
    assert i18n._("interrupted") == "interrupted"
    assert i18n.ngettext("{n} thing", "{n} things", 0) == "{n} things"


def help_text(lang_env: dict[str, str], *args: str) -> str:
    # conftest removed LANGUAGE, LC_ALL and LC_MESSAGES: LANG alone decides.
    done = cli(*args, "--help", env=lang_env, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_help_speaks_french_under_a_french_locale() -> None:
    french = help_text({"LANG": "fr_FR.UTF-8"})
    assert "Désactive les paramètres" in french
    assert "Turn off AI-training" not in french


def test_help_speaks_english_under_c_and_us_locales() -> None:
    for lang in ("C", "en_US.UTF-8"):
        assert "Turn off AI-training data settings, verified." in help_text({"LANG": lang})


def run_demo(lang: str, *args: str) -> subprocess.CompletedProcess[str]:
    return cli("demo", *args, env={"LANG": lang})


def test_demo_and_its_report_speak_french_end_to_end_under_a_french_locale(page: Page) -> None:
    """One French demo: what it says on the terminal, then its run report opened in a real browser.
    (An English locale's run speaks English: the help under en_US in the test above picks the same
    language for the whole process, and every demo in test_cli.py reads English lines.)"""
    done = run_demo("fr_FR.UTF-8")
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert lines[0].startswith("Démonstration : un faux LinkedIn sur cet ordinateur")
    assert any(line.endswith("L'interrupteur est activé") for line in lines)
    # The fake LinkedIn is shown in French too, so the setting carries its French name on the page.
    assert (
        "LinkedIn · Données pour l'amélioration de l'IA générative : activé → désactivé "
        "(vérifié après rechargement de la page)"
    ) in lines
    (folder,) = [line for line in lines if line.startswith("Dossier de l'exécution : ")]
    assert lines[-1] == "Le faux site a reçu 1 demande(s) d'enregistrement et 0 envoi(s) de formulaire."
    for english in ("Demo:", "verified after reload", "The switch reads", "Run folder", "received"):
        assert english not in done.stderr

    report = Path(folder.removeprefix("Dossier de l'exécution : "))
    assert report.name == "index.html"
    with i18n.speaking("fr"):
        heading = "LinkedIn: " + i18n._("Turning settings off")
        setting = i18n._("Data for Generative AI Improvement")
        details = i18n._("Technical details (codes, paths, UTC times)")
    assert "Données" in setting
    assert details != "Technical details (codes, paths, UTC times)"
    page.goto(report.as_uri())
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    region = page.get_by_role("region", name=setting)
    expect(region).to_contain_text("vérifié")
    expect(page.get_by_text(details)).to_be_visible()
    for english in ("Turning settings off", "Step by step", "Technical details"):
        expect(page.get_by_text(english)).to_have_count(0)


def test_outcome_lines_in_french() -> None:
    from optout_bot.app.render import outcome_line
    from optout_bot.model.outcomes import FlowOutcome, Result

    changed = FlowOutcome(flow="x.f", title="Improve the model for everyone", result=Result.CHANGED)
    failed = FlowOutcome(
        flow="x.f", title="Unknown title", result=Result.FAILED, before=True, message="the page moved"
    )
    with i18n.speaking("fr"):
        assert outcome_line("ChatGPT", changed) == (
            "ChatGPT · Améliorer le modèle pour tous : activé → désactivé (vérifié après rechargement de la page)"
        )
        assert outcome_line("X", failed) == "X · Unknown title : ÉCHEC (lu : activé) : the page moved"
    assert outcome_line("ChatGPT", changed).endswith(": ON → OFF (verified after reload)")


def test_errors_speak_french_where_they_are_raised() -> None:
    from optout_bot.errors import ConfigError, UsageError
    from optout_bot.store.paths import check_account

    with i18n.speaking("fr"), pytest.raises(UsageError) as raised:
        check_account("a b")
    assert raised.value.message == "nom de compte invalide : 'a b'"
    assert raised.value.remedy.startswith("utilisez des lettres, des chiffres")
    with i18n.speaking("fr"):
        assert ConfigError("x").remedy.startswith("corrigez le fichier de configuration")
    assert ConfigError("x").remedy.startswith("fix the config file")  # the class remedy stays English


def test_every_errors_own_remedy_has_french() -> None:
    """A class remedy not marked N_() is never extracted, so it stayed English in a French run (the
    new host, redirect loop and stopped browser remedies did)."""
    from optout_bot import errors

    def subclasses(cls: type) -> list[type]:
        return [cls, *(sub for direct in cls.__subclasses__() for sub in subclasses(direct))]

    remedies = {cls.__name__: cls.remedy for cls in subclasses(errors.OptoutBotError) if cls.remedy}
    assert {"ForeignHost", "RedirectLoop", "BrowserStopped"} <= set(remedies)
    with i18n.speaking("fr"):
        english = sorted(name for name, remedy in remedies.items() if i18n._(remedy) == remedy)
    assert english == []


def shadowing_functions(source: str) -> list[str]:
    """Functions that call _() and also bind the name _ (a throwaway variable would hide the helper)."""
    import ast

    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        inner = list(ast.walk(node))
        calls = any(
            isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "_" for n in inner
        )
        binds = any(isinstance(n, ast.Name) and n.id == "_" and isinstance(n.ctx, ast.Store) for n in inner)
        if calls and binds:
            found.append(node.name)
    return found


def test_no_function_hides_the_translation_helper() -> None:
    offenders = {
        str(path.relative_to(ROOT)): names
        for path in sorted(PACKAGE.rglob("*.py"))
        if (names := shadowing_functions(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_shadowing_check_finds_a_throwaway_underscore() -> None:
    assert shadowing_functions('def f():\n    a, _ = g()\n    return _("x")\n') == ["f"]
    assert shadowing_functions('def f():\n    return _("x")\n') == []


def translated_inside_fstrings(source: str) -> list[int]:
    """Lines where _("literal") is called inside an f-string: Babel's extractor does not see it there.

    (``_(value)`` of data is fine anywhere: its messages come from the data files.)"""
    import ast

    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.JoinedStr):
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.Call)
                    and isinstance(inner.func, ast.Name)
                    and inner.func.id == "_"
                    and any(isinstance(arg, ast.Constant) for arg in inner.args)
                ):
                    lines.append(inner.lineno)
    return lines


def test_no_message_hides_inside_an_fstring() -> None:
    hidden = {
        str(path.relative_to(ROOT)): lines
        for path in sorted(PACKAGE.rglob("*.py"))
        if (lines := translated_inside_fstrings(path.read_text(encoding="utf-8")))
    }
    assert hidden == {}
    assert translated_inside_fstrings("x = f\"<b>{_('hidden')}</b>\"\n") == [1]


def test_guide_and_platform_words_in_french() -> None:
    from optout_bot.model.loader import load_catalog
    from optout_bot.model.platforms import find_platform, flows_for, guide_text, load_platforms

    catalog = load_catalog()
    linkedin = find_platform(load_platforms(), "linkedin")
    with i18n.speaking("fr"):
        text = guide_text(linkedin, flows_for(linkedin, catalog), catalog.sites)
    assert text.splitlines()[1].startswith("Mécanisme : interrupteur. Par défaut : activé. Région : partout")
    assert "\nÀ la main :\n" in text
    assert "\nBon à savoir :\n" in text
    assert "(connectez-vous vous-même, une fois)" in text
    assert "By hand" not in text


def test_overview_page_in_french_in_a_real_browser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, page: Page
) -> None:
    from optout_bot.cli.main import raw_main
    from optout_bot.store import history
    from tests.test_overview import AI, CONFIG, _entry

    monkeypatch.setenv("OPTOUT_BOT_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("OPTOUT_BOT_STATE_DIR", str(tmp_path / "state"))
    (tmp_path / "config.toml").write_text(CONFIG, encoding="utf-8")
    history.append(_entry("li", "linkedin", AI))
    target = tmp_path / "overview.html"
    with i18n.speaking("fr"):
        assert raw_main(["overview", "--html", str(target)]) == 0
    page.goto(target.as_uri())
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name="Vos comptes et plateformes")).to_be_visible()
    table = page.get_by_role("table")
    expect(table.get_by_role("columnheader", name="Paramètre")).to_be_visible()
    row = table.get_by_role("row").filter(has_text="Données pour l'amélioration de l'IA générative")
    expect(row).to_contain_text("Désactivé")
    expect(row).to_contain_text("disable : désactivé, puis relu après rechargement de la page")


def test_the_configs_language_beats_the_locale_for_a_whole_run(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('language = "fr"\n[accounts.me]\nemail = "not-an-address"\n', encoding="utf-8")
    done = cli("config", "show", env={"LANG": "C.UTF-8", "OPTOUT_BOT_CONFIG": str(config)}, timeout=60)
    assert done.returncode == 2
    # One line: the file, the key, the problem and its remedy, all in French.
    assert done.stderr.startswith("erreur : ")
    assert "accounts.me.email: doit être une adresse e-mail comme vous@example.com" in done.stderr
    assert "(corrigez le fichier de configuration" in done.stderr
