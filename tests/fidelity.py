"""How faithfully a rebuilt filing reproduces a real one (a test helper, not a test).

``words(html)`` is the text a reader sees, as lower-case words and numbers, from an HTML
document (the Inline XBRL header and anything hidden left out); ``pdf_words(pdf)`` the same
from a PDF through poppler's ``pdftotext``. ``in_order(real, ours)`` is the share of the real
words that ours has in the same order (the longest common subsequence, as difflib finds it),
and the reverse share says how little we add. ``instance_facts`` reads the dei facts of a
real EDGAR XBRL instance (``*_htm.xml``) with their dimensions, for comparing with the facts
read back from our Inline XBRL.
"""

from __future__ import annotations

import difflib
import html
import re
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import lxml.etree
import lxml.html

WORD = re.compile(r"[a-z0-9]+")
_BLOCKS = "p div td th tr li br h1 h2 h3 h4 h5 h6 table hr title".split()


def normalize(text: str) -> list[str]:
    """Lower-case words and numbers of ``text``, accents and typography folded."""
    text = unicodedata.normalize("NFKD", html.unescape(text))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return WORD.findall(text.lower())


def words(document: bytes) -> list[str]:
    """The words a reader sees in an HTML or Inline XBRL document."""
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)
    root = lxml.html.document_fromstring(document, parser=parser)
    for element in root.xpath(
        "//*[local-name()='header'] | //script | //style | //head"
        " | //*[contains(translate(@style,' ',''),'display:none')]"
    ):
        element.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.split("}")[-1].lower() in _BLOCKS:
            element.tail = " " + (element.tail or "")
            if element.text is not None:
                element.text = " " + element.text
    return normalize(root.text_content())


def pdf_words(pdf: Path) -> list[str]:
    """The words of a PDF in the order its pages draw them (pdftotext ``-raw``): WeasyPrint
    draws the text in the document's order, which a reader follows; pdftotext's default
    rearranges wide tables into column blocks."""
    text = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    return normalize(text)


def in_order(real: list[str], ours: list[str]) -> float:
    """The share of ``real``'s words that ``ours`` has in the same order."""
    if not real:
        return 1.0
    matcher = difflib.SequenceMatcher(None, real, ours, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(real)


def missing(real: list[str], ours: list[str], limit: int = 40) -> list[str]:
    """Runs of real words that ours lacks (for a failing test's message)."""
    matcher = difflib.SequenceMatcher(None, real, ours, autojunk=False)
    gaps = [
        " ".join(real[i1:i2])
        for tag, i1, i2, _, _ in matcher.get_opcodes()
        if tag in ("delete", "replace")
    ]
    return gaps[:limit]


@dataclass(frozen=True)
class InstanceFact:
    """A dei fact as EDGAR's XBRL instance has it."""

    concept: str
    dimensions: frozenset[tuple[str, str]]
    value: str


def instance_facts(instance: Path) -> set[InstanceFact]:
    """The dei facts of a real submission's XBRL instance, with their explicit members (as
    ``prefix:Name`` pairs, the prefixes those of the standard taxonomies)."""
    data = instance.read_bytes()
    # EDGAR's own copies may keep the <XML> wrapper of the submission text around the instance
    data = data[data.find(b"<?xml") :] if b"<?xml" in data else data
    data = data.split(b"</XML>")[0]
    root = lxml.etree.fromstring(data)
    contexts: dict[str, frozenset[tuple[str, str]]] = {}
    for context in root.iter("{http://www.xbrl.org/2003/instance}context"):
        pairs = set()
        for member in context.iter("{http://xbrl.org/2006/xbrldi}explicitMember"):
            pairs.add(
                (
                    _prefixed(member, member.get("dimension", "")),
                    _prefixed(member, member.text or ""),
                )
            )
        contexts[context.get("id", "")] = frozenset(pairs)
    facts = set()
    for element in root:
        if not isinstance(element.tag, str) or "/dei/" not in element.tag:
            continue
        name = element.tag.split("}")[1]
        value = " ".join((element.text or "").split())
        facts.add(
            InstanceFact(
                f"dei:{name}", contexts.get(element.get("contextRef", ""), frozenset()), value
            )
        )
    return facts


def _prefixed(element: lxml.etree._Element, qname: str) -> str:
    """A QName with a standard prefix for a standard namespace (``dei``, ``us-gaap``, ...)."""
    qname = qname.strip()
    prefix, _, local = qname.rpartition(":")
    namespace = element.nsmap.get(prefix or None, "")
    for known in ("dei", "us-gaap", "exch", "srt"):
        if f"/{known}/" in namespace:
            return f"{known}:{local}"
    return f"ext:{local}" if prefix else local


def report() -> str:
    """Rebuild every fixture of tests/fixtures/real and tabulate how faithful each document is
    (``python -m tests.fidelity``)."""
    import json
    import shutil
    import tempfile

    import yaml

    from form8k.pipeline import Project, build
    from form8k.xbrl.readback import read_document

    repo = Path(__file__).resolve().parent.parent
    fixtures = repo / "tests" / "fixtures" / "real"
    real_root = repo.parent / "shared" / "reference" / "real-filings"
    rows = [
        "| filing | document | HTML real in ours | ours in real | PDF real in ours | ours in real "
        "| dei facts |",
        "|---|---|---|---|---|---|---|",
    ]
    for case in sorted(p for p in fixtures.iterdir() if (p / "expect.yaml").is_file()):
        expect = yaml.safe_load((case / "expect.yaml").read_text())
        real = real_root / expect["real"]
        with tempfile.TemporaryDirectory() as temp:
            root = Path(temp) / "project"
            shutil.copytree(case / "content", root / "content")
            shutil.copytree(repo / "templates", root / "templates")
            result = build(Project.at(root), out=root / "output", strict=True).results[0]
            folder = root / "output" / result.key
            manifest = json.loads((folder / "manifest.json").read_text())
            by_type = {d["type"]: folder / d["file"] for d in manifest["documents"]}
            facts = "n/a (no Inline XBRL)"
            instances = sorted(real.glob("*_htm.xml"))
            if instances:
                theirs = instance_facts(instances[0])
                found, contexts, _, _ = read_document(by_type["8-K"].read_bytes())
                dims = {c.id: c.dimensions for c in contexts}
                ours = {
                    InstanceFact(
                        f.concept,
                        frozenset(
                            (
                                a,
                                m
                                if m.split(":")[0] in ("dei", "us-gaap", "exch")
                                else "ext:" + m.split(":", 1)[1],
                            )
                            for a, m in dims[f.context]
                        ),
                        " ".join((f.value or "").split()),
                    )
                    for f in found
                }
                facts = f"{len(theirs & ours)} of {len(theirs)}"
            for edgar_type, name in expect["documents"].items():
                real_words = words((real / name).read_bytes())
                html = words(by_type[edgar_type].read_bytes())
                pdf = pdf_words(by_type[edgar_type].with_suffix(".pdf"))
                rows.append(
                    f"| {case.name} | {edgar_type} | {in_order(real_words, html):.3f} | "
                    f"{in_order(html, real_words):.3f} | {in_order(real_words, pdf):.3f} | "
                    f"{in_order(pdf, real_words):.3f} | {facts} |"
                )
    return "\n".join(rows)


if __name__ == "__main__":
    print(report())
