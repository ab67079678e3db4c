"""Issuing ballots: serials and their signed QR payload, the page layout, the PDF."""
