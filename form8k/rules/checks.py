"""Helpers every model check uses: a finding located in filing.yaml or in company.yaml."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from form8k.errors import KeyPath
from form8k.model import FilingBundle
from form8k.rules import Finding

Check = Callable[[FilingBundle], Iterator[Finding]]


def at_filing(bundle: FilingBundle, rule: str, path: KeyPath, **arguments: object) -> Finding:
    """A finding about the value of filing.yaml at ``path``."""
    return Finding(rule, bundle.filing_sources.locate(path), arguments)


def at_company(bundle: FilingBundle, rule: str, path: KeyPath, **arguments: object) -> Finding:
    """A finding about the company's value at ``path`` (company.yaml or the filing's override)."""
    return Finding(rule, bundle.company_sources.locate(path), arguments)


def at_registrant(
    bundle: FilingBundle, index: int, rule: str, path: KeyPath, **arguments: object
) -> Finding:
    """A finding about the ``index``-th registrant's value at ``path``."""
    sources, prefix = bundle.registrant_sources(index)
    return Finding(rule, sources.locate((*prefix, *path)), arguments)
