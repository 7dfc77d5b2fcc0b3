"""The evidence lives in the repository: nothing cites a document outside it, every citation resolves.

Facts about the real sites are written in ``docs/evidence/<site>.md`` and the design patterns in
``docs/design.md``. A clone of the project has nothing else, so a comment, fixture or doc that points at
the notes the project was started from (``shared/…``, ``linkedin-pages.md``, ``other-platforms.md``,
``ecosystem.md``, ``STYLE.md``) leaves the reader with nowhere to go. Citations name a section
(``docs/evidence/linkedin.md §5.2``): the section must exist, and section numbers must be unique.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
THIS_FILE = Path(__file__).resolve().relative_to(ROOT).as_posix()

# Names of the documents outside the repository that the project's first notes lived in.
OUTSIDE = re.compile(r"shared/|linkedin-pages\.md|other-platforms\.md|ecosystem\.md|STYLE\.md")

# A citation: the file, then one or more section numbers ("§1, §4 and §8", "§11.4").
CITATION = re.compile(
    r"(?P<file>docs/(?:evidence/[a-z0-9_-]+|design)\.md)"
    r"(?P<sections>(?:\s*(?:,|and|or)?\s*§\s?\d+(?:\.\d+)*)+)"
)
SECTION_NUMBER = re.compile(r"§\s?(\d+(?:\.\d+)*)")
# A numbered heading: "## 4. The setting page", "### 4.1 What Brave PSST does", "### 11.10 Clicking …".
HEADING = re.compile(r"^#{2,4}\s+(\d+(?:\.\d+)*)\.?\s", re.MULTILINE)


def tracked_files() -> list[str]:
    """Every file git tracks in this checkout (the test needs a git checkout, not an installed wheel)."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs a git checkout of the project")
    out = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=30
    ).stdout
    return [name for name in out.decode().split("\0") if name]


def read_text(name: str) -> str | None:
    """The file's text, or None for binary files (screenshots, images)."""
    try:
        return (ROOT / name).read_text(encoding="utf-8")
    except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
        return None


def outside_references(text: str) -> list[str]:
    """Each line of ``text`` that names a document outside the repository."""
    return [line.strip() for line in text.splitlines() if OUTSIDE.search(line)]


def sections_of(markdown: str) -> list[str]:
    """The section numbers a document defines, in order (duplicates kept, so they can be found)."""
    return HEADING.findall(markdown)


def cited_sections(text: str) -> list[tuple[str, str]]:
    """Every (file, section) pair cited in ``text``."""
    pairs = []
    for match in CITATION.finditer(text):
        for number in SECTION_NUMBER.findall(match.group("sections")):
            pairs.append((match.group("file"), number))
    return pairs


# --- the scanners themselves (so the repository checks below cannot pass by matching nothing) ---


def test_outside_references_are_found_in_every_spelling() -> None:
    text = (
        "# Evidence: shared/reference/linkedin-pages.md §1\n"
        "see ../shared/STYLE.md\n"
        "(linkedin-pages.md §11.4)\n"
        "other-platforms.md (Meta)\n"
        "keyring rules (ecosystem.md §5)\n"
        "docs/evidence/linkedin.md §1 is fine\n"
    )
    assert len(outside_references(text)) == 5


def test_citations_with_several_sections_are_all_read() -> None:
    text = "Evidence: docs/evidence/linkedin.md §1, §4 and §8; design: docs/design.md §5; tooling.md §9."
    assert cited_sections(text) == [
        ("docs/evidence/linkedin.md", "1"),
        ("docs/evidence/linkedin.md", "4"),
        ("docs/evidence/linkedin.md", "8"),
        ("docs/design.md", "5"),
    ]


def test_numbered_headings_are_sections_and_other_headings_are_not() -> None:
    markdown = "# Title\n## 1. Key facts\n### 4.1 What Brave does\n### 11.10 Clicking\n## Anti-patterns\n"
    assert sections_of(markdown) == ["1", "4.1", "11.10"]


# --- the repository ---


def test_no_tracked_file_refers_outside_the_repository() -> None:
    found = []
    for name in tracked_files():
        if name == THIS_FILE:
            continue
        text = read_text(name)
        if text is None:
            continue
        found += [f"{name}: {line[:120]}" for line in outside_references(text)]
    assert found == [], "cite docs/evidence/<site>.md or docs/design.md instead:\n" + "\n".join(found)


def test_every_evidence_citation_names_a_section_that_exists() -> None:
    names = tracked_files()
    sections = {}
    for name in names:
        if name == "docs/design.md" or (name.startswith("docs/evidence/") and name.endswith(".md")):
            sections[name] = set(sections_of(read_text(name) or ""))
    assert "docs/evidence/linkedin.md" in sections
    broken = []
    cited = 0
    for name in names:
        if name == THIS_FILE:
            continue
        text = read_text(name)
        if text is None:
            continue
        for file, number in cited_sections(text):
            cited += 1
            if file not in sections:
                broken.append(f"{name}: {file} does not exist")
            elif number not in sections[file]:
                broken.append(f"{name}: {file} has no §{number}")
    assert broken == [], "\n".join(broken)
    assert cited > 0  # the flows cite the evidence; if nothing matched, the pattern is wrong


def test_section_numbers_are_unique_in_each_evidence_file() -> None:
    for name in tracked_files():
        if name == "docs/design.md" or (name.startswith("docs/evidence/") and name.endswith(".md")):
            numbers = sections_of(read_text(name) or "")
            duplicates = sorted({n for n in numbers if numbers.count(n) > 1})
            assert duplicates == [], f"{name}: section numbers used twice: {duplicates} (append a new number)"
