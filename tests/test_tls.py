"""The installation's own certificates (app/security/tls.py) and the accounts page's guide
to putting the CA on tablets (issue 12)."""

from __future__ import annotations

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from app.security import tls


def test_ca_and_server_certificate_cover_the_lan_and_are_remade_when_addresses_change(tmp_path):
    state = tls.ensure_certificates(tmp_path)
    assert state.ca_created and state.server_created
    files = state.files
    for key in (files.ca_key, files.server_key):
        assert key.stat().st_mode & 0o777 == 0o600
    ca = x509.load_pem_x509_certificate(files.ca_cert.read_bytes())
    server = x509.load_pem_x509_certificate(files.server_cert.read_bytes())
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert server.issuer == ca.subject
    public = ca.public_key()
    assert isinstance(public, ec.EllipticCurvePublicKey)
    server.verify_directly_issued_by(ca)
    san = server.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert set(tls.lan_addresses()) <= {str(a) for a in san.get_values_for_type(x509.IPAddress)}
    assert "localhost" in san.get_values_for_type(x509.DNSName)
    again = tls.ensure_certificates(tmp_path)
    assert not again.server_created and not again.ca_created
    moved = tls.ensure_certificates(tmp_path, ["192.168.77.5"])  # a new address on the hall network
    assert moved.server_created and not moved.ca_created and "192.168.77.5" in moved.addresses
    assert moved.ca_fingerprint == state.ca_fingerprint


def test_accounts_page_guides_installing_the_ca_and_serves_it(app, signed_in):
    admin = signed_in("admin")
    page = admin.get("/admin/users").get_data(as_text=True)
    assert 'id="tls-missing"' in page and "UNION_HTTPS=1" in page
    assert admin.get("/ca.crt").status_code == 404
    state = tls.ensure_certificates(app.config["INSTANCE_DIR"])
    page = admin.get("/admin/users").get_data(as_text=True)
    assert 'id="tls-qr"' in page and state.ca_fingerprint in page
    assert "证书信任设置" in page and "CA 证书" in page  # iPadOS and Android steps, in Chinese
    english = admin.get("/admin/users?lang=en").get_data(as_text=True)
    assert "Certificate Trust Settings" in english
    served = admin.get("/ca.crt")
    assert served.status_code == 200 and served.data == state.files.ca_cert.read_bytes()
    assert served.mimetype == "application/x-x509-ca-cert"
