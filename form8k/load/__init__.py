"""Content files -> model: read the text (``text``), validate it against the model
(``schema``), resolve the files it names (``files``), and put one filing together
(``filing``)."""

from form8k.load.files import GRAPHIC_SUFFIXES, image_matches_suffix, resolve_reference
from form8k.load.filing import find_company_file, load_filing
from form8k.load.schema import validate
from form8k.load.text import (
    MAX_NODES,
    LoadError,
    parse_yaml,
    read_front_matter,
    read_text,
    read_yaml_file,
)
from form8k.project import find_filings

__all__ = [
    "GRAPHIC_SUFFIXES",
    "MAX_NODES",
    "LoadError",
    "find_company_file",
    "find_filings",
    "image_matches_suffix",
    "load_filing",
    "parse_yaml",
    "read_front_matter",
    "read_text",
    "read_yaml_file",
    "resolve_reference",
    "validate",
]
