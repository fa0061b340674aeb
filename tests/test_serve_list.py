"""The preview's listing as filings come and go: added, removed, renamed, failing, and
rebuilt as unchanged; what it says of each (registrant, deadline, headline); form8k.yaml.

The app runs in-process. Most tests rebuild as the watcher would (``Preview.refresh`` with the
changed paths, awaited); the watcher's own tests wait on a listener the preview calls after
each refresh, never on a clock.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import threading
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from form8k.pipeline import BuildReport, Project, build
from form8k.serve import Preview, create_app
from form8k.serve import preview as preview_module
from form8k.serve.pages import days_left
from form8k.serve.preview import Rebuilt
from tests.conftest import COMPANY_YAML, FILING_YAML, PRESS_RELEASE_MD
from tests.test_serve import listing

#: A Monday. Acme's date of report is Friday 2024-03-01; its Item 5.02 is due four business
#: days later, Thursday 2024-03-07: three business days after this Monday.
TODAY = dt.date(2024, 3, 4)

ACME = {
    "content/acme/company.yaml": COMPANY_YAML.replace(
        "Example Corp.", "Acme Widgets, Inc."
    ).replace("prefix: exmp", "prefix: acme"),
    # 99.2 is listed first: the headline is still the one of 99.1, the first by number.
    "content/acme/q1/filing.yaml": FILING_YAML.replace(
        '"8.01"\n    body: Something happened.', '"5.02"\n    body: A director resigned.'
    ).replace(
        "exhibits:\n",
        'exhibits:\n  - number: "99.2"\n    description: Second release\n    source: second.md\n',
    ),
    "content/acme/q1/press-release.md": PRESS_RELEASE_MD.replace(
        "Example Corp. Announces Something", "Acme Names a New Director"
    ),
    "content/acme/q1/second.md": PRESS_RELEASE_MD.replace(
        "Example Corp. Announces Something", "Acme Says More"
    ),
}
ACME_DEADLINE = (
    "3 business days left\n"
    "due 2024-03-07 5:30 p.m. Eastern (3 business days to spare); filing date 2024-03-04"
)
EXAMPLE_DEADLINE = "no four-day deadline (no item reported has one); filing date 2024-03-04"
EXAMPLE_DOCUMENTS = "Form 8-K (PDF)\nExhibit 99.1 (PDF)\nCombined PDF"
ACME_DOCUMENTS = "Form 8-K (PDF)\nExhibit 99.1 (PDF)\nExhibit 99.2 (PDF)\nCombined PDF"


class RecordingBuilder:
    """The real builder, keeping the report of each HTML build; optionally failing on demand."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.reports: list[BuildReport] = []
        self.fail: Exception | None = None

    def __call__(
        self, folders: Sequence[Path], *, out: Path, formats: Sequence[str]
    ) -> BuildReport:
        if self.fail is not None:
            raise self.fail
        report = build(self.project, out=out, paths=folders, formats=formats)
        if "html" in formats:
            self.reports.append(report)
        return report

    def skipped(self) -> list[str]:
        """The filings the last build kept as unchanged."""
        return [result.key for result in self.reports[-1].results if result.skipped]


class Today:
    """The day the listing counts from, changed at will."""

    def __init__(self, day: dt.date) -> None:
        self.day = day

    def __call__(self) -> dt.date:
        return self.day


@pytest.fixture
def start(make_project: Callable[..., Path]) -> Iterator[Callable[..., TestClient]]:
    """Start the preview app on a project with Acme's filing besides the example; no watcher
    unless asked for. The listing counts from TODAY (``app.state.today`` changes it)."""
    clients: list[TestClient] = []

    def run(files: dict[str, str] | None = None, **options: Any) -> TestClient:
        root = make_project({**ACME, **(files or {})})
        project = Project.at(root)
        today = Today(TODAY)
        options.setdefault("watch", False)
        app = create_app(project, builder=RecordingBuilder(project), today=today, **options)
        app.state.today = today
        client = TestClient(app, follow_redirects=False)
        client.__enter__()
        clients.append(client)
        return client

    yield run
    for client in clients:
        client.__exit__(None, None, None)


