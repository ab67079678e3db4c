"""`flask --app app tls`: make (or refresh) this installation's HTTPS certificates."""

from __future__ import annotations

from urllib.parse import urlsplit

import click
from flask import current_app

from ..security.tls import ensure_certificates


@click.command("tls")
@click.option("--name", "extra", multiple=True,
              help="another host name or address the tablets use (repeatable)")
def tls_command(extra: tuple[str, ...]) -> None:
    """Make the local CA once and a server certificate for this machine's LAN addresses;
    prints where the files are and what the certificate covers."""
    names = list(extra)
    public = urlsplit(current_app.config.get("PUBLIC_BASE_URL") or "").hostname
    if public:  # the address the enrollment QR codes hold must be covered too
        names.append(public)
    state = ensure_certificates(current_app.config["INSTANCE_DIR"], names)
    files = state.files
    click.echo(f"CA certificate (install on the tablets): {files.ca_cert}"
               + ("  [new]" if state.ca_created else ""))
    click.echo(f"CA SHA-256: {state.ca_fingerprint}")
    click.echo(f"server certificate: {files.server_cert}" + ("  [new]" if state.server_created else ""))
    click.echo(f"server key: {files.server_key}")
    click.echo("covers: " + ", ".join([*state.names, *state.addresses]))
