"""The addresses tablets can reach this machine at, for the enrollment QR code: every
IPv4 address of its network interfaces except loopback and link-local, read from the
interfaces themselves (ifaddr; nothing is sent on the network)."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

import ifaddr


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses that another device on the LAN could use, sorted."""
    found: set[str] = set()
    for adapter in ifaddr.get_adapters():
        for ip in adapter.ips:
            if not ip.is_IPv4:
                continue
            address = ipaddress.ip_address(str(ip.ip))
            if address.is_loopback or address.is_link_local or address.is_unspecified:
                continue
            found.add(str(address))
    return sorted(found, key=lambda text: tuple(int(part) for part in text.split(".")))


def is_local_host(host_url: str) -> bool:
    """True when the page was opened at an address only this machine can use."""
    host = urlsplit(host_url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def base_choices(host_url: str, public_url: str | None) -> list[str]:
    """Base URLs to offer for the QR code, the likeliest first: the configured public
    address, then the address the admin used unless only this machine can use it, then
    the LAN addresses on the same scheme and port (then localhost, last)."""
    parts = urlsplit(host_url)
    port = f":{parts.port}" if parts.port else ""
    used = host_url.rstrip("/")
    local = is_local_host(host_url)
    choices = [public_url.rstrip("/")] if public_url else []
    if not local:
        choices.append(used)
    choices += [f"{parts.scheme}://{address}{port}" for address in lan_addresses()]
    choices.append(used)
    unique: list[str] = []
    for choice in choices:
        if choice not in unique:
            unique.append(choice)
    return unique
