"""The SEC's own EDGAR Filer Manual (EFM) validation of a written submission folder.

EDGAR checks every submission with the SEC's "EDGAR" plugin for Arelle (github.com/Arelle/EDGAR,
CC0): EFM 6.x rules for Inline XBRL, EFM 5.x rules for HTML. Core Arelle does not run those
rules. This module runs that plugin on one folder that form8k wrote (or any submission folder)
and returns what it reports as :class:`EfmMessage` records:

- every Inline XBRL document goes through ``EDGAR/validate`` (with Arelle's
  ``inlineXbrlDocumentSet``), entry point in the JSON form EDGAR itself uses, with the header
  values some rules need (submission type, document type, CIK(s), period of report, items);
  several Inline XBRL documents form one document set, as on EDGAR;
- every other ``.htm`` document (exhibits) goes through ``EDGAR/validateHtm`` (disclosure system
  ``efm-htm``).

Disclosure system: ``efm-pragmatic`` (EDGAR's blocking errors), or ``efm-strict`` with
``EdgarSetup(strict=True)`` (adds the non-blocking warnings); the ``-all-years`` variant when the
document's dei taxonomy year is not among the plugin's current release's taxonomies. The DQC rules
the plugin codes in Python run for every year (the XULE plugin is not used).

Arelle runs in this process through its supported API (``arelle.api.Session``), one fresh session
per entry point (about 0.2-0.5 s each once Arelle is imported). Arelle keeps global state (its
plugin manager) and the plugin loads its modules under generic top-level names (``validate``,
``transform``, ``validateHtm``), so every run drops the plugin's modules from ``sys.modules``
before and after: each run executes the plugin afresh and nothing carries over between runs or
submissions. Arelle's logging goes to a private handler, anything it prints is captured, warnings
are silenced, and an Arelle crash becomes an ``efm.arelleFailed`` message; a lock serialises runs
within the process. One speed-up reaches into Arelle's internals, guarded: the list of Arelle's
built-in plugins, which every new session would rebuild by parsing ~140 files, is remembered.

Messages name the submission file they point at and, where Arelle knows it, the line there; a
message about a whole document (a schema's target namespace, say) gets the line of its root
element. ``fact_ids`` are the ids of the Inline XBRL facts among the objects a message refers to
(Arelle's message references carry an href, a source line and an object id; the object tells
whether it is a fact).

Offline: ``EdgarSetup.cache`` names a folder in Arelle's web-cache layout (holding
``https/xbrl.sec.gov/...``); Arelle then works offline and only reads it. Without it Arelle
downloads the standard taxonomies into its default cache.

Requirements: ``arelle-release`` and ``pytz`` (``pip install 'form8k[edgar]'``), and a checkout of
the plugin (``git clone https://github.com/Arelle/EDGAR``; the folder must keep the name ``EDGAR``).
"""

from __future__ import annotations

import contextlib
import gc
import importlib.util
import io
import json
import logging
import os
import re
import sys
import threading
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, NamedTuple
from xml.etree import ElementTree

from form8k.errors import UsageError

#: Environment variable naming the EDGAR plugin folder.
PLUGIN_ENV = "FORM8K_EDGAR_PLUGIN"

#: Message code of a failed Arelle run (a crash, not a finding about the filing).
ARELLE_FAILED = "efm.arelleFailed"
#: Message code of a document the header lists but the folder lacks.
DOCUMENT_MISSING = "efm.documentMissing"

#: Python packages the plugin needs besides Arelle's own (holidays is a form8k dependency).
_REQUIRED_MODULES = ("arelle", "pytz", "holidays")

_HOW_TO_GET = (
    "Get the SEC's EDGAR plugin for Arelle with `git clone https://github.com/Arelle/EDGAR` (keep "
    "the folder name EDGAR) and pass its folder with --edgar-plugin, set "
    f"{PLUGIN_ENV}, or add `edgar_plugin: <folder>` to form8k.yaml."
)
_HOW_TO_INSTALL = "EDGAR validation needs arelle-release and pytz: pip install 'form8k[edgar]'."

_DEI_NAMESPACE = re.compile(r'xmlns:[\w.-]+\s*=\s*["\']http://xbrl\.sec\.gov/dei/(\d{4})')
_RELEASE_DEI = re.compile(r"xbrl\.sec\.gov/dei/(\d{4})/")
_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")

