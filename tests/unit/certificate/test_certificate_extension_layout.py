"""CertificateExtension runs by delegatecall on the tracker certificate's storage: one layout.

Both inherit CertificateStorage, the only contract of the certificate that declares storage (one
ERC-7201 namespace); the committed snapshots (test/storage-layout/, checked against the compiler by
`make check-storage-layout`) must therefore be identical, namespace for namespace.
"""

import json
from pathlib import Path

LAYOUTS = Path(__file__).resolve().parents[3] / "test" / "storage-layout"


def test_the_extension_and_the_certificate_have_the_same_storage_layout():
    certificate = json.loads((LAYOUTS / "TrackerCertificate.json").read_text())
    extension = json.loads((LAYOUTS / "CertificateExtension.json").read_text())
    assert extension == certificate


def test_the_certificate_declares_no_sequential_slot():
    certificate = json.loads((LAYOUTS / "TrackerCertificate.json").read_text())
    assert certificate["storage"] == []
    assert "erc7201:tokenized-stocks.storage.TrackerCertificate" in certificate["namespaces"]
