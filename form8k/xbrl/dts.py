"""The filing's extension taxonomy: schema, label, presentation and definition linkbases.

Generated from what the tagger tagged, so the DTS describes exactly the facts and members in the
document. Output is deterministic: no time stamps, ids made from names.
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from form8k.xbrl.labels import standard_label
from form8k.xbrl.members import AXES, CLASS_AXIS, EXCHANGE_AXIS, Member
from form8k.xbrl.tagger import Tagger
from form8k.xbrl.taxonomy import COVER_CONCEPTS, DTR_TYPES_SCHEMA, NS

XL = {
    "parent-child": "http://www.xbrl.org/2003/arcrole/parent-child",
    "concept-label": "http://www.xbrl.org/2003/arcrole/concept-label",
    "all": "http://xbrl.org/int/dim/arcrole/all",
    "hypercube-dimension": "http://xbrl.org/int/dim/arcrole/hypercube-dimension",
    "dimension-domain": "http://xbrl.org/int/dim/arcrole/dimension-domain",
    "dimension-default": "http://xbrl.org/int/dim/arcrole/dimension-default",
    "domain-member": "http://xbrl.org/int/dim/arcrole/domain-member",
}
LABEL_ROLE = "http://www.xbrl.org/2003/role/label"
TERSE_ROLE = "http://www.xbrl.org/2003/role/terseLabel"
LINK_ROLE = "http://www.xbrl.org/2003/role/link"
XBRLDT_SCHEMA = "http://www.xbrl.org/2005/xbrldt-2005.xsd"
LINKBASE_SCHEMA = "http://www.xbrl.org/2003/xbrl-linkbase-2003-12-31.xsd"
USED_ON = ("presentationLink", "calculationLink", "definitionLink")
"""EFM 6.7.11: a filer's role is declared for all three kinds of extended link."""


class MissingLabel(Exception):
    """A standard concept the cover page uses has no label in form8k's table."""


def _split(qname: str) -> tuple[str, str]:
    prefix, name = qname.split(":", 1)
    return prefix, name


def _q(prefix: str, name: str) -> str:
    return f"{{{NS[prefix]}}}{name}"


def _xl(name: str) -> str:
    return f"{{{NS['xlink']}}}{name}"


def _bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


