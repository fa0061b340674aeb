"""Which Host headers the preview answers: a guard against DNS rebinding, for every address.

A page on another site cannot read the preview's answers (the browser's same-origin rule)
unless its own name is made to point at the preview's address: DNS rebinding. The browser then
sends that name (``Host: evil.example``) to the preview. So the preview answers only requests
whose Host is the address it listens on, spelled as an address (``127.0.0.2``, ``[::1]``, with
or without a port), or a localhost form (``localhost``, ``127.0.0.1``, ``[::1]``); and, when it
is started with a name (``--host myhost``), that name. Listening on every address (``0.0.0.0``,
``::``), it answers any address spelled as one (an address in the Host cannot be rebound), but
still no other name.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

#: Always answered: the names and addresses of this machine's loopback that browsers send.
LOCALHOST_NAMES = frozenset({"localhost"})
LOCALHOST_ADDRESSES: frozenset[Address] = frozenset(
    {ipaddress.IPv4Address("127.0.0.1"), ipaddress.IPv6Address("::1")}
)


def parse_host(value: str) -> str | Address | None:
    """The host of a Host header (``name``, ``name:port``, ``[v6]``, ``[v6]:port``): an address,
    a lower-case name without its trailing dot, or None when the header is not a valid Host."""
    if value.startswith("["):
        literal, bracket, rest = value[1:].partition("]")
        if not bracket or not _valid_port_suffix(rest):
            return None
        try:
            return ipaddress.IPv6Address(literal)
        except ValueError:
            return None
    name, colon, port = value.rpartition(":") if ":" in value else (value, "", "")
    if colon and not _valid_port_suffix(":" + port):
        return None
    if not name or ":" in name:  # an IPv6 address must be in brackets
        return None
    try:
        return ipaddress.IPv4Address(name)
    except ValueError:
        pass
    name = name.lower().removesuffix(".")
    if not name or not all(part and _name_part(part) for part in name.split(".")):
        return None
    return name


def _valid_port_suffix(text: str) -> bool:
    if not text:
        return True
    port = text[1:]
    return text[0] == ":" and 0 < len(port) <= 5 and port.isascii() and port.isdigit()


def _name_part(part: str) -> bool:
    return part.isascii() and all(char.isalnum() or char in "-_" for char in part)


@dataclass(frozen=True)
class AllowedHosts:
    """The Host headers a preview answers."""

    names: frozenset[str] = LOCALHOST_NAMES
    addresses: frozenset[Address] = LOCALHOST_ADDRESSES
    any_address: bool = False
    """Listening on every address: any Host spelled as an address is answered."""

    @classmethod
    def of(cls, hosts: Iterable[str], *, localhost: bool = True) -> AllowedHosts:
        """Exactly ``hosts`` (names or addresses), with the localhost forms unless told not."""
        names = set(LOCALHOST_NAMES) if localhost else set()
        addresses = set(LOCALHOST_ADDRESSES) if localhost else set()
        for host in hosts:
            parsed = _as_host(host)
            if isinstance(parsed, str):
                names.add(parsed)
            elif parsed is not None:
                addresses.add(parsed)
        return cls(frozenset(names), frozenset(addresses))

    @classmethod
    def bound(cls, host: str, address: str) -> AllowedHosts:
        """For a preview started with ``--host host`` and listening on ``address`` (what the
        socket reports: the address ``host`` stands for)."""
        allowed = cls.of([host, address])
        unspecified = any(
            isinstance(parsed, Address) and parsed.is_unspecified
            for parsed in (_as_host(host), _as_host(address))
        )
        if unspecified:
            return cls(allowed.names, allowed.addresses, any_address=True)
        return allowed

    def allows(self, header: str | None) -> bool:
        """Whether a request with this Host header (None: none) is answered."""
        if header is None:
            return False
        host = parse_host(header)
        if host is None:
            return False
        if isinstance(host, str):
            return host in self.names
        if self.any_address:
            return True
        if isinstance(host, ipaddress.IPv6Address) and host.ipv4_mapped is not None:
            return host in self.addresses or host.ipv4_mapped in self.addresses
        return host in self.addresses


def _as_host(text: str) -> str | Address | None:
    """A host as given on the command line or by the socket: an address (IPv6 with or without
    brackets, a zone dropped) or a name."""
    bare = text.strip().removeprefix("[").removesuffix("]").partition("%")[0]
    try:
        return ipaddress.ip_address(bare)
    except ValueError:
        return parse_host(text.strip())


class HostCheck:
    """Answers 400 to a request whose Host header the preview does not answer (before
    anything else: no page, no event stream, no reload script)."""

    def __init__(self, app: ASGIApp, *, allowed: AllowedHosts) -> None:
        self.app = app
        self.allowed = allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and not self.allowed.allows(
            Headers(scope=scope).get("host")
        ):
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
                return
            response = PlainTextResponse(
                "Invalid host header", 400, headers={"Cache-Control": "no-store"}
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