#: Arelle's level names that are errors (besides any name starting with ERROR).
_ERROR_LEVELS = frozenset({"CRITICAL", "FATAL"})

_LOCK = threading.Lock()


class EdgarPluginError(UsageError):
    """The EDGAR plugin, or Arelle and the packages it needs, cannot be found."""


# --- setup ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EdgarSetup:
    """Where the EDGAR plugin and the taxonomies come from."""

    #: A checkout of github.com/Arelle/EDGAR: the folder holding validate/, validateHtm/,
    #: transform/ (named EDGAR).
    plugin: Path
    #: A folder in Arelle's web-cache layout (``https/xbrl.sec.gov/...``): Arelle works offline
    #: and reads the standard taxonomies from it (never writes). None: Arelle downloads them
    #: and caches them in its default place.
    cache: Path | None = None
    #: efm-strict (adds EDGAR's non-blocking warnings) instead of efm-pragmatic.
    strict: bool = False

    @classmethod
    def locate(
        cls,
        explicit: Path | str | None = None,
        *,
        config: Path | str | None = None,
        base: Path | None = None,
        cache: Path | str | None = None,
        strict: bool = False,
    ) -> EdgarSetup:
        """Find the plugin (see :func:`find_plugin`) and return a checked setup."""
        plugin = find_plugin(explicit, config=config, base=base)
        cache_path = Path(cache).expanduser().resolve() if cache is not None else None
        if cache_path is not None and not cache_path.is_dir():
            raise EdgarPluginError(f"the taxonomy cache folder {cache_path} does not exist")
        return cls(plugin=plugin, cache=cache_path, strict=strict)


#: A taxonomy cache given in the environment (``--edgar-cache`` first, ``edgar_cache:`` after).
CACHE_ENV = "FORM8K_EDGAR_CACHE"


def project_setup(root: Path, plugin: Path | None = None, cache: Path | None = None) -> EdgarSetup:
    """The plugin's setup for the project at ``root``: the plugin from ``plugin``
    (--edgar-plugin), $FORM8K_EDGAR_PLUGIN or ``edgar_plugin:`` in form8k.yaml; the taxonomy
    cache from ``cache`` (--edgar-cache), $FORM8K_EDGAR_CACHE or ``edgar_cache:``.
    ``EdgarPluginError`` when the plugin is not there."""
    from form8k.config import load_config
    from form8k.load import LoadError

    try:
        config = load_config(root)
    except LoadError as error:
        raise UsageError(error.problems) from None
    if cache is None:
        cache = Path(os.environ[CACHE_ENV]) if os.environ.get(CACHE_ENV) else config.edgar_cache
    return EdgarSetup.locate(plugin, config=config.edgar_plugin, base=root, cache=cache)


