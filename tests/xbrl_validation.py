"""Run Arelle over an Inline XBRL document and say what it found (a test helper, not a test).

`validate_inline(primary)` runs Arelle (``arelle-release``) in this process through its supported
Python API, ``arelle.api.Session`` with ``RuntimeOptions``, on an Inline XBRL 1.1 document whose
extension schema and linkbases lie beside it. Validation is on (XHTML schema, Inline XBRL 1.1,
XBRL 2.1, Dimensions 1.0) and Arelle works **offline**: it never touches the network, and its web
cache is an empty temporary directory, so nothing a developer once downloaded can leak in.

Offline, the SEC and FASB taxonomies (dei, us-gaap, ...) cannot load, and Arelle reports what
follows from that. `unexpected_messages(result)` drops exactly those reports and keeps everything
else; each rule matches the message code *and* the SEC/FASB/XBRL-org URL, namespace or transform
the message names (see `OFFLINE_RULES`):

- ``IOerror`` for a schema URL on xbrl.sec.gov, xbrl.fasb.org or www.xbrl.org;
- ``ix11.12.1.2:missingReferences`` for a fact whose concept is in an SEC or FASB namespace that
  no loaded schema declares;
- ``ix11.11.1.2:invalidTransformation`` for a format in the SEC's transformation namespace whose
  name is one of the SEC's transforms (core Arelle has no ``ixt-sec``; the SEC's own transforms
  are an Arelle plugin kept outside PyPI);
- ``xbrldie:ExplicitMemberNotExplicitDimensionError`` for an axis, and
  ``xbrldie:ExplicitMemberUndefinedQNameError`` for a member, in an SEC or FASB namespace that no
  loaded schema declares.

With taxonomy packages (argument, or ``FORM8K_TAXONOMY_PACKAGES``: zip files separated by
``os.pathsep``) Arelle maps the taxonomy URLs into the packages and runs the full validation, still
offline; then only the ``ixt-sec`` rule applies, since no taxonomy package can teach core Arelle
the SEC's transforms.
"""

from __future__ import annotations

import gc
import logging
import os
import re
import tempfile
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

#: Environment variable naming taxonomy package zip files (separated by os.pathsep).
TAXONOMY_PACKAGES_ENV = "FORM8K_TAXONOMY_PACKAGES"

#: The SEC's Inline XBRL transformation namespace (prefix ixt-sec) and its transforms, as the
#: SEC's Inline XBRL viewer lists them.
SEC_TRANSFORM_NAMESPACE = "http://www.sec.gov/inlineXBRL/transformation/2015-08-31"
SEC_TRANSFORMS = frozenset(
    {
        "boolballotbox",
        "yesnoballotbox",
        "countrynameen",
        "stateprovnameen",
        "exchnameen",
        "edgarprovcountryen",
        "entityfilercategoryen",
        "duryear",
        "durmonth",
        "durweek",
        "durday",
        "durhour",
        "durwordsen",
        "numinf",
        "numneginf",
        "numnan",
        "numwordsen",
        "datequarterend",
    }
)

#: Hosts of the standard taxonomies that an offline Arelle cannot reach.
TAXONOMY_HOSTS = frozenset({"xbrl.sec.gov", "xbrl.fasb.org", "www.xbrl.org"})

#: Namespaces of the SEC's (dei, country, exch, ...) and the FASB's (us-gaap, srt, ...) taxonomies.
_STANDARD_NAMESPACE = re.compile(
    r"http://(?:xbrl\.sec\.gov|fasb\.org)/[a-z][a-z-]*/\d{4}(?:-\d{2}-\d{2})?"
)
_IX_HIDDEN = "{http://www.xbrl.org/2013/inlineXBRL}hidden"
_PREFIXED_NAME = re.compile(r"([A-Za-z_][\w.-]*):([A-Za-z_][\w.-]*)")

#: Levels that are reports of a problem (Arelle adds WARNING-SEMANTIC, INCONSISTENCY, ...).
_NOT_PROBLEMS = frozenset({"ASSERTION-SATISFIED"})


