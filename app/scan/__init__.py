"""Reading a ballot from a tablet photo: QR decode and check, page alignment by the
corner marks, ink scores for every box, a verdict per candidate and write-in, and the
list of what a person must look at. See reader.read_ballot."""

from .errors import CODES, ScanError
from .reader import read_ballot

__all__ = ["CODES", "ScanError", "read_ballot"]
