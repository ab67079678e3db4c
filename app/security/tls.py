"""HTTPS on the hall network: a certificate authority made for this installation alone,
and a server certificate for the machine's LAN addresses and host name.

A tablet's browser gives the live camera only to a secure context (HTTPS or localhost).
No public CA will sign a certificate for 192.168.x.y, so the service makes its own small
CA once; the secretariat installs its certificate (ca.crt, no secret in it) on each
tablet, and every server certificate signed by it is then trusted. The keys never leave
the instance folder ($UNION_INSTANCE_DIR/tls/, mode 0600); the server certificate is
made again whenever the machine's addresses change (the hall's DHCP gave it a new one)
or it nears its end.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from .addresses import lan_addresses as interface_addresses

CA_DAYS = 3650
# iOS and Android refuse server certificates that live longer than 825 days, even from a
# CA the user installed; renewed well before the end.
SERVER_DAYS = 800
RENEW_BEFORE_DAYS = 30


@dataclass(frozen=True)
class TlsFiles:
    folder: Path
    ca_cert: Path
    ca_key: Path
    server_cert: Path
    server_key: Path


@dataclass(frozen=True)
class TlsState:
    files: TlsFiles
    names: tuple[str, ...]  # DNS names in the server certificate
    addresses: tuple[str, ...]  # IP addresses in the server certificate
    ca_created: bool
    server_created: bool
    ca_fingerprint: str  # SHA-256, as a tablet's settings show it


def tls_files(instance_dir: str | Path) -> TlsFiles:
    folder = Path(instance_dir) / "tls"
    return TlsFiles(folder, folder / "ca.crt", folder / "ca.key", folder / "server.crt",
                    folder / "server.key")


def lan_addresses() -> list[str]:
    """Every IPv4 address of this machine's interfaces, loopback included, plus whatever
    the host name resolves to (IPv6 too); sorted, no duplicates."""
    found = {"127.0.0.1", *interface_addresses()}
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None):
            address = str(info[4][0]).split("%")[0]
            if not ipaddress.ip_address(address).is_link_local:
                found.add(address)
    except (OSError, ValueError):
        pass
    return sorted(found, key=lambda a: (ipaddress.ip_address(a).version, ipaddress.ip_address(a)))


def host_names() -> list[str]:
    names = {"localhost"}
    for name in (socket.gethostname(), socket.getfqdn()):
        if name and not _is_ip(name):
            names.add(name)
    return sorted(names)


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _write_private(path: Path, data: bytes) -> None:
    """A key file readable by this user only, written whole or not at all."""
    temp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(temp, 0o600)
    os.replace(temp, path)


def _write_public(path: Path, data: bytes) -> None:
    temp = path.with_suffix(path.suffix + ".tmp")
    temp.write_bytes(data)
    os.chmod(temp, 0o644)
    os.replace(temp, path)


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _make_ca(files: TlsFiles) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    host = socket.gethostname() or "localhost"
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "工会计票服务 Ballot counting"),
                      x509.NameAttribute(NameOID.COMMON_NAME, f"工会计票 本机证书 {host}"[:64])])
    start = _now() - dt.timedelta(days=1)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(start + dt.timedelta(days=CA_DAYS))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                         content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    _write_private(files.ca_key, _key_pem(key))
    _write_public(files.ca_cert, cert.public_bytes(serialization.Encoding.PEM))


def _covered(cert: x509.Certificate) -> tuple[set[str], set[str]]:
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return set(), set()
    return set(san.get_values_for_type(x509.DNSName)), \
        {str(a) for a in san.get_values_for_type(x509.IPAddress)}


def _server_current(files: TlsFiles, ca: x509.Certificate, names: set[str], addresses: set[str]) -> bool:
    """The server certificate exists, was signed by this CA, covers every name and
    address, and has more than RENEW_BEFORE_DAYS left."""
    if not (files.server_cert.exists() and files.server_key.exists()):
        return False
    try:
        cert = x509.load_pem_x509_certificate(files.server_cert.read_bytes())
    except ValueError:
        return False
    if cert.issuer != ca.subject:
        return False
    if cert.not_valid_after_utc - _now() < dt.timedelta(days=RENEW_BEFORE_DAYS):
        return False
    dns, ips = _covered(cert)
    return names <= dns and addresses <= ips


def _make_server(files: TlsFiles, ca: x509.Certificate, names: list[str], addresses: list[str]) -> None:
    ca_key = serialization.load_pem_private_key(files.ca_key.read_bytes(), password=None)
    assert isinstance(ca_key, ec.EllipticCurvePrivateKey)
    key = ec.generate_private_key(ec.SECP256R1())
    start = _now() - dt.timedelta(days=1)
    alt = [x509.DNSName(n) for n in names] + [x509.IPAddress(ipaddress.ip_address(a)) for a in addresses]
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
            .issuer_name(ca.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(start + dt.timedelta(days=SERVER_DAYS))
            .add_extension(x509.SubjectAlternativeName(alt), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=False, crl_sign=False,
                                         content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    _write_private(files.server_key, _key_pem(key))
    _write_public(files.server_cert, cert.public_bytes(serialization.Encoding.PEM))


def ensure_certificates(instance_dir: str | Path, extra_names: list[str] | None = None) -> TlsState:
    """Make the CA if there is none, and a server certificate if the current one does not
    cover this machine's addresses and names (or nears its end). Idempotent."""
    files = tls_files(instance_dir)
    files.folder.mkdir(parents=True, exist_ok=True)
    os.chmod(files.folder, 0o700)
    ca_created = not (files.ca_cert.exists() and files.ca_key.exists())
    if ca_created:
        _make_ca(files)
    ca = x509.load_pem_x509_certificate(files.ca_cert.read_bytes())
    extra = extra_names or []
    names = sorted(set(host_names()) | {n for n in extra if not _is_ip(n)})
    addresses = sorted(set(lan_addresses()) | {n for n in extra if _is_ip(n)})
    server_created = ca_created or not _server_current(files, ca, set(names), set(addresses))
    if server_created:
        _make_server(files, ca, names, addresses)
    fingerprint = ca.fingerprint(hashes.SHA256()).hex(":").upper()
    return TlsState(files, tuple(names), tuple(addresses), ca_created, server_created, fingerprint)


def ca_certificate(instance_dir: str | Path) -> bytes | None:
    """The CA certificate (PEM) to install on tablets, or None before `flask tls` ran."""
    path = tls_files(instance_dir).ca_cert
    return path.read_bytes() if path.exists() else None


def ca_fingerprint(instance_dir: str | Path) -> str | None:
    data = ca_certificate(instance_dir)
    if data is None:
        return None
    return x509.load_pem_x509_certificate(data).fingerprint(hashes.SHA256()).hex(":").upper()
