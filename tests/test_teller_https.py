"""HTTPS the README's way (issue 12): `UNION_HTTPS=1 bash scripts/run.sh` itself, on free
loopback ports, serves HTTPS through its nginx front on PORT + 443 with the installation's
own certificates. Checked: a TLS handshake that trusts only the installation's CA, the
certificate covering the machine's LAN addresses, and the teller page loading in Chromium
with that CA installed in its certificate store (and none without it) as a secure context
with a camera API."""

from __future__ import annotations

import os
import signal
import socket
import ssl
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from conftest import ROOT
from cryptography import x509

from app.security import tls
from tests.support.browser import sign_in

pytestmark = pytest.mark.browser


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _free_ports() -> tuple[int, int]:
    """(PORT, backend port): PORT and PORT + 443 (nginx's HTTPS) both free."""
    for _ in range(200):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port + 443 < 65536 and _port_free(port + 443):
            with socket.socket() as sock:
                sock.bind(("127.0.0.1", 0))
                backend = sock.getsockname()[1]
            if backend not in (port, port + 443):
                return port, backend
    raise RuntimeError("no free pair of ports")


@pytest.fixture(scope="module")
def readme_server(tmp_path_factory):
    """`UNION_HTTPS=1 bash scripts/run.sh`, as the README says, with the port and the
    instance folder given and nginx on the loopback address only (this is a test)."""
    instance = tmp_path_factory.mktemp("https-readme") / "instance"
    port, backend = _free_ports()
    env = {**os.environ, "UNION_HTTPS": "1", "PORT": str(port), "UNION_BACKEND_PORT": str(backend),
           "UNION_INSTANCE_DIR": str(instance), "UNION_FRONT_HOST": "127.0.0.1", "UNION_SKIP_SETUP": "1",
           "UNION_WORKERS": "1", "UNION_THREADS": "8", "UNION_LOGIN_RATE_LIMIT": "10000 per minute"}
    log = tmp_path_factory.mktemp("https-readme-log") / "run.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(["bash", "scripts/run.sh"], cwd=ROOT, env=env, stdout=out, stderr=out,
                                   start_new_session=True)
    https = f"https://127.0.0.1:{port + 443}"
    try:
        deadline = time.monotonic() + 90
        while True:
            ca = instance / "tls" / "ca.crt"
            try:
                trust = ssl.create_default_context(cafile=str(ca)) if ca.exists() else None
                if trust and httpx.get(f"{https}/api/health", timeout=2, verify=trust).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"run.sh did not serve HTTPS: {log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield {"instance": instance, "port": port, "https": https, "http": f"http://127.0.0.1:{port}"}
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def test_run_sh_serves_https_with_the_installations_own_ca_covering_the_lan(readme_server):
    files = tls.tls_files(Path(readme_server["instance"]))
    trust = ssl.create_default_context(cafile=str(files.ca_cert))
    port = readme_server["port"] + 443
    # The handshake succeeds trusting only the installation's CA, for the loopback address
    # and for "localhost" (the names are checked)...
    def handshake(context: ssl.SSLContext, name: str) -> x509.Certificate:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as raw, \
                context.wrap_socket(raw, server_hostname=name) as conn:
            assert conn.version() in ("TLSv1.2", "TLSv1.3")
            return x509.load_der_x509_certificate(conn.getpeercert(binary_form=True))

    served = handshake(trust, "127.0.0.1")
    handshake(trust, "localhost")
    # ...and fails against the public CAs, or for a name the certificate does not hold.
    with pytest.raises(ssl.SSLCertVerificationError):
        handshake(ssl.create_default_context(), "127.0.0.1")
    with pytest.raises(ssl.SSLCertVerificationError):
        handshake(trust, "ballots.example.org")
    # The certificate served is the installation's, issued by its CA, for every LAN address.
    assert served == x509.load_pem_x509_certificate(files.server_cert.read_bytes())
    ca = x509.load_pem_x509_certificate(files.ca_cert.read_bytes())
    served.verify_directly_issued_by(ca)
    san = served.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    addresses = {str(a) for a in san.get_values_for_type(x509.IPAddress)}
    assert set(tls.lan_addresses()) <= addresses and "127.0.0.1" in addresses
    # Plain HTTP keeps working on PORT; tablets download the CA over it.
    plain = httpx.get(f"{readme_server['http']}/ca.crt", timeout=10)
    assert plain.status_code == 200 and plain.content == files.ca_cert.read_bytes()


def _chromium(playwright_driver, home: Path):
    """Chromium whose user's certificate store is `home`/.pki/nssdb (on Linux Chromium
    trusts the CAs there, as a tablet trusts an installed CA certificate)."""
    from conftest import CHROMIUM, CHROMIUM_ARGS

    return playwright_driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
                                             env={**os.environ, "HOME": str(home)})


def _trusting_home(home: Path, ca_cert: Path | None) -> Path:
    """A home folder with an NSS certificate store (Debian's libnss3-tools `certutil`),
    holding `ca_cert` trusted to identify web sites, or nothing."""
    nssdb = home / ".pki" / "nssdb"
    nssdb.mkdir(parents=True)
    store = ["certutil", "-d", f"sql:{nssdb}"]
    subprocess.run([*store, "-N", "--empty-password"], check=True, capture_output=True)
    if ca_cert is not None:
        subprocess.run([*store, "-A", "-t", "C,,", "-n", "union-ca", "-i", str(ca_cert)], check=True,
                       capture_output=True)
    return home


def test_teller_page_is_a_secure_context_in_chromium_trusting_the_installations_ca(readme_server, tmp_path,
                                                                                   playwright_driver):
    files = tls.tls_files(Path(readme_server["instance"]))
    url = readme_server["https"]
    # A browser that does not know the CA refuses the page (what a tablet shows before the
    # CA is installed)...
    stranger = _chromium(playwright_driver, _trusting_home(tmp_path / "stranger", None))
    try:
        with pytest.raises(Exception, match="ERR_CERT_AUTHORITY_INVALID"):
            stranger.new_page().goto(f"{url}/login")
    finally:
        stranger.close()
    # ...one with the installation's CA installed loads it, with no certificate error ignored.
    browser = _chromium(playwright_driver, _trusting_home(tmp_path / "tablet", files.ca_cert))
    try:
        context = browser.new_context(locale="zh-CN", viewport={"width": 1024, "height": 768},
                                      bypass_csp=True)
        page = context.new_page()
        page.set_default_timeout(20_000)
        sign_in(page, url, "teller1", "**/teller")
        state = page.evaluate("({secure: window.isSecureContext, protocol: location.protocol,"
                              " camera: !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia)})")
        assert state == {"secure": True, "protocol": "https:", "camera": True}
        # The page offers the live camera there (it hides it where the browser cannot).
        assert page.is_visible("#camera-open")
    finally:
        browser.close()