class Dts:
    """Builds the four files of a tagged 8-K's extension taxonomy from its tagger."""

    def __init__(self, tagger: Tagger) -> None:
        self.tagger = tagger
        self.stem = tagger.bundle.document_stem
        self.prefix = tagger.extension_prefix
        self.namespace = tagger.extension_namespace
        self.role_uri = f"{self.namespace.rsplit('/', 1)[0]}/role/Cover"
        #: The axes used, in order, each with its members.
        self.axes = {axis: tagger.members(axis) for axis in AXES if tagger.members(axis)}
        used = {fact.concept.split(":", 1)[1] for fact in tagger.facts}
        self.concepts = [name for name in COVER_CONCEPTS if name in used]

    @property
    def names(self) -> dict[str, str]:
        """File name by role: schema, lab, pre, def."""
        return {
            "schema": f"{self.stem}.xsd",
            "lab": f"{self.stem}_lab.xml",
            "pre": f"{self.stem}_pre.xml",
            "def": f"{self.stem}_def.xml",
        }

    def files(self) -> dict[str, bytes]:
        """Every file of the extension taxonomy, by name."""
        names = self.names
        return {
            names["schema"]: self.schema(),
            names["lab"]: self.labels(),
            names["pre"]: self.presentation(),
            names["def"]: self.definition(),
        }

    # --- locations of concepts ---------------------------------------------------------------

    def _href(self, prefix: str, name: str) -> str:
        taxonomies = self.tagger.taxonomies
        schema = {
            "dei": taxonomies.dei_schema,
            "us-gaap": taxonomies.us_gaap_schema,
            "exch": taxonomies.exch_schema,
        }.get(prefix, self.names["schema"])
        return f"{schema}#{prefix}_{name}"

    def _extension_members(self) -> list[Member]:
        return [m for members in self.axes.values() for m in members if m.is_extension]

    # --- the schema ---------------------------------------------------------------------------

    def schema(self) -> bytes:
        xs = NS["xs"]
        nsmap = {
            "xs": xs,
            "link": NS["link"],
            "xlink": NS["xlink"],
            "xbrli": NS["xbrli"],
            "dtr-types": NS["dtr-types"],
            self.prefix: self.namespace,
        }
        root = etree.Element(
            f"{{{xs}}}schema",
            nsmap=nsmap,
            attrib={
                "targetNamespace": self.namespace,
                "elementFormDefault": "qualified",
                "attributeFormDefault": "unqualified",
            },
        )
        taxonomies = self.tagger.taxonomies
        imports = [
            (NS["xbrli"], "http://www.xbrl.org/2003/xbrl-instance-2003-12-31.xsd"),
            (NS["link"], LINKBASE_SCHEMA),
            (NS["xlink"], "http://www.xbrl.org/2003/xlink-2003-12-31.xsd"),
            (NS["dtr-types"], DTR_TYPES_SCHEMA),
            (taxonomies.dei_namespace, taxonomies.dei_schema),
        ]
        if CLASS_AXIS in self.axes:
            imports.append((taxonomies.us_gaap_namespace, taxonomies.us_gaap_schema))
        if EXCHANGE_AXIS in self.axes:
            imports.append((taxonomies.exch_namespace, taxonomies.exch_schema))
        for namespace, location in imports:
            etree.SubElement(root, f"{{{xs}}}import", namespace=namespace, schemaLocation=location)
        appinfo = etree.SubElement(
            etree.SubElement(root, f"{{{xs}}}annotation"), f"{{{xs}}}appinfo"
        )
        for kind, role in (
            ("lab", "labelLinkbaseRef"),
            ("pre", "presentationLinkbaseRef"),
            ("def", "definitionLinkbaseRef"),
        ):
            etree.SubElement(
                appinfo,
                _q("link", "linkbaseRef"),
                attrib={
                    _xl("type"): "simple",
                    _xl("href"): self.names[kind],
                    _xl("role"): f"http://www.xbrl.org/2003/role/{role}",
                    _xl("arcrole"): "http://www.w3.org/1999/xlink/properties/linkbase",
                },
            )
        role_type = etree.SubElement(
            appinfo, _q("link", "roleType"), roleURI=self.role_uri, id="Cover"
        )
        etree.SubElement(role_type, _q("link", "definition")).text = "0000001 - Document - Cover"
        for used_on in USED_ON:
            etree.SubElement(role_type, _q("link", "usedOn")).text = f"link:{used_on}"
        for member in self._extension_members():
            etree.SubElement(
                root,
                f"{{{xs}}}element",
                attrib={
                    "id": f"{self.prefix}_{member.name}",
                    "name": member.name,
                    "abstract": "true",
                    "nillable": "true",
                    "substitutionGroup": "xbrli:item",
                    "type": "dtr-types:domainItemType",
                    _q("xbrli", "periodType"): "duration",
                },
            )
        return _bytes(root)

    # --- linkbases ------------------------------------------------------------------------

    def _linkbase(self, *, roles: bool, arcroles: Sequence[str] = ()) -> etree._Element:
        nsmap = {
            "link": NS["link"],
            "xlink": NS["xlink"],
            "xsi": "http://www.w3.org/2001/XMLSchema-instance",
        }
        if arcroles:
            nsmap["xbrldt"] = NS["xbrldt"]
        root = etree.Element(_q("link", "linkbase"), nsmap=nsmap)
        root.set(
            "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation",
            f"{NS['link']} {LINKBASE_SCHEMA}",
        )
        for arcrole in arcroles:
            etree.SubElement(
                root,
                _q("link", "arcroleRef"),
                attrib={
                    "arcroleURI": XL[arcrole],
                    _xl("type"): "simple",
                    _xl("href"): f"{XBRLDT_SCHEMA}#{arcrole}",
                },
            )
        if roles:
            etree.SubElement(
                root,
                _q("link", "roleRef"),
                attrib={
                    "roleURI": self.role_uri,
                    _xl("type"): "simple",
                    _xl("href"): f"{self.names['schema']}#Cover",
                },
            )
        return root

    def _loc(self, link: etree._Element, prefix: str, name: str, label: str | None = None) -> str:
        label = label or f"loc_{prefix}_{name}"
        etree.SubElement(
            link,
            _q("link", "loc"),
            attrib={
                _xl("type"): "locator",
                _xl("label"): label,
                _xl("href"): self._href(prefix, name),
            },
        )
        return label

    def _arc(
        self,
        link: etree._Element,
        kind: str,
        arcrole: str,
        source: str,
        target: str,
        order: int,
        **extra: str,
    ) -> None:
        attrib = {
            _xl("type"): "arc",
            _xl("arcrole"): XL[arcrole],
            _xl("from"): source,
            _xl("to"): target,
            "order": str(order),
        }
        attrib.update(extra)
        etree.SubElement(link, _q("link", kind), attrib=attrib)

    def _structure(self) -> list[str]:
        """The abstract concepts, axes, domains and members the linkbases arrange."""
        names = ["dei:CoverAbstract", "dei:EntitiesTable"]
        for axis, members in self.axes.items():
            names += [axis, AXES[axis], *(m.qname for m in members)]
        return [*names, "dei:EntityInformationLineItems"]

    def labels(self) -> bytes:
        """A standard label for every concept the cover uses (EFM 6.10.1): the standard
        taxonomies' own wording for theirs, the class's or registrant's name for ours."""
        root = self._linkbase(roles=False)
        link = etree.SubElement(
            root,
            _q("link", "labelLink"),
            attrib={_xl("type"): "extended", _xl("role"): LINK_ROLE},
        )
        extension = {m.qname: m for m in self._extension_members()}
        year = self.tagger.taxonomies.year
        for qname in [*self._structure(), *(f"dei:{c}" for c in self.concepts)]:
            prefix, name = _split(qname)
            if qname in extension:
                member = extension[qname]
                texts = [(LABEL_ROLE, f"{member.label} [Member]"), (TERSE_ROLE, member.label)]
            else:
                text = standard_label(qname, year)
                if text is None:
                    raise MissingLabel(qname)
                texts = [(LABEL_ROLE, text)]
            locator = self._loc(link, prefix, name)
            label_id = f"lab_{prefix}_{name}"
            for role, text in texts:
                label = etree.SubElement(
                    link,
                    _q("link", "label"),
                    attrib={
                        _xl("type"): "resource",
                        _xl("label"): label_id,
                        _xl("role"): role,
                        "{http://www.w3.org/XML/1998/namespace}lang": "en-US",
                        "id": f"{label_id}_{role.rsplit('/', 1)[1]}",
                    },
                )
                label.text = text
            self._arc(link, "labelArc", "concept-label", locator, label_id, 1)
        return _bytes(root)

    def presentation(self) -> bytes:
        """Cover > Entities table > each axis > its domain > its members; and the table's
        line items > each fact's concept, in the order the cover shows them."""
        root = self._linkbase(roles=True)
        link = etree.SubElement(
            root,
            _q("link", "presentationLink"),
            attrib={_xl("type"): "extended", _xl("role"): self.role_uri},
        )
        cover = self._loc(link, "dei", "CoverAbstract")
        table = self._loc(link, "dei", "EntitiesTable")
        self._arc(link, "presentationArc", "parent-child", cover, table, 1)
        order = 0
        for order, (axis_name, members) in enumerate(self.axes.items(), start=1):
            axis = self._loc(link, *_split(axis_name))
            domain = self._loc(link, *_split(AXES[axis_name]))
            self._arc(link, "presentationArc", "parent-child", table, axis, order)
            self._arc(link, "presentationArc", "parent-child", axis, domain, 1)
            for position, member in enumerate(members, start=1):
                target = self._loc(link, member.prefix, member.name)
                self._arc(link, "presentationArc", "parent-child", domain, target, position)
        items = self._loc(link, "dei", "EntityInformationLineItems")
        self._arc(link, "presentationArc", "parent-child", table, items, order + 1)
        for position, concept in enumerate(self.concepts, start=1):
            target = self._loc(link, "dei", concept)
            self._arc(link, "presentationArc", "parent-child", items, target, position)
        return _bytes(root)

    def definition(self) -> bytes:
        """The same table as XBRL Dimensions: line items ``all`` the Entities table, which
        has each axis, its domain (also the default) and its members."""
        arcroles = ["all", "domain-member"]
        if self.axes:
            arcroles[1:1] = ["hypercube-dimension", "dimension-domain", "dimension-default"]
        root = self._linkbase(roles=True, arcroles=arcroles)
        link = etree.SubElement(
            root,
            _q("link", "definitionLink"),
            attrib={_xl("type"): "extended", _xl("role"): self.role_uri},
        )
        items = self._loc(link, "dei", "EntityInformationLineItems")
        table = self._loc(link, "dei", "EntitiesTable")
        self._arc(
            link,
            "definitionArc",
            "all",
            items,
            table,
            1,
            **{f"{{{NS['xbrldt']}}}closed": "true", f"{{{NS['xbrldt']}}}contextElement": "segment"},
        )
        for order, (axis_name, members) in enumerate(self.axes.items(), start=1):
            domain_prefix, domain_name = _split(AXES[axis_name])
            axis = self._loc(link, *_split(axis_name))
            domain = self._loc(link, domain_prefix, domain_name)
            default = self._loc(
                link, domain_prefix, domain_name, label=f"loc_{domain_prefix}_{domain_name}_default"
            )
            self._arc(link, "definitionArc", "hypercube-dimension", table, axis, order)
            self._arc(link, "definitionArc", "dimension-domain", axis, domain, 1)
            self._arc(link, "definitionArc", "dimension-default", axis, default, 1)
            for position, member in enumerate(members, start=1):
                target = self._loc(link, member.prefix, member.name)
                self._arc(link, "definitionArc", "domain-member", domain, target, position)
        for order, concept in enumerate(self.concepts, start=1):
            target = self._loc(link, "dei", concept)
            self._arc(link, "definitionArc", "domain-member", items, target, order)
        return _bytes(root)
