"""`wendbaar passport_keys --rotate` adds keys; the DID document lists old and new."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from wendbaar.passport import issuer_keys, verification


@pytest.mark.django_db
def test_rotate_adds_signing_keys_and_keeps_the_old_ones_published() -> None:
    before = {k.kid for k in issuer_keys.ring().keys}
    out = StringIO()
    call_command("passport_keys", "--rotate", stdout=out)
    after = {k.kid for k in issuer_keys.ring().keys}
    assert before < after and len(after - before) == 2
    published = {
        m["id"].split("#")[1] for m in verification.did_document(verification.platform_did())["verificationMethod"]
    }
    assert after == published
    assert "(signs)" in out.getvalue()