def preview_of(client: TestClient) -> Preview:
    preview: Preview = client.app.state.preview  # type: ignore[attr-defined]
    return preview


def builder_of(client: TestClient) -> RecordingBuilder:
    builder: RecordingBuilder = preview_of(client).builder  # type: ignore[assignment]
    return builder


def changed(client: TestClient, *names: str) -> Rebuilt:
    """Rebuild after a change of the project's paths ``names``, as the watcher reports it."""
    preview = preview_of(client)
    paths = [preview.root / name for name in names]
    rebuilt: Rebuilt = client.portal.call(preview.refresh, paths)  # type: ignore[union-attr]
    return rebuilt


def copy_filing(root: Path, source: str, target: str) -> list[str]:
    """Copy a filing folder; return what a watcher reports: the folder and its files."""
    shutil.copytree(root / source, root / target)
    return [target, *(f"{target}/{path.name}" for path in sorted((root / target).iterdir()))]


def assert_whole(rows: dict[str, dict[str, str]], key: str, *, acme: bool) -> None:
    """The row of ``key`` says everything about a good build of Acme's filing or the example."""
    row = rows[key]
    if acme:
        assert row["registrant"] == "Acme Widgets, Inc."
        assert row["headline"] == "Acme Names a New Director"
        assert row["deadline"] == ACME_DEADLINE
        assert row["documents"] == ACME_DOCUMENTS
        assert row["items"].startswith("5.02 Departure of Directors")
    else:
        assert row["registrant"] == "Example Corp."
        assert row["headline"] == "Example Corp. Announces Something"
        assert row["deadline"] == EXAMPLE_DEADLINE
        assert row["documents"] == EXAMPLE_DOCUMENTS
        assert row["items"] == "8.01 Other Events\n9.01 Financial Statements and Exhibits"
    assert (row["form"], row["date"], row["checks"]) == ("8-K", "2024-03-01", "passed")


# --- filings come and go ----------------------------------------------------------------------


def test_the_list_stays_whole_as_filings_are_added_removed_and_renamed(start) -> None:
    client = start()
    root = preview_of(client).root
    rows = listing(client)
    assert list(rows) == ["acme/q1", "example"]
    assert_whole(rows, "acme/q1", acme=True)
    assert_whole(rows, "example", acme=False)

    # Added: a folder under content/ concerns every filing; the others are kept as unchanged.
    changed(client, *copy_filing(root, "content/example", "content/second"))
    assert builder_of(client).skipped() == ["acme/q1", "example"]
    rows = listing(client)
    assert list(rows) == ["acme/q1", "example", "second"]
    assert_whole(rows, "acme/q1", acme=True)
    assert_whole(rows, "example", acme=False)
    assert_whole(rows, "second", acme=False)

    # Removed.
    shutil.rmtree(root / "content/second")
    changed(client, "content/second", "content/second/filing.yaml")
    assert builder_of(client).skipped() == ["acme/q1", "example"]
    rows = listing(client)
    assert list(rows) == ["acme/q1", "example"]
    assert_whole(rows, "acme/q1", acme=True)
    assert_whole(rows, "example", acme=False)

    # Renamed: the old name goes, the new one is built, the rest stay as they are.
    (root / "content/acme/q1").rename(root / "content/acme/q3")
    changed(client, "content/acme/q1", "content/acme/q3")
    rows = listing(client)
    assert list(rows) == ["acme/q3", "example"]
    assert_whole(rows, "acme/q3", acme=True)
    assert_whole(rows, "example", acme=False)
    assert client.get("/filings/acme/q3/acme-20240301.htm").status_code == 200
    assert client.get("/filings/acme/q1/acme-20240301.htm").status_code == 404

    # Renamed back: the build keeps the files of its first name's build as unchanged, though
    # this preview has no state of that name any more (it loads the filing to describe it).
    (root / "content/acme/q3").rename(root / "content/acme/q1")
    changed(client, "content/acme/q3", "content/acme/q1")
    assert builder_of(client).skipped() == ["acme/q1"]
    rows = listing(client)
    assert list(rows) == ["acme/q1", "example"]
    assert_whole(rows, "acme/q1", acme=True)
    assert_whole(rows, "example", acme=False)
    assert "Acme Names a New Director" in client.get("/filings/acme/q1/acme-ex99-1.htm").text


