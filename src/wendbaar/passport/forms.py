"""Forms of the passport pages (B1 Dutch through gettext)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wendbaar.passport.constants import AchievementType, EvidenceKind, Scope
from wendbaar.regions.models import Organisation


class TextForm(forms.Form):
    text = forms.CharField(
        label=_("What can you do?"),
        help_text=_(
            "Write in your own words, for example: “I can weld and drive a forklift”. One skill per line is fine too."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )


class CvForm(forms.Form):
    cv = forms.FileField(
        label=_("Your CV"),
        help_text=_(
            "A PDF, a Word file (.docx) or a text file (.txt), at most 5 MB. We only read it; we do not keep the file."
        ),
    )


class OccupationSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Which work have you done?"), max_length=200, help_text=_("For example: lasser, kok, verpleegkundige.")
    )


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What shows that you can do this?"),
        choices=[
            (k, label) for k, label in EvidenceKind.choices if k not in (EvidenceKind.CREDENTIAL, EvidenceKind.EVC)
        ],
    )
    title = forms.CharField(
        label=_("Name"),
        max_length=300,
        required=False,
        help_text=_("For example the name of the diploma, job or course."),
    )
    issuer_name = forms.CharField(
        label=_("Who can confirm it?"), max_length=200, required=False, help_text=_("School, employer or organisation.")
    )
    started_on = forms.DateField(label=_("From (date)"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    ended_on = forms.DateField(label=_("Until (date)"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class ConsentForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        help_text=_("Choose an organisation, or fill in a person below."),
    )
    person = forms.CharField(label=_("Or a person (user name or e-mail address)"), max_length=200, required=False)
    scope = forms.ChoiceField(
        label=_("What may they see?"), choices=Scope.choices, widget=forms.RadioSelect, initial=Scope.ALL
    )
    skills = forms.MultipleChoiceField(label=_("Which skills?"), required=False, widget=forms.CheckboxSelectMultiple)
    credentials = forms.MultipleChoiceField(
        label=_("Which certificates?"), required=False, widget=forms.CheckboxSelectMultiple
    )
    valid_until = forms.DateField(label=_("Until which date?"), widget=forms.DateInput(attrs={"type": "date"}))
    purpose = forms.CharField(label=_("Why (optional)"), max_length=300, required=False)

    def __init__(
        self, *args: Any, skills: list[tuple[str, str]], credentials: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["skills"]).choices = skills
        cast(forms.MultipleChoiceField, self.fields["credentials"]).choices = credentials
        self.fields["valid_until"].initial = (timezone.localdate() + timedelta(days=90)).isoformat()

    def clean_person(self) -> Any:
        text = self.cleaned_data["person"].strip()
        if not text:
            return None
        user = get_user_model().objects.filter(Q(username__iexact=text) | Q(email__iexact=text)).first()
        if user is None:
            raise forms.ValidationError(_("We do not know this person. Check the user name or e-mail address."))
        return user


class ShareLinkForm(forms.Form):
    label = forms.CharField(label=_("Name of the link (for yourself)"), max_length=200, required=False)
    expires_on = forms.DateField(label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expires_on"].initial = (timezone.localdate() + timedelta(days=14)).isoformat()


class CredentialInputForm(forms.Form):
    credential = forms.CharField(
        label=_("The credential"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Paste the credential: a JSON text or a long code (VC-JWT)."),
    )
    file = forms.FileField(label=_("Or upload the file"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        text = (data.get("credential") or "").strip()
        if upload is not None:
            if upload.size > 1_000_000:
                raise forms.ValidationError(_("The file is too large (at most 1 MB)."))
            try:
                text = upload.read().decode("utf-8").strip()
            except UnicodeDecodeError as exc:
                raise forms.ValidationError(_("The file is not a text file.")) from exc
        if not text:
            raise forms.ValidationError(_("Paste a credential or choose a file."))
        data["text"] = text
        return data


class ImportForm(CredentialInputForm):
    allow_network = forms.BooleanField(
        label=_("Look up the issuer on the internet (needed for credentials from other websites)"),
        required=False,
        initial=True,
    )


class RecognitionForm(forms.Form):
    person = forms.CharField(label=_("Candidate (user name or e-mail address)"), max_length=200)
    title = forms.CharField(
        label=_("Name of the procedure"), max_length=300, help_text=_("For example: EVC Lassen niveau 2.")
    )
    achievement_type = forms.ChoiceField(
        label=_("What does the candidate get?"),
        choices=[
            (AchievementType.PRACTICE_STATEMENT, _("Praktijkverklaring")),
            (AchievementType.EVC_CERTIFICATE, _("EVC certificate")),
        ],
        widget=forms.RadioSelect,
        initial=AchievementType.PRACTICE_STATEMENT,
    )

    def clean_person(self) -> Any:
        text = self.cleaned_data["person"].strip()
        user = get_user_model().objects.filter(Q(username__iexact=text) | Q(email__iexact=text)).first()
        if user is None:
            raise forms.ValidationError(_("We do not know this person. Check the user name or e-mail address."))
        return user
