"""The members a cover page's dimensions use: a class of securities on
us-gaap:StatementClassOfStockAxis, a co-registrant on dei:LegalEntityAxis, an exchange on
dei:EntityListingsExchangeAxis."""

from __future__ import annotations

import re
from dataclasses import dataclass

from form8k.model import CoRegistrant, Registrant, Security
from form8k.places import exchange_for
from form8k.xbrl.labels import LABELS
from form8k.xbrl.taxonomy import US_GAAP_MEMBERS

CLASS_AXIS = "us-gaap:StatementClassOfStockAxis"
CLASS_DOMAIN = "us-gaap:ClassOfStockDomain"
ENTITY_AXIS = "dei:LegalEntityAxis"
ENTITY_DOMAIN = "dei:EntityDomain"
EXCHANGE_AXIS = "dei:EntityListingsExchangeAxis"
EXCHANGE_DOMAIN = "dei:ExchangeDomain"
ADDRESS_AXIS = "dei:EntityAddressesAddressTypeAxis"
ADDRESS_DOMAIN = "dei:AddressTypeDomain"
#: Each axis with its domain, in the order contexts list them.
AXES = {
    ENTITY_AXIS: ENTITY_DOMAIN,
    CLASS_AXIS: CLASS_DOMAIN,
    EXCHANGE_AXIS: EXCHANGE_DOMAIN,
    ADDRESS_AXIS: ADDRESS_DOMAIN,
}


@dataclass(frozen=True)
class Member:
    """A member of one of the cover page's axes."""

    prefix: str
    """``us-gaap``, ``exch``, or the company's prefix for an extension member."""
    name: str
    """Local name, e.g. ``CommonStockMember``."""
    label: str
    """What it stands for (an extension member's label: the class's title)."""

    @property
    def qname(self) -> str:
        return f"{self.prefix}:{self.name}"

    @property
    def is_extension(self) -> bool:
        return self.prefix not in ("us-gaap", "exch", "dei")


_LC3_WORD = re.compile(r"((\w+')+\w+)|(A[.-])|([.-]A(?=\W|$))|(\w+)")


def camel_name(text: str, suffix: str = "Member") -> str:
    """An element name from its label by EFM 6.8.5's "LC3" rule, as the SEC's validator
    composes it: each word capitalised, articles dropped, apostrophes, periods and hyphens
    removed; a name that would start with a digit starts with "A" ("8.25% Senior Notes due
    2030" -> "A825SeniorNotesDue2030Member")."""
    words = [
        re.sub(r"['.-]", "", match[0] or match[2] or match[3] or match[4]).title()
        for match in _LC3_WORD.findall(f"{text} [{suffix}]")
        if match[4].lower() not in ("the", "a", "an")
    ]
    name = "".join(words)[:200]
    return name if name[:1].isalpha() and name[:1].isupper() else "A" + name


def _given(member: str, prefix: str, label: str) -> Member:
    if ":" in member:
        member_prefix, name = member.split(":", 1)
        return Member(member_prefix, name, label)
    return Member(prefix, member, label)


def class_members(securities: list[Security], prefix: str) -> dict[str, Member]:
    """Each class's member by its title: given in content, a us-gaap member for a usual class
    not taken by an earlier one, else a new one named after the title."""
    members: dict[str, Member] = {}
    taken: set[str] = set()
    for security in securities:
        if security.title in members:
            continue
        member: Member | None = None
        if security.member:
            member = _given(security.member, prefix, security.title)
        else:
            for pattern, name in US_GAAP_MEMBERS:
                if pattern.search(security.title) and f"us-gaap:{name}" not in taken:
                    member = Member("us-gaap", name, security.title)
                    break
        if member is None or member.qname in taken:
            name = camel_name(security.title)
            while f"{prefix}:{name}" in taken:
                name = name.removesuffix("Member") + "2Member"
            member = Member(prefix, name, security.title)
        taken.add(member.qname)
        members[security.title] = member
    return members


def listing_counts(securities: list[Security]) -> dict[str, int]:
    """How many exchanges each class (by title) is listed on, over every row that names it:
    a class written once with ``exchanges:`` or in several rows, one exchange each."""
    counts: dict[str, int] = {}
    for security in securities:
        counts[security.title] = counts.get(security.title, 0) + len(security.listed_on)
    return counts


def registrant_member(registrant: Registrant, prefix: str) -> Member:
    """A co-registrant's member on dei:LegalEntityAxis."""
    if isinstance(registrant, CoRegistrant) and registrant.member:
        return _given(registrant.member, prefix, registrant.name)
    return Member(prefix, camel_name(registrant.name), registrant.name)


FORMER_ADDRESS = Member("dei", "FormerAddressMember", "Former Address")


def exchange_member(name: str) -> Member | None:
    """An exchange's member on dei:EntityListingsExchangeAxis: its MIC in the exch taxonomy."""
    exchange = exchange_for(name)
    if exchange is None:
        return None
    qname = f"exch:{exchange.mic}"
    return Member("exch", exchange.mic, LABELS.get(qname, exchange.name))