def test_a_filing_added_by_its_files_alone_leaves_the_others_whole(start) -> None:
    client = start()
    root = preview_of(client).root
    names = copy_filing(root, "content/example", "content/second")
    changed(client, *names[1:])  # no event for the folder: only "second" is rebuilt
    changed(client, "content/company.yaml")  # then every filing; none of them changed
    assert builder_of(client).skipped() == ["acme/q1", "example", "second"]
    rows = listing(client)
    for key in ("example", "second"):
        assert_whole(rows, key, acme=False)
    assert_whole(rows, "acme/q1", acme=True)


def test_a_filing_kept_as_unchanged_is_described_without_loading_it(start, monkeypatch) -> None:
    client = start()
    root = preview_of(client).root

    def no_loading(*args: object, **kwargs: object) -> None:
        raise AssertionError("a filing this preview built was loaded again")

    monkeypatch.setattr("form8k.serve.preview.load_filing", no_loading)
    changed(client, *copy_filing(root, "content/example", "content/second"))
    assert builder_of(client).skipped() == ["acme/q1", "example"]
    rows = listing(client)
    assert_whole(rows, "acme/q1", acme=True)
    assert_whole(rows, "example", acme=False)


def test_a_filing_renamed_back_is_loaded_once_to_describe_it(start, monkeypatch) -> None:
    client = start()
    root = preview_of(client).root
    (root / "content/acme/q1").rename(root / "content/acme/q3")
    changed(client, "content/acme/q1", "content/acme/q3")
    (root / "content/acme/q3").rename(root / "content/acme/q1")
    loaded: list[Path] = []
    real = preview_module.load_filing

    def counting(folder: Path, **kwargs: Path) -> Any:
        loaded.append(folder)
        return real(folder, **kwargs)

    monkeypatch.setattr(preview_module, "load_filing", counting)
    changed(client, "content/acme/q3", "content/acme/q1")
    assert builder_of(client).skipped() == ["acme/q1"]
    assert loaded == [root / "content/acme/q1"]
    changed(client, "content/company.yaml")  # every filing, none changed: none loaded
    assert builder_of(client).skipped() == ["acme/q1", "example"]
    assert loaded == [root / "content/acme/q1"]
    rows = listing(client)
    assert_whole(rows, "acme/q1", acme=True)
    assert_whole(rows, "example", acme=False)


def test_the_list_after_failed_builds(start) -> None:
    client = start()
    root = preview_of(client).root
    filing = root / "content/example/filing.yaml"

    # A filing that no longer loads keeps its last good documents and says why; the others
    # are untouched, also when a filing is added meanwhile.
    filing.write_text(FILING_YAML.replace("items:", "items: [\n"))
    changed(client, "content/example/filing.yaml")
    changed(client, *copy_filing(root, "content/acme/q1", "content/acme/q2"))
    rows = listing(client)
    assert list(rows) == ["acme/q1", "acme/q2", "example"]
    assert_whole(rows, "acme/q1", acme=True)
    assert_whole(rows, "acme/q2", acme=True)
    example = rows["example"]
    assert example["registrant"] == "Example Corp."  # as it last loaded
    assert example["documents"] == EXAMPLE_DOCUMENTS  # the last good build, still shown
    assert example["checks"].startswith("1 error\n")
    assert "content/example/filing.yaml:6:3: error: invalid YAML: " in example["checks"]

    # A failed check: the list shows the filing as it is now (no Item 9.01) ...
    filing.write_text(FILING_YAML.replace('  - number: "9.01"\n', ""))
    changed(client, "content/example/filing.yaml")
    example = listing(client)["example"]
    assert example["items"] == "8.01 Other Events"
    assert "no Item 9.01" in example["checks"]
    assert example["documents"] == EXAMPLE_DOCUMENTS

    # ... and back as it was once the content is: the build keeps the last good files as
    # unchanged, and the list describes them, not the failed content it saw last.
    filing.write_text(FILING_YAML)
    changed(client, "content/example/filing.yaml")
    assert builder_of(client).skipped() == ["example"]
    assert_whole(listing(client), "example", acme=False)


