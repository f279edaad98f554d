"""The passport app's API under /api/v1/: credential verification (public), my passport, shared passports.

A shared passport is read through the consent that shares it (`/shared-passports/{consent uuid}`):
the same check and the same log entry as the page, so the API is no way around the consent.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wendbaar.api_conventions import Router
from wendbaar.passport import services
from wendbaar.passport.constants import ViewChannel
from wendbaar.passport.models import Consent, Credential, PassportSkill
from wendbaar.regions.permissions import ANYONE, AUTHENTICATED, HasAllowedRole


class VerificationRequest(serializers.Serializer):
    credential = serializers.JSONField(
        help_text="A VC-JWT (compact JWS string) or an OpenBadgeCredential (JSON object with its proof)."
    )


class VerificationResult(serializers.Serializer):
    valid = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField(), help_text="Why not valid, in the user's language.")
    codes = serializers.ListField(
        child=serializers.CharField(),
        help_text="Machine reasons: malformed, schema_violation, unknown_issuer, bad_signature, expired, "
        "not_yet_valid, revoked, status_unavailable.",
    )
    proof_format = serializers.CharField(help_text="jwt or data-integrity")


class CredentialVerificationsView(APIView):
    """`POST /api/v1/credential-verifications`: is this credential valid, and if not, why? No account needed."""

    allowed_roles = frozenset({ANYONE})
    permission_classes = [HasAllowedRole]

    @extend_schema(request=VerificationRequest, responses=VerificationResult)
    def post(self, request: Request) -> Response:
        body = VerificationRequest(data=request.data)
        body.is_valid(raise_exception=True)
        value = body.validated_data["credential"]
        if not isinstance(value, (str, dict)):
            raise serializers.ValidationError({"credential": ["Give a VC-JWT string or a credential object."]})
        outcome = services.verify_credential(credential=value)
        return Response(
            {
                "valid": outcome.valid,
                "reasons": outcome.reasons,
                "codes": outcome.codes,
                "proof_format": outcome.proof_format,
            }
        )


class EvidenceSerializer(serializers.Serializer):
    kind = serializers.CharField()
    title = serializers.CharField()
    issuer_name = serializers.CharField()
    weight = serializers.IntegerField()


class PassportSkillSerializer(serializers.ModelSerializer):
    uri = serializers.CharField(source="skill.uri")
    skill_label = serializers.SerializerMethodField()
    strength_label = serializers.SerializerMethodField()
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = PassportSkill
        fields = ["uuid", "uri", "skill_label", "strength", "strength_label", "source", "evidence"]

    def get_skill_label(self, entry: PassportSkill) -> str:
        return entry.skill.preferred_label("nl")[0]

    def get_strength_label(self, entry: PassportSkill) -> str:
        return str(services.strength_label(entry.strength))


class CredentialSerializer(serializers.ModelSerializer):
    credential = serializers.JSONField(source="document", help_text="The credential as issued, with its proof.")
    vc_jwt = serializers.CharField(source="jwt")

    class Meta:
        model = Credential
        fields = [
            "uuid",
            "origin",
            "achievement_name",
            "issuer_name",
            "issuer_did",
            "valid_from",
            "revoked_at",
            "credential",
            "vc_jwt",
        ]


class PassportSerializer(serializers.Serializer):
    skills = PassportSkillSerializer(many=True)
    credentials = CredentialSerializer(many=True)


class MyPassportView(APIView):
    """`GET /api/v1/my-passport`: the logged-in person's own skills and credentials."""

    allowed_roles = frozenset({AUTHENTICATED})
    permission_classes = [HasAllowedRole]

    @extend_schema(responses=PassportSerializer)
    def get(self, request: Request) -> Response:
        own = services.shared_passport(viewer=request.user, person=request.user, channel=ViewChannel.API)
        assert own is not None
        return Response(PassportSerializer({"skills": own.skills, "credentials": own.credentials}).data)


class SharedPassportView(APIView):
    """`GET /api/v1/shared-passports/{consent}`: a passport shared with me; refused (404) without a valid consent."""

    allowed_roles = frozenset({AUTHENTICATED})
    permission_classes = [HasAllowedRole]

    @extend_schema(responses=PassportSerializer)
    def get(self, request: Request, uuid: Any) -> Response:
        consent = Consent.objects.filter(uuid=uuid).select_related("person").first()
        if consent is None:
            raise Http404
        shared = services.shared_passport(
            viewer=request.user, person=consent.person, channel=ViewChannel.API, what="API"
        )
        if shared is None:
            raise PermissionDenied(_("You have no permission (any more) to see this passport."))
        return Response(PassportSerializer({"skills": shared.skills, "credentials": shared.credentials}).data)


def register(router: Router) -> list[URLPattern]:
    """Register this app's viewsets on `router`; return extra (non-viewset) paths."""
    return [
        path("credential-verifications", CredentialVerificationsView.as_view(), name="credential-verifications"),
        path("my-passport", MyPassportView.as_view(), name="my-passport"),
        path("shared-passports/<uuid:uuid>", SharedPassportView.as_view(), name="shared-passport"),
    ]
