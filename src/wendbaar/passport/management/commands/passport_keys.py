"""`wendbaar passport_keys`: show the credential signing keys, or add new ones (`--rotate`).

Rotation adds a new Ed25519 and RSA key to CREDENTIAL_KEYS_DIR; the new ones sign from then on and
the old ones stay in the did:web documents, so credentials signed with them keep verifying.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from wendbaar.passport import issuer_keys, verification


class Command(BaseCommand):
    help = "Show the credential signing keys; --rotate adds new ones (old credentials stay verifiable)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rotate", action="store_true", help="Add a new Ed25519 and RSA signing key.")
        parser.add_argument("--rsa-bits", type=int, default=2048, help="Size of a new RSA key (at least 2048).")

    def handle(self, *args: Any, **options: Any) -> None:
        ring = issuer_keys.rotate(rsa_bits=options["rsa_bits"]) if options["rotate"] else issuer_keys.ring()
        self.stdout.write(f"key directory: {issuer_keys.keys_dir()}")
        self.stdout.write(f"platform identity: {verification.platform_did()}")
        for key in ring.keys:
            active = key is ring.active(key.algorithm)
            self.stdout.write(f"  {key.kid}  {key.algorithm}{'  (signs)' if active else ''}")