def test_a_builder_that_crashes_for_everyone_leaves_the_list_as_it_was(start) -> None:
    client = start()
    builder = builder_of(client)
    builder.fail = RuntimeError("disk on fire")
    changed(client, "templates/styles.yaml")
    rows = listing(client)
    for key in ("acme/q1", "example"):
        assert rows[key]["documents"] != "not built"
        assert "internal error: RuntimeError: disk on fire" in rows[key]["checks"]
    assert rows["acme/q1"]["headline"] == "Acme Names a New Director"
    builder.fail = None
    changed(client, "templates/styles.yaml")
    rows = listing(client)
    assert_whole(rows, "acme/q1", acme=True)
    assert_whole(rows, "example", acme=False)


# --- the deadline -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "text"),
    [
        (dt.date(2024, 3, 1), "4 business days left"),
        (dt.date(2024, 3, 2), "4 business days left"),  # a Saturday
        (dt.date(2024, 3, 4), "3 business days left"),
        (dt.date(2024, 3, 6), "1 business day left"),
        (dt.date(2024, 3, 7), "due today by 5:30 p.m. Eastern"),
        (dt.date(2024, 3, 8), "deadline passed 1 business day ago"),
        (dt.date(2024, 3, 9), "deadline passed 1 business day ago"),  # a Saturday
        (dt.date(2024, 3, 12), "deadline passed 3 business days ago"),
    ],
)
def test_business_days_left_count_from_today(today: dt.date, text: str) -> None:
    assert days_left(dt.date(2024, 3, 7), today)[0] == text


def test_days_left_skip_federal_holidays() -> None:
    # Thursday 2025-11-06; Tuesday 11 November is Veterans Day.
    assert days_left(dt.date(2025, 11, 13), dt.date(2025, 11, 6))[0] == "4 business days left"


def test_the_list_counts_from_the_day_it_is_shown(start) -> None:
    client = start()
    assert listing(client)["acme/q1"]["deadline"].startswith("3 business days left\n")
    client.app.state.today.day = dt.date(2024, 3, 7)
    assert listing(client)["acme/q1"]["deadline"].startswith("due today by 5:30 p.m. Eastern\n")
    assert "from today, 2024-03-07" in client.get("/").text


def test_a_late_filing_date_shows_in_the_deadline(start) -> None:
    client = start({"content/acme/q1/filing.yaml": late_acme()})
    row = listing(client)["acme/q1"]
    assert row["deadline"] == (
        "3 business days left\n"
        "due 2024-03-07 5:30 p.m. Eastern (2 business days late); filing date 2024-03-11"
    )
    assert row["checks"].startswith("1 warning\n") and "late-filing: " in row["checks"]


def late_acme() -> str:
    return ACME["content/acme/q1/filing.yaml"].replace(
        "filing_date: 2024-03-04", "filing_date: 2024-03-11"
    )


# --- form8k.yaml ------------------------------------------------------------------------------


def test_a_change_of_form8k_yaml_rebuilds_every_filing(start) -> None:
    client = start({"content/acme/q1/filing.yaml": late_acme()})
    root = preview_of(client).root
    (root / "form8k.yaml").write_text("checks:\n  late-filing: error\n")
    rebuilt = changed(client, "form8k.yaml")
    assert sorted(rebuilt.keys) == ["acme/q1", "example"]
    assert builder_of(client).skipped() == []  # the settings are part of every fingerprint
    rows = listing(client)
    assert rows["acme/q1"]["checks"].startswith("1 error\n")
    assert rows["acme/q1"]["documents"] == ACME_DOCUMENTS  # the last good build, still shown
    assert rows["example"]["checks"] == "passed"
    (root / "form8k.yaml").write_text("checks:\n  late-filing: ignore\n")
    changed(client, "form8k.yaml")
    assert listing(client)["acme/q1"]["checks"] == "passed"
    (root / "form8k.yaml").write_text("checks:\n  late-filing: [\n")
    changed(client, "form8k.yaml")
    for row in listing(client).values():
        assert "form8k.yaml:" in row["checks"] and "error" in row["checks"]
        assert row["documents"] != "not built"


