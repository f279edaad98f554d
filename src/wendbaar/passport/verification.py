"""How the platform resolves issuers and status lists when it verifies a credential.

Our own did:web identities (the platform's and each organisation's) and status lists are answered
from the database and the key ring, without any network. Another issuer's did:web document and
status list are fetched over HTTP only when `allow_network` (a person importing a credential asked
for it), with a timeout; did:key needs no network.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from wendbaar.passport import issuer_keys, remote
from wendbaar.passport.credentials import did as dids
from wendbaar.passport.credentials import statuslist
from wendbaar.passport.credentials import verify as verifier
from wendbaar.passport.models import StatusList
from wendbaar.regions.models import Organisation


def platform_did() -> str:
    return dids.did_web(str(settings.CREDENTIAL_ISSUER_URL))


def organisation_did(organisation: Organisation) -> str:
    return dids.did_web(str(settings.CREDENTIAL_ISSUER_URL), ("organisations", str(organisation.uuid)))


def did_document(did: str) -> dict[str, Any]:
    """Return the DID document of one of our identities, listing every signing key (also rotated ones)."""
    return dids.did_document(did, issuer_keys.ring().keys)


def local_did_document(did: str) -> dict[str, Any] | None:
    """Return the document of `did` if it is ours (platform or an existing organisation), else None."""
    base = platform_did()
    if did == base:
        return did_document(did)
    prefix = f"{base}:organisations:"
    if did.startswith(prefix):
        try:
            wanted = uuid.UUID(did.removeprefix(prefix))
        except ValueError:
            return None
        if Organisation.objects.filter(uuid=wanted).exists():
            return did_document(did)
    return None


def _fetch_json(url: str) -> dict[str, Any]:
    """Fetch another issuer's JSON document through the guarded fetcher (remote.py: no private addresses)."""
    body = remote.fetch(url)
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise remote.Unreachable(_("Could not fetch %(url)s: %(error)s") % {"url": url, "error": exc}) from exc
    if not isinstance(data, dict):
        raise remote.Unreachable(_("The document at %(url)s is not a JSON object.") % {"url": url})
    return data


class Resolvers:
    """The resolver and status reader for one verification (or one batch, e.g. a whole passport): each DID
    document and status list is looked up once per instance; remembers what could not be reached."""

    def __init__(self, *, allow_network: bool = False) -> None:
        self.allow_network = allow_network
        self.unreachable: list[str] = []
        self._status_base = f"{str(settings.CREDENTIAL_ISSUER_URL).rstrip('/')}/credentials/status/"
        self._documents: dict[str, dict[str, Any] | None] = {}
        self._lists: dict[str, bytes | None] = {}

    def resolve_did(self, did: str) -> dict[str, Any] | None:
        did = did.split("#", 1)[0]
        if did not in self._documents:
            self._documents[did] = self._resolve(did)
        return self._documents[did]

    def read_status(self, url: str) -> bytes | None:
        if url not in self._lists:
            self._lists[url] = self._read(url)
        return self._lists[url]

    def _resolve(self, did: str) -> dict[str, Any] | None:
        local = local_did_document(did)
        if local is not None:
            return local
        if did.startswith("did:key:"):
            try:
                return dids.did_key_document(did)
            except ValueError:
                return None
        if did.startswith("did:web:") and self.allow_network:
            try:
                document = _fetch_json(dids.did_web_document_url(did, http_hosts=settings.DID_WEB_HTTP_HOSTS))
            except (remote.Unreachable, ValueError) as exc:
                self.unreachable.append(str(exc))
                return None
            return document if document.get("id") == did else None
        return None

    def _read(self, url: str) -> bytes | None:
        if url.startswith(self._status_base):
            try:
                wanted = uuid.UUID(url.removeprefix(self._status_base))
            except ValueError:
                return None
            found = StatusList.objects.filter(uuid=wanted).values_list("bits", flat=True).first()
            return bytes(found) if found is not None else None
        if not self.allow_network:
            return None
        try:
            document = _fetch_json(url)
            return statuslist.decode(str(document["credentialSubject"]["encodedList"]))
        except (remote.Unreachable, KeyError, TypeError, ValueError) as exc:
            self.unreachable.append(str(exc))
            return None


def verify(
    value: Any, *, allow_network: bool = False, resolvers: Resolvers | None = None
) -> tuple[verifier.Result, list[str]]:
    """Verify a credential (VC-JWT string or JSON); return the result and what could not be reached.

    Pass one `resolvers` to verify several credentials with one lookup per DID document and status list.
    """
    resolvers = resolvers or Resolvers(allow_network=allow_network)
    before = len(resolvers.unreachable)
    result = verifier.verify(value, resolve_did=resolvers.resolve_did, read_status=resolvers.read_status)
    return result, resolvers.unreachable[before:]


def reason_text(reason: verifier.Reason) -> str:
    """Return a reason in the user's language (B1), with its technical detail when there is one."""
    texts = {
        verifier.MALFORMED: _("This is not a credential we can read."),
        verifier.SCHEMA: _("The credential does not follow the Open Badges 3.0 rules."),
        verifier.UNKNOWN_ISSUER: _("We do not know the issuer, or the issuer does not have this key."),
        verifier.BAD_SIGNATURE: _("The signature is not right: the credential was changed or signed by someone else."),
        verifier.EXPIRED: _("The credential has expired."),
        verifier.NOT_YET_VALID: _("The credential is not valid yet."),
        verifier.REVOKED: _("The issuer has withdrawn (revoked) this credential."),
        verifier.STATUS_UNAVAILABLE: _("We could not check whether the credential was withdrawn."),
    }
    return texts.get(reason.code, reason.code)