@dataclass(frozen=True)
class ArelleMessage:
    """One message Arelle logged."""

    code: str  #: e.g. "ix11.12.1.2:missingReferences"
    level: str  #: "ERROR", "WARNING", "INFO", ...
    levelno: int  #: logging's number for the level (WARNING = 30)
    text: str  #: the message as Arelle words it
    args: Mapping[str, str]  #: its named arguments (qname, url, namespace, value, ...)
    refs: tuple[str, ...]  #: hrefs of the objects it is about ("cat-20220428.htm#id...")
    #: Each prefixed name among args ("dei:DocumentType") -> its namespace URI, resolved at the
    #: element the message is about; names that cannot be resolved are absent.
    namespaces: Mapping[str, str]

    @property
    def is_problem(self) -> bool:
        """An error, warning or inconsistency (not information or a satisfied assertion)."""
        return self.levelno >= logging.WARNING and self.level not in _NOT_PROBLEMS

    def __str__(self) -> str:
        return f"{self.level} [{self.code}] {self.text}"


@dataclass(frozen=True)
class LoadedDocument:
    """A document of the DTS that Arelle loaded."""

    uri: str  #: absolute file path for local files, URL otherwise
    kind: str  #: Arelle's document type: "inline XBRL instance", "schema", "linkbase", ...
    target_namespace: str | None


@dataclass(frozen=True)
class Fact:
    """A fact Arelle read out of the Inline XBRL document."""

    qname: str  #: prefixed, as written: "dei:DocumentType"
    namespace: str
    context_id: str | None
    #: Arelle's value after the transformation; "(ixTransformValueError)" where Arelle does
    #: not know the format (every ixt-sec one)
    value: str
    format: str | None  #: "ixt-sec:boolballotbox", or None
    id: str | None
    hidden: bool  #: inside ix:hidden


@dataclass(frozen=True)
class Context:
    """A context that facts refer to."""

    id: str
    entity_scheme: str
    entity_identifier: str
    period: Mapping[str, str]  #: as written: {"startDate": ..., "endDate": ...} or {"instant": ...}
    dimensions: Mapping[str, str]  #: axis -> member, both prefixed ("us-gaap:...Axis")


@dataclass(frozen=True)
class ArelleResult:
    """What one Arelle run logged and loaded."""

    primary: Path
    messages: tuple[ArelleMessage, ...]
    documents: tuple[LoadedDocument, ...]  #: every document of the DTS that loaded
    linkbase_refs: Mapping[str, str]  #: linkbase uri -> role of the linkbaseRef that loaded it
    facts: tuple[Fact, ...]
    contexts: Mapping[str, Context]  #: the contexts facts refer to, by id
    unused_context_ids: tuple[str, ...]  #: contexts in ix:resources that no fact refers to
    taxonomy_packages: tuple[Path, ...]  #: empty: offline without the standard taxonomies
    seconds: float  #: wall time of the Arelle run

    @property
    def full_validation(self) -> bool:
        """Whether the standard taxonomies were available (from taxonomy packages)."""
        return bool(self.taxonomy_packages)

    @property
    def problems(self) -> list[ArelleMessage]:
        """Every error, warning or inconsistency, expected or not."""
        return [message for message in self.messages if message.is_problem]

    @property
    def loaded_namespaces(self) -> frozenset[str]:
        return frozenset(d.target_namespace for d in self.documents if d.target_namespace)

    def document(self, path: Path) -> LoadedDocument | None:
        """The loaded document at a local path, or None if Arelle did not load it."""
        wanted = path.resolve()
        for document in self.documents:
            if "://" not in document.uri and Path(document.uri).resolve() == wanted:
                return document
        return None


def taxonomy_packages_from_env() -> tuple[Path, ...]:
    """The taxonomy packages that FORM8K_TAXONOMY_PACKAGES names (none if it is unset)."""
    value = os.environ.get(TAXONOMY_PACKAGES_ENV, "")
    return tuple(Path(part) for part in value.split(os.pathsep) if part.strip())