# --- the watcher ------------------------------------------------------------------------------


@contextlib.contextmanager
def refreshed_until(client: TestClient, condition: Callable[[Preview], bool]) -> Iterator[None]:
    """Wait, after the block, for a refresh that leaves ``condition`` true.

    The condition is checked in the app's event loop after every refresh (a watcher may
    report one change in more than one batch); the timeout only turns a hang into a failure.
    """
    preview = preview_of(client)
    met = threading.Event()

    def listener(rebuilt: Rebuilt) -> None:
        if condition(preview):
            met.set()

    def add() -> None:
        preview.listeners.add(listener)

    def remove() -> None:
        preview.listeners.discard(listener)

    client.portal.call(add)  # type: ignore[union-attr]
    try:
        yield
        assert met.wait(timeout=30), "no refresh met the condition"
    finally:
        client.portal.call(remove)  # type: ignore[union-attr]


def built(key: str) -> Callable[[Preview], bool]:
    def condition(preview: Preview) -> bool:
        state = preview.filings.get(key)
        return state is not None and state.good is not None and not state.problems

    return condition


def test_the_watcher_follows_folders_and_form8k_yaml(start) -> None:
    client = start({"content/acme/q1/filing.yaml": late_acme()}, watch=True)
    root = preview_of(client).root
    # Started means watching: what is saved now is seen.
    with refreshed_until(client, lambda preview: preview.filings["acme/q1"].errors == 1):
        (root / "form8k.yaml").write_text("checks:\n  late-filing: error\n")
    rows = listing(client)
    assert rows["acme/q1"]["checks"].startswith("1 error\n")
    assert rows["acme/q1"]["documents"] == ACME_DOCUMENTS
    assert_whole(rows, "example", acme=False)

    with refreshed_until(client, built("second")):
        shutil.copytree(root / "content/example", root / "staging")
        (root / "staging").rename(root / "content/second")
    rows = listing(client)
    assert list(rows) == ["acme/q1", "example", "second"]
    assert_whole(rows, "example", acme=False)
    assert_whole(rows, "second", acme=False)
    assert rows["acme/q1"]["documents"] == ACME_DOCUMENTS

    with refreshed_until(client, lambda preview: "second" not in preview.filings):
        shutil.rmtree(root / "content/second")
    rows = listing(client)
    assert list(rows) == ["acme/q1", "example"]
    assert_whole(rows, "example", acme=False)

    with refreshed_until(client, built("renamed")):
        (root / "content/example").rename(root / "content/renamed")
    rows = listing(client)
    assert list(rows) == ["acme/q1", "renamed"]
    assert_whole(rows, "renamed", acme=False)

    with refreshed_until(client, lambda preview: preview.filings["acme/q1"].errors == 0):
        (root / "form8k.yaml").unlink()
    rows = listing(client)
    assert rows["acme/q1"]["checks"].startswith("1 warning\n")
    assert_whole(rows, "renamed", acme=False)


def test_a_watcher_that_cannot_start_is_reported_and_the_preview_still_serves(
    start, monkeypatch
) -> None:
    async def no_watching(*paths: object, **options: object) -> AsyncIterator[set[Any]]:
        raise OSError("inotify watch limit reached")  # as watchfiles does when it starts
        yield set()

    monkeypatch.setattr("watchfiles.awatch", no_watching)
    lines: list[str] = []
    client = start(watch=True, log=lines.append)
    assert "form8k: not watching for changes: OSError: inotify watch limit reached" in lines
    assert_whole(listing(client), "example", acme=False)
