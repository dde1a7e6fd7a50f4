"""Every file the README and docs/*.md point to exists, so that a renamed or never-written file is noticed.

A link is a Markdown link `[text](target)` (relative to the page, as Markdown reads it) or a code span
naming a path from the repository root — `docs/access.md`, `yiti/core/api.py`, `yiti/core/data/*.csv` —
as these docs write them. Code spans that name a file relative to a folder the text is talking about
(`tests/test_segment.py` in the engine's doc) are not read as links. No database needed.
"""

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
# First path components that make a code span a path from the repository root; "../" leaves the repository
# (the shared data and benchmark protocol beside it).
ROOTS = ("docs/", "yiti/", "bench/", "e2e/", ".ci/", "../")
# Written by `make assets`, not kept in the repository.
GENERATED = ("yiti/static/vendor/",)
SHARED = REPO.parent / "shared"

MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")
CODE_SPAN = re.compile(r"`([^`\s]+)`")
FENCE = re.compile(r"^\s*(```|~~~)")


def links(page: Path) -> list[tuple[int, str, Path]]:
    """(line, link as written, the path it names) for every link on `page`, outside fenced code blocks."""
    found = []
    fenced = False
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        for target in MARKDOWN_LINK.findall(line):
            if "://" in target or target.startswith(("#", "mailto:")):
                continue
            found.append((number, target, page.parent / target.split("#")[0]))
        for span in CODE_SPAN.findall(line):
            if span.startswith(ROOTS) and not span.startswith(GENERATED) and not re.search(r"[<>${}]", span):
                found.append((number, span, REPO / span))
    return found


def exists(path: Path) -> bool:
    if "*" in path.name:
        return any(path.parent.glob(path.name))
    return path.exists()


def outside_repository(path: Path) -> bool:
    return not path.resolve().is_relative_to(REPO)


def broken(include_outside: bool) -> list[str]:
    return [
        f"{page.relative_to(REPO)}:{number}: {written}"
        for page in PAGES
        for number, written, path in links(page)
        if outside_repository(path) == include_outside and not exists(path)
    ]


def test_the_scan_reads_both_kinds_of_link_and_skips_code_blocks(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "See [the guide](guide.md#top), `docs/access.md`, `yiti/core/data/*.csv` and [the site](https://x.org/).\n"
        "`tests/test_segment.py` is relative to the engine; `yiti/templates/<name>.html` is a pattern.\n"
        "```\ncat `docs/inside-a-fence.md`\n```\n",
        encoding="utf-8",
    )
    written = [w for _n, w, _p in links(page)]
    assert written == ["guide.md#top", "docs/access.md", "yiti/core/data/*.csv"]
    assert exists(REPO / "yiti/core/data/*.csv") and not exists(REPO / "yiti/core/data/*.nothing")


def test_every_link_inside_the_repository_points_to_a_file():
    assert len(PAGES) > 5
    assert not broken(include_outside=False), "links to files that do not exist:\n" + "\n".join(
        broken(include_outside=False)
    )


@pytest.mark.skipif(not SHARED.is_dir(), reason=f"{SHARED} is absent: links to the shared folder cannot be checked")
def test_every_link_to_the_shared_folder_points_to_a_file():
    assert not broken(include_outside=True), "links to files that do not exist:\n" + "\n".join(
        broken(include_outside=True)
    )