def validate_inline(
    primary: Path,
    *,
    taxonomy_package: Path | Sequence[Path] | None = None,
) -> ArelleResult:
    """Run Arelle with validation on, offline, over the Inline XBRL document `primary`.

    `taxonomy_package`: taxonomy package zip file(s) for the standard taxonomies; None takes them
    from FORM8K_TAXONOMY_PACKAGES; an empty sequence forces the offline run without them.
    """
    from arelle.api.Session import Session
    from arelle.RuntimeOptions import RuntimeOptions

    primary = Path(primary).resolve()
    if not primary.is_file():
        raise FileNotFoundError(primary)
    if taxonomy_package is None:
        packages = taxonomy_packages_from_env()
    elif isinstance(taxonomy_package, Path | str):
        packages = (Path(taxonomy_package),)
    else:
        packages = tuple(Path(p) for p in taxonomy_package)
    packages = tuple(p.resolve() for p in packages)
    for package in packages:
        if not package.is_file():
            raise FileNotFoundError(f"taxonomy package {package} not found")

    collector = _Collector()
    with tempfile.TemporaryDirectory(prefix="form8k-arelle-cache-") as cache:
        options = RuntimeOptions(
            entrypointFile=str(primary),
            validate=True,
            internetConnectivity="offline",
            cacheDirectory=cache,
            packages=[str(p) for p in packages] or None,
            disablePersistentConfig=True,  # neither read nor write ~/.config/arelle
            keepOpen=True,  # keep the model open to read the DTS, facts and contexts
            logPropagate=False,
            logRefObjectProperties=False,
        )
        started = time.perf_counter()
        with warnings.catch_warnings():
            # Arelle 2.47 opens a taxonomy package's zip file for validation and never closes
            # it; the warning comes when the file object is collected.
            warnings.filterwarnings(
                "ignore",
                message=r"unclosed file <_io\.BufferedReader name='.*\.zip'>",
                category=ResourceWarning,
            )
            with Session() as session:
                session.run(options, logHandler=collector)
                seconds = time.perf_counter() - started
                models = session.get_models()
                try:
                    return _result(primary, packages, collector.records, models, seconds)
                finally:
                    for model in models:
                        model.close()
                    gc.collect()  # within the filter: collect what Arelle left open


def unexpected_messages(result: ArelleResult) -> list[ArelleMessage]:
    """The errors and warnings that do not follow from the standard taxonomies being unreachable.

    Offline (no taxonomy packages) every rule in OFFLINE_RULES applies; in a full validation only
    the ixt-sec rule does. An empty list means Arelle found nothing wrong.
    """
    return [m for m in result.problems if expected_because(m, result) is None]


def expected_because(message: ArelleMessage, result: ArelleResult) -> str | None:
    """Why `message` is expected in this run (a rule's description), or None if it is not."""
    for code, applies_offline_only, description, matches in OFFLINE_RULES:
        if message.code != code or (applies_offline_only and result.full_validation):
            continue
        if matches(message, result):
            return description
    return None


# --- the rules --------------------------------------------------------------------------------


def _unreachable_standard_namespace(namespace: str | None, result: ArelleResult) -> bool:
    return (
        namespace is not None
        and _STANDARD_NAMESPACE.fullmatch(namespace) is not None
        and namespace not in result.loaded_namespaces
    )


def _arg_namespace(message: ArelleMessage, arg: str) -> str | None:
    return message.namespaces.get(message.args.get(arg, ""))


def _taxonomy_url_unreachable(message: ArelleMessage, result: ArelleResult) -> bool:
    url = urlsplit(message.args.get("url", ""))
    return url.scheme in ("http", "https") and url.hostname in TAXONOMY_HOSTS


def _standard_fact_undefined(message: ArelleMessage, result: ArelleResult) -> bool:
    return _unreachable_standard_namespace(_arg_namespace(message, "qname"), result)


def _sec_transform(message: ArelleMessage, result: ArelleResult) -> bool:
    transform = message.args.get("transform", "")
    return (
        message.args.get("namespace") == SEC_TRANSFORM_NAMESPACE
        and message.namespaces.get(transform) == SEC_TRANSFORM_NAMESPACE
        and transform.rpartition(":")[2] in SEC_TRANSFORMS
    )


def _standard_axis_undefined(message: ArelleMessage, result: ArelleResult) -> bool:
    # Arelle words it "Context %(contextID)s %(dimension)s %(value)s ...": the axis is the value
    return _unreachable_standard_namespace(_arg_namespace(message, "value"), result)


def _standard_member_undefined(message: ArelleMessage, result: ArelleResult) -> bool:
    return _unreachable_standard_namespace(_arg_namespace(message, "value"), result)


_Rule = tuple[str, bool, str, Callable[[ArelleMessage, ArelleResult], bool]]