def find_plugin(
    explicit: Path | str | None = None,
    *,
    config: Path | str | None = None,
    base: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Path:
    """The EDGAR plugin folder: from `explicit` (--edgar-plugin), else $FORM8K_EDGAR_PLUGIN,
    else `config` (``edgar_plugin:`` in form8k.yaml, relative to `base`).

    The first one given is used and must be the plugin; Arelle and pytz must be importable.
    Raises :class:`EdgarPluginError` with what to do when anything is missing.
    """
    env = os.environ if environ is None else environ
    candidates: list[tuple[str, Path]] = []
    if explicit:
        candidates.append(("--edgar-plugin", Path(explicit)))
    if env.get(PLUGIN_ENV):
        candidates.append((PLUGIN_ENV, Path(env[PLUGIN_ENV])))
    if config:
        path = Path(config).expanduser()
        if base is not None and not path.is_absolute():
            path = base / path
        candidates.append(("edgar_plugin in form8k.yaml", path))
    if not candidates:
        raise EdgarPluginError(f"No EDGAR plugin is configured. {_HOW_TO_GET}")
    source, path = candidates[0]
    path = path.expanduser().resolve()
    if not path.is_dir():
        raise EdgarPluginError(f"{source} names {path}, which does not exist. {_HOW_TO_GET}")
    missing = [
        part
        for part in ("validate", "validateHtm", "transform")
        if not (path / part / "__init__.py").is_file()
    ]
    if missing:
        raise EdgarPluginError(
            f"{source} names {path}, which is not the EDGAR plugin (no "
            + ", ".join(f"{m}/__init__.py" for m in missing)
            + f"). {_HOW_TO_GET}"
        )
    if path.name != "EDGAR":
        raise EdgarPluginError(
            f"{source} names {path}: the plugin folder must be named EDGAR (the plugin loads "
            f"EDGAR/transform by that name). {_HOW_TO_GET}"
        )
    check_requirements()
    return path


def check_requirements() -> None:
    """Raise :class:`EdgarPluginError` unless Arelle and the plugin's packages are importable."""
    missing = [name for name in _REQUIRED_MODULES if importlib.util.find_spec(name) is None]
    if missing:
        raise EdgarPluginError(f"{_HOW_TO_INSTALL} (missing: {', '.join(missing)})")


# --- the submission ---------------------------------------------------------------------------


class SubmissionDocument(NamedTuple):
    """One document of the submission, as EDGAR's header lists it."""

    file: str  #: file name in the submission folder
    type: str  #: EDGAR document type: "8-K", "EX-99.1", "EX-101.SCH", "GRAPHIC", ...
    inline_xbrl: bool = False


@dataclass(frozen=True)
class SubmissionHeader:
    """The EDGAR header values the EFM rules compare the documents with."""

    form_type: str  #: submission type, "8-K"
    cik: str | None  #: the filer's CIK, 10 digits
    period: date | None  #: period of report (a Form 8-K: the date of report)
    items: Sequence[str] = ()  #: Form 8-K items, "2.02"
    documents: Sequence[SubmissionDocument] = ()
    #: CIKs of co-registrants; passed with the filer's as the plugin's ``cikNameList``, the
    #: submission's filer list, which dei:EntityCentralIndexKey must be in.
    co_registrant_ciks: Sequence[str] = ()
    #: the filer's fiscal year end in EDGAR's registration, "MM/DD" (optional)
    fiscal_year_end: str | None = None

    def entry_parameters(self) -> dict[str, Any]:
        """The plugin's entry point parameters for this header (without file and document type)."""
        params: dict[str, Any] = {"submissionType": self.form_type}
        if self.cik:
            params["cik"] = _cik(self.cik)
        if self.co_registrant_ciks:
            ciks = [_cik(c) for c in (self.cik, *self.co_registrant_ciks) if c]
            params["cikNameList"] = dict.fromkeys(ciks)  # no names: EDGAR's are not known here
        if self.period is not None:
            params["periodOfReport"] = self.period.strftime("%m-%d-%Y")
        if self.items:
            params["itemsList"] = list(self.items)
        if self.fiscal_year_end:
            params["entityRegistration.fyEnd"] = self.fiscal_year_end
        # the XULE plugin (EDGAR's DQC rules for recent us-gaap) is not loaded: run the plugin's
        # Python-coded DQC rules for every taxonomy year instead
        params["dqcRuleFilter"] = "XULE:9999|.*"
        return params


def _cik(value: str) -> str:
    value = str(value).strip()
    return value.zfill(10) if value.isdigit() else value


def read_manifest_header(folder: Path) -> SubmissionHeader:
    """The header of a folder form8k wrote, from its ``manifest.json``.

    Reads form_type, cik, date_of_report, items, documents [{file, type, inline_xbrl}] and, when
    present, co_registrants [{cik, ...}] and fiscal_year_end ("MM/DD" or "--MM-DD").
    """
    data = json.loads((Path(folder) / "manifest.json").read_text(encoding="utf-8"))
    period = data.get("date_of_report")
    fye = data.get("fiscal_year_end")
    if isinstance(fye, str) and re.fullmatch(r"--\d\d-\d\d", fye):
        fye = f"{fye[2:4]}/{fye[5:7]}"
    return SubmissionHeader(
        form_type=str(data.get("form_type") or "8-K"),
        cik=str(data["cik"]) if data.get("cik") else None,
        period=date.fromisoformat(period) if period else None,
        items=[str(i) for i in data.get("items") or []],
        documents=[
            SubmissionDocument(str(d["file"]), str(d["type"]), bool(d.get("inline_xbrl")))
            for d in data.get("documents") or []
        ],
        co_registrant_ciks=[
            str(c["cik"]) for c in data.get("co_registrants") or [] if c.get("cik")
        ],
        fiscal_year_end=fye if isinstance(fye, str) and fye else None,
    )


# --- messages ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class EfmMessage:
    """One error or warning of the EDGAR plugin."""

    severity: Literal["error", "warning"]
    code: str  #: "EFM.6.10.01", "EFM.5.02.02.03.unrecognizedElement", "efm.arelleFailed"
    #: the submission file the message points at (its first reference to one), else `entry`
    document: str
    text: str  #: one line
    #: line in `document` where Arelle gives one; for a message about a whole document, the line
    #: of its root element
    line: int | None = None
    fact_ids: tuple[str, ...] = ()  #: ids of the Inline XBRL facts the message refers to
    #: the document whose run reported it: the (first) Inline XBRL document, or the HTML exhibit
    entry: str = ""

    def display(self) -> str:
        """``document:line: severity: code: text [facts: id, ...]``"""
        where = self.document + (f":{self.line}" if self.line is not None else "")
        facts = f" [facts: {', '.join(self.fact_ids)}]" if self.fact_ids else ""
        return f"{where}: {self.severity}: {self.code}: {self.text}{facts}"


# --- running ----------------------------------------------------------------------------------


def validate_submission(
    folder: Path, header: SubmissionHeader, setup: EdgarSetup
) -> list[EfmMessage]:
    """Run the EDGAR plugin on the submission in `folder` and return its errors and warnings.

    The Inline XBRL documents of `header` (one document set) go through EDGAR/validate, every other
    ``.htm``/``.html`` document through EDGAR/validateHtm. Never raises for what Arelle does: a
    crash comes back as an ``efm.arelleFailed`` error. Raises :class:`EdgarPluginError` when the
    plugin or Arelle is missing.
    """
    folder = Path(folder).resolve()
    plugin = find_plugin(setup.plugin)
    names = {p.name for p in folder.iterdir() if p.is_file()} if folder.is_dir() else set()
    messages: list[EfmMessage] = []
    present: list[SubmissionDocument] = []
    for doc in header.documents:
        if doc.file in names:
            present.append(doc)
        else:
            text = f"{doc.file} ({doc.type}) is not in {folder}"
            messages.append(EfmMessage("error", DOCUMENT_MISSING, doc.file, text, entry=doc.file))
    # the primary document (its type is the submission type) leads the Inline XBRL document set
    inline = sorted(
        (d for d in present if d.inline_xbrl), key=lambda d: not d.type.startswith(header.form_type)
    )
    html = [d for d in present if not d.inline_xbrl and d.file.lower().endswith((".htm", ".html"))]
    runs: list[tuple[str, str, str, str]] = []  # (entry point, plugins, disclosure system, name)
    if inline:
        params = header.entry_parameters()
        if len(inline) == 1:
            entry: dict[str, Any] = {
                "file": str(folder / inline[0].file),
                "attachmentDocumentType": inline[0].type,
                **params,
            }
        else:  # EDGAR: a submission's Inline XBRL documents are one document set
            entry = {
                "ixds": [
                    {
                        "file": str(folder / d.file),
                        "submissionType": header.form_type,
                        "attachmentDocumentType": d.type,
                    }
                    for d in inline
                ],
                "attachmentDocumentType": inline[0].type,
                **params,
            }
        ds = _disclosure_system(plugin, folder / inline[0].file, setup.strict)
        runs.append(
            (
                json.dumps([entry]),
                f"{plugin / 'validate'}|inlineXbrlDocumentSet",
                ds,
                inline[0].file,
            )
        )
    for doc in html:
        runs.append((str(folder / doc.file), str(plugin / "validateHtm"), "efm-htm", doc.file))
    if runs:
        with _LOCK, _quiet() as captured, _remember_plugin_discovery():
            runner = _Runner(setup, plugin, names, captured)
            for run in runs:
                messages += runner.run(*run)
    return messages


@lru_cache(maxsize=8)
def _release_dei_years(plugin: Path) -> frozenset[str]:
    """The dei years of the plugin's current release (efm-pragmatic's taxonomy list)."""
    validate = plugin / "validate"
    try:
        root = ElementTree.parse(validate / "config.xml").getroot()
    except (OSError, ElementTree.ParseError):
        return frozenset()
    for system in root.iter():
        if "efm-pragmatic" in (system.get("names") or "").split("|"):
            url = system.get("standardTaxonomiesUrl")
            if url:
                try:
                    text = (validate / url).read_text(encoding="utf-8", errors="replace")
                except OSError:
                    return frozenset()
                return frozenset(_RELEASE_DEI.findall(text))
    return frozenset()


def _disclosure_system(plugin: Path, primary: Path, strict: bool) -> str:
    base = "efm-strict" if strict else "efm-pragmatic"
    try:
        match = _DEI_NAMESPACE.search(primary.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        match = None
    if match and match.group(1) in _release_dei_years(plugin):
        return base
    return base + "-all-years"


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _forget_plugin_modules(plugin: Path) -> None:
    """Drop the plugin's modules from sys.modules (the plugin manager re-executes the package,
    but its submodules would otherwise keep their state from an earlier run)."""
    prefix = str(plugin) + os.sep
    for name, module in list(sys.modules.items()):
        location = getattr(module, "__file__", None)
        if location and str(location).startswith(prefix):
            del sys.modules[name]


@contextlib.contextmanager
def _quiet() -> Iterator[io.StringIO]:
    """Capture what Arelle prints and silence the warnings it raises."""
    captured = io.StringIO()
    with (
        warnings.catch_warnings(),
        contextlib.redirect_stdout(captured),
        contextlib.redirect_stderr(captured),
    ):
        warnings.simplefilter("ignore")
        yield captured
        gc.collect()  # files Arelle left open warn when collected: within the filter


class _Runner:
    """The Arelle runs over one submission: one fresh session per entry point.

    (One session cannot serve two runs with plugins in Arelle 2.47: a run closes the plugin
    manager, which loses its configuration, and only a new controller sets it up again.)
    """

    def __init__(self, setup: EdgarSetup, plugin: Path, names: set[str], output: io.StringIO):
        self.setup, self.plugin, self.names, self.output = setup, plugin, names, output

    def run(self, entry: str, plugins: str, disclosure_system: str, name: str) -> list[EfmMessage]:
        """One entry point: its errors and warnings."""
        messages: list[EfmMessage] = []
        try:
            from arelle.api.Session import Session
            from arelle.RuntimeOptions import RuntimeOptions

            options = RuntimeOptions(
                entrypointFile=entry,
                plugins=plugins,
                disclosureSystemName=disclosure_system,
                validate=True,
                internetConnectivity="offline" if self.setup.cache is not None else "online",
                cacheDirectory=str(self.setup.cache) if self.setup.cache is not None else None,
                disablePersistentConfig=True,  # neither read nor write ~/.config/arelle
                keepOpen=True,  # to tell facts among the objects messages refer to
                logPropagate=False,
                logRefObjectProperties=False,
            )
            collector = _Collector()
            _forget_plugin_modules(self.plugin)
            try:
                with Session() as session:
                    ok = session.run(options, logHandler=collector)
                    models = session.get_models()
                    try:
                        for record in collector.records:
                            message = _message(record, models, self.names, name)
                            if message is not None:
                                messages.append(message)
                    finally:
                        for model in list(models):
                            model.close()
            finally:
                _forget_plugin_modules(self.plugin)
            if not ok and not any(m.severity == "error" for m in messages):
                messages.append(_failed(name, "Arelle reported a failed run", self.output))
        except (Exception, SystemExit) as err:
            messages.append(_failed(name, f"{type(err).__name__}: {err}", self.output))
        return messages


#: Arelle's built-in plugins, as its plugin manager discovers them (by plugin folder).
_DISCOVERED: dict[str, Any] = {}


@contextlib.contextmanager
def _remember_plugin_discovery() -> Iterator[None]:
    """Let Arelle scan its built-in plugins once per process instead of once per session.

    To resolve a plugin name, every new session parses all ~140 plugin files Arelle ships
    (a quarter of a second); what it finds cannot change while the process runs. While our runs
    last, the discovery is remembered. Arelle internals: without them, nothing is changed.
    """
    try:
        from arelle.plugin_system.entry_point_ref import EntryPointRef

        original = EntryPointRef.__dict__["discoverAll"]
        discover = original.__func__
    except (ImportError, KeyError, AttributeError):
        yield
        return

    def discover_all(plugin_manager: Any = None) -> Any:
        from arelle.PluginManager import getInstance

        manager = plugin_manager or getInstance()
        key = str(getattr(manager, "_pluginBase", ""))
        if key not in _DISCOVERED:
            _DISCOVERED[key] = discover(plugin_manager=plugin_manager)
        manager._entryPointRefCache = _DISCOVERED[key]
        return _DISCOVERED[key]

    setattr(EntryPointRef, "discoverAll", staticmethod(discover_all))  # noqa: B010
    try:
        yield
    finally:
        setattr(EntryPointRef, "discoverAll", original)  # noqa: B010


def _failed(entry_name: str, what: str, output: io.StringIO) -> EfmMessage:
    tail = _fold(output.getvalue())[-500:]
    text = f"Arelle failed on {entry_name}: {_fold(what)}" + (f" (output: {tail})" if tail else "")
    return EfmMessage("error", ARELLE_FAILED, entry_name, text, entry=entry_name)


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _severity(record: logging.LogRecord) -> Literal["error", "warning"] | None:
    level = record.levelname.upper()
    if level.startswith("ERROR") or level in _ERROR_LEVELS or record.levelno >= logging.ERROR:
        return "error"
    if record.levelno >= logging.WARNING and level != "ASSERTION-SATISFIED":
        return "warning"
    return None


class _Ref(NamedTuple):
    """An Arelle message reference, resolved against the submission and the model."""

    file: str | None  #: the submission file it names, if any
    fragment: str
    line: int | None
    fact_id: str | None  #: the id of the Inline XBRL fact it is, if it is one
    order: int  #: the object's index in Arelle's model (document order), 0 if unknown


def _message(
    record: logging.LogRecord,
    models: Sequence[Any],
    names: set[str],
    entry_name: str,
) -> EfmMessage | None:
    severity = _severity(record)
    if severity is None:
        return None
    try:
        text = record.getMessage()
    except (TypeError, ValueError, KeyError):
        text = str(record.msg)
    refs = [
        _resolve(ref, models, names)
        for ref in getattr(record, "refs", None) or []
        if isinstance(ref, Mapping)
    ]
    # Arelle lists the facts of a concept in no fixed order: put them in document order
    positions = [i for i, ref in enumerate(refs) if ref.fact_id]
    for i, ref in zip(
        positions, sorted((refs[i] for i in positions), key=lambda r: r.order), strict=True
    ):
        refs[i] = ref
    document, line = entry_name, None
    for ref in refs:  # the first object in a submission file is what the message is about
        if ref.file is not None:
            document, line = ref.file, ref.line
            if line is None and not ref.fragment:  # about the whole document: its root element
                line = _root_line(models, ref.file)
            break
    fact_ids = tuple(dict.fromkeys(ref.fact_id for ref in refs if ref.fact_id))
    return EfmMessage(
        severity=severity,
        code=str(getattr(record, "messageCode", "") or ""),
        document=document,
        text=_fold(text),
        line=line,
        fact_ids=fact_ids,
        entry=entry_name,
    )


def _resolve(ref: Mapping[str, Any], models: Sequence[Any], names: set[str]) -> _Ref:
    path, _, fragment = str(ref.get("href") or "").partition("#")
    name = Path(path).name if path and not _URL.match(path) else None
    source_line = ref.get("sourceLine")
    line = int(str(source_line)) if str(source_line).isdigit() else None
    obj = _model_object(models, ref.get("objectId"))
    fact_id = None
    if obj is not None:
        from arelle.ModelInstanceObject import ModelFact

        if isinstance(obj, ModelFact) and obj.id:
            fact_id = str(obj.id)
    order = getattr(obj, "objectIndex", 0)
    return _Ref(
        file=name if name in names else None,
        fragment=fragment,
        line=line,
        fact_id=fact_id,
        order=order if isinstance(order, int) else 0,
    )


def _model_object(models: Sequence[Any], object_id: object) -> Any:
    if not object_id:
        return None
    for model in models:
        try:
            obj = model.modelObject(object_id)
        except (AttributeError, IndexError, KeyError, TypeError, ValueError):
            continue
        if obj is not None:
            return obj
    return None


def _root_line(models: Sequence[Any], name: str) -> int | None:
    for model in models:
        for document in getattr(model, "urlDocs", {}).values():
            if "://" not in document.uri and Path(document.uri).name == name:
                root = getattr(document, "xmlRootElement", None)
                line = getattr(root, "sourceline", None)
                return line if isinstance(line, int) else None
    return None


__all__ = [
    "ARELLE_FAILED",
    "DOCUMENT_MISSING",
    "PLUGIN_ENV",
    "EdgarPluginError",
    "EdgarSetup",
    "EfmMessage",
    "SubmissionDocument",
    "SubmissionHeader",
    "check_requirements",
    "find_plugin",
    "read_manifest_header",
    "validate_submission",
]