#: (message code, offline only, what it means, does the message name an SEC/FASB/XBRL-org thing)
OFFLINE_RULES: tuple[_Rule, ...] = (
    (
        "IOerror",
        True,
        "a schema on xbrl.sec.gov, xbrl.fasb.org or www.xbrl.org cannot be loaded offline",
        _taxonomy_url_unreachable,
    ),
    (
        "ix11.12.1.2:missingReferences",
        True,
        "a fact's concept is in an SEC/FASB taxonomy that was not loaded",
        _standard_fact_undefined,
    ),
    (
        "ix11.11.1.2:invalidTransformation",
        False,
        "an SEC transform (ixt-sec), which core Arelle does not implement",
        _sec_transform,
    ),
    (
        "xbrldie:ExplicitMemberNotExplicitDimensionError",
        True,
        "the axis is in an SEC/FASB taxonomy that was not loaded",
        _standard_axis_undefined,
    ),
    (
        "xbrldie:ExplicitMemberUndefinedQNameError",
        True,
        "the member is in an SEC/FASB taxonomy that was not loaded",
        _standard_member_undefined,
    ),
)


# --- reading Arelle's log and model -----------------------------------------------------------


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _result(
    primary: Path,
    packages: tuple[Path, ...],
    records: list[logging.LogRecord],
    models: list[Any],
    seconds: float,
) -> ArelleResult:
    from arelle.ModelDocument import Type

    model = models[0] if models else None
    documents: list[LoadedDocument] = []
    linkbase_refs: dict[str, str] = {}
    facts: list[Fact] = []
    contexts: dict[str, Context] = {}
    unused: tuple[str, ...] = ()
    if model is not None:
        for document in model.urlDocs.values():
            documents.append(
                LoadedDocument(
                    uri=document.uri,
                    kind=Type.typeName[document.type],
                    target_namespace=getattr(document, "targetNamespace", None),
                )
            )
            for referenced, reference in document.referencesDocument.items():
                referrer = getattr(reference, "referringModelObject", None)
                if referrer is not None and referrer.localName == "linkbaseRef":
                    role = referrer.get("{http://www.w3.org/1999/xlink}role") or ""
                    linkbase_refs[referenced.uri] = role
        for f in model.facts:
            facts.append(
                Fact(
                    qname=str(f.qname),
                    namespace=f.qname.namespaceURI,
                    context_id=f.contextID,
                    value=str(f.value),
                    format=str(f.format) if f.format is not None else None,
                    id=f.id,
                    hidden=any(True for _ in f.iterancestors(_IX_HIDDEN)),
                )
            )
        for context_id, context in model.contexts.items():
            contexts[context_id] = _context(context_id, context)
        unused = tuple(model.ixdsUnmappedContexts)
    messages = tuple(_message(record, model) for record in records)
    return ArelleResult(
        primary=primary,
        messages=messages,
        documents=tuple(documents),
        linkbase_refs=linkbase_refs,
        facts=tuple(facts),
        contexts=contexts,
        unused_context_ids=unused,
        taxonomy_packages=packages,
        seconds=seconds,
    )


def _context(context_id: str, context: Any) -> Context:
    scheme, identifier = context.entityIdentifier
    period = {
        child.localName: (child.text or "").strip()
        for child in (context.period if context.period is not None else ())
        if isinstance(child.tag, str)
    }
    dimensions = {}
    for axis, value in context.qnameDims.items():
        if value.isExplicit:
            dimensions[str(axis)] = str(value.memberQname)
        else:
            dimensions[str(axis)] = "".join(value.itertext()).strip()
    return Context(
        id=context_id,
        entity_scheme=str(scheme),
        entity_identifier=str(identifier),
        period=period,
        dimensions=dimensions,
    )


def _message(record: logging.LogRecord, model: Any) -> ArelleMessage:
    args = record.args if isinstance(record.args, Mapping) else {}
    try:
        text = record.getMessage()
    except (TypeError, ValueError, KeyError):
        text = str(record.msg)
    refs = getattr(record, "refs", None) or []
    elements = []
    if model is not None:
        for ref in refs:
            object_id = ref.get("objectId") if isinstance(ref, Mapping) else None
            element = model.modelObject(object_id) if object_id else None
            if element is not None and hasattr(element, "nsmap"):
                elements.append(element)
    namespaces: dict[str, str] = {}
    for value in args.values():
        match = _PREFIXED_NAME.fullmatch(str(value))
        if match is None:
            continue
        for element in elements:
            namespace = element.nsmap.get(match.group(1))
            if namespace:
                namespaces[str(value)] = namespace
                break
    return ArelleMessage(
        code=str(getattr(record, "messageCode", "") or ""),
        level=record.levelname,
        levelno=record.levelno,
        text=text,
        args={str(k): str(v) for k, v in args.items()},
        refs=tuple(str(r.get("href", "")) for r in refs if isinstance(r, Mapping)),
        namespaces=namespaces,
    )
