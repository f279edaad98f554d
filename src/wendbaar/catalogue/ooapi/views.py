"""The OOAPI v5 read endpoints under /ooapi/v5/, for what the catalogue holds (published offerings only).

Offerings that lead to an mbo qualification are served as programs (`/programs`), the others as
courses (`/courses`); their runs are program or course offerings under `/offerings` (see mapping).

Collections answer OOAPI's own paging (`pageSize` one of 10, 20, 50, 100, 250; `pageNumber` from 1)
and filters; errors answer OOAPI's Problem body (`status` as a string, `title`, `detail`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views import View

from wendbaar.catalogue.models import Mode, Offering, Qualification, Run, Status
from wendbaar.catalogue.ooapi import mapping
from wendbaar.catalogue.ooapi.mapping import PROGRAM_TYPES
from wendbaar.regions.constants import ActorType
from wendbaar.regions.models import Organisation
from wendbaar.regions.permissions import ANYONE, RoleRequiredMixin
from wendbaar.skills.services import preferred_labels

PAGE_SIZES = (10, 20, 50, 100, 250)
PROBLEM = "application/problem+json"
TITLES = {400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed"}


class OoapiError(Exception):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def problem(status: int, detail: str) -> JsonResponse:
    """Return an OOAPI Problem response."""
    body = {"status": str(status), "title": TITLES.get(status, "Error"), "detail": detail}
    return JsonResponse(body, status=status, content_type=PROBLEM)


class OoapiView(RoleRequiredMixin, View):
    """Base of the OOAPI endpoints: public, GET only, OOAPI error bodies."""

    allowed_roles = frozenset({ANYONE})
    http_method_names = ["get", "head", "options"]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().dispatch(request, *args, **kwargs)
        except OoapiError as exc:
            return problem(exc.status, exc.detail)

    def http_method_not_allowed(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = problem(405, f"{request.method} is not allowed here; this API is read-only.")
        response["Allow"] = ", ".join(m.upper() for m in self._allowed_methods())  # type: ignore[attr-defined]
        return response


def _int(request: HttpRequest, name: str, default: int) -> int:
    raw = request.GET.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise OoapiError(400, f"query parameter {name}: {raw!r} is not a whole number") from exc


def paged(request: HttpRequest, qs: QuerySet[Any], to_dict: Callable[[Any], dict[str, Any]]) -> JsonResponse:
    """Answer one OOAPI page of `qs`."""
    size = _int(request, "pageSize", 10)
    if size not in PAGE_SIZES:
        raise OoapiError(400, f"query parameter pageSize: must be one of {', '.join(map(str, PAGE_SIZES))}")
    number = _int(request, "pageNumber", 1)
    if number < 1:
        raise OoapiError(400, "query parameter pageNumber: must be 1 or more")
    total = qs.count()
    items = list(qs[(number - 1) * size : number * size])
    pages = max(1, -(-total // size))
    return JsonResponse(
        {
            "pageSize": size,
            "pageNumber": number,
            "hasPreviousPage": number > 1,
            "hasNextPage": number < pages,
            "totalPages": pages,
            "items": [to_dict(item) for item in items],
        }
    )


def _uuid(value: str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise OoapiError(404, f"no {what} {value}") from exc


def _sort(request: HttpRequest, allowed: dict[str, str], default: str, *, tie: str = "id") -> list[str]:
    keys = [k for k in request.GET.get("sort", default).split(",") if k]
    order = []
    for key in keys:
        field = allowed.get(key.lstrip("-"))
        if field is None:
            raise OoapiError(400, f"query parameter sort: {key!r} is not one of {', '.join(sorted(allowed))}")
        order.append(("-" if key.startswith("-") else "") + field)
    return [*order, tie]


def _enum(request: HttpRequest, name: str, allowed: tuple[str, ...]) -> str | None:
    """Return the value of an enumerated query parameter (None when absent); 400 when not one of `allowed`."""
    value = request.GET.get(name)
    if value in (None, ""):
        return None
    if value not in allowed:
        raise OoapiError(400, f"query parameter {name}: {value!r} is not one of {', '.join(allowed)}")
    return value


# ---------------------------------------------------------------- querysets
def providers() -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(actor_type=ActorType.EDUCATION_PROVIDER)
        .select_related("provider")
        .prefetch_related("regions")
    )


def published() -> QuerySet[Offering]:
    return (
        Offering.objects.filter(status=Status.PUBLISHED)
        .select_related("provider", "municipality")
        .prefetch_related(preferred_labels("skills__skill__labels"))
    )


def courses() -> QuerySet[Offering]:
    """Published offerings that OOAPI calls courses."""
    return published().exclude(credential_type__in=PROGRAM_TYPES)


def programs() -> QuerySet[Offering]:
    """Published offerings that OOAPI calls programs (they lead to an mbo qualification)."""
    return published().filter(credential_type__in=PROGRAM_TYPES)


def runs() -> QuerySet[Run]:
    return Run.objects.filter(offering__status=Status.PUBLISHED).select_related(
        "offering__provider", "offering__municipality"
    )


def _described_filters(request: HttpRequest, qs: QuerySet[Offering]) -> QuerySet[Offering]:
    """Filters that courses and programs share: q, primaryCode, teachingLanguage."""
    if request.GET.get("q"):
        term = request.GET["q"]
        qs = qs.filter(Q(title_nl__icontains=term) | Q(title_en__icontains=term) | Q(description_nl__icontains=term))
    if request.GET.get("primaryCode"):
        code = request.GET["primaryCode"]
        qs = qs.filter(Q(code=code) | Q(crebo_id=code))
    if request.GET.get("teachingLanguage"):
        lang = mapping.TEACHING_BACK.get(request.GET["teachingLanguage"])
        qs = qs.filter(language=lang) if lang else qs.none()
    return qs


PROGRAM_TYPE_VALUES = ("program", "minor", "honours", "specialization", "track")
QUALIFICATIONS_AWARDED = ("AD", "BA", "BSc", "LLB", "MA", "MSc", "LLM", "Phd", "None")
QUALIFICATION_LEVELS = ("1", "2", "3", "4", "4+", "5", "6", "7", "8")
SECTORS = ("secondary vocational education", "higher professional education", "university education")


def _program_filters(request: HttpRequest, qs: QuerySet[Offering]) -> QuerySet[Offering]:
    """OOAPI's program filters; what our programs never state (other types, a degree, a field) matches none."""
    qs = _described_filters(request, qs)
    kind = _enum(request, "programType", PROGRAM_TYPE_VALUES)
    if kind is not None and kind != mapping.PROGRAM_TYPE:
        qs = qs.none()
    if _enum(request, "qualificationAwarded", QUALIFICATIONS_AWARDED) is not None:
        qs = qs.none()  # an mbo qualification is none of these (higher education) degrees
    level = _enum(request, "levelOfQualification", QUALIFICATION_LEVELS)
    if level is not None:
        qs = qs.filter(level__in=[ours for ours, nlqf in mapping.QUALIFICATION_LEVELS.items() if nlqf == level])
    sector = _enum(request, "sector", SECTORS)
    if sector is not None and sector != mapping.MBO_LEVEL:
        qs = qs.none()
    if request.GET.get("fieldsOfStudy"):
        qs = qs.none()
    return qs.order_by(*_sort(request, {"name": "title_nl", "programId": "uuid"}, "name"))


def _provider(organization_id: str) -> Organisation:
    found = providers().filter(uuid=_uuid(organization_id, "organization")).first()
    if found is None:
        raise OoapiError(404, f"no organization {organization_id}")
    return found


def _course_filters(request: HttpRequest, qs: QuerySet[Offering]) -> QuerySet[Offering]:
    qs = _described_filters(request, qs)
    if request.GET.get("level"):
        level = request.GET["level"]
        ours = {f"{mapping.MBO_LEVEL} {n}": key for key, n in mapping.LEVELS.items()}
        qs = qs.filter(level=ours[level]) if level in ours else qs.none()
    if request.GET.get("modeOfDelivery"):
        wanted = request.GET["modeOfDelivery"]
        qs = qs.filter(mode__in=[m for m, values in mapping.MODES.items() if wanted in values])
    return qs.order_by(*_sort(request, {"name": "title_nl", "courseId": "uuid"}, "name"))


def _run_filters(request: HttpRequest, qs: QuerySet[Run]) -> QuerySet[Run]:
    if request.GET.get("q"):
        term = request.GET["q"]
        qs = qs.filter(
            Q(offering__title_nl__icontains=term)
            | Q(offering__title_en__icontains=term)
            | Q(offering__description_nl__icontains=term)
        )
    if request.GET.get("teachingLanguage"):
        lang = mapping.TEACHING_BACK.get(request.GET["teachingLanguage"])
        qs = qs.filter(offering__language=lang) if lang else qs.none()
    # OOAPI: `since` is a minimum start date, `until` a maximum end date.
    for name, lookup in (("since", "start_date__gte"), ("until", "end_date__lte")):
        if request.GET.get(name):
            try:
                qs = qs.filter(**{lookup: request.GET[name]})
                list(qs[:0])
            except Exception as exc:  # noqa: BLE001 - any malformed date
                raise OoapiError(400, f"query parameter {name}: not a date (YYYY-MM-DD)") from exc
    if request.GET.get("modeOfDelivery"):
        wanted = request.GET["modeOfDelivery"]
        qs = qs.filter(offering__mode__in=[m for m, values in mapping.MODES.items() if wanted in values])
    if request.GET.get("resultExpected") in ("true", "false"):
        result = request.GET["resultExpected"] == "true"
        qs = (qs.filter if result else qs.exclude)(offering__credential_type__in=mapping.RESULT_TYPES)
    kind = _enum(request, "offeringType", ("program", "course", "component"))
    if kind == "program":
        qs = qs.filter(offering__credential_type__in=PROGRAM_TYPES)
    elif kind == "course":
        qs = qs.exclude(offering__credential_type__in=PROGRAM_TYPES)
    elif kind == "component":
        qs = qs.none()
    study = _enum(request, "modeOfStudy", ("full-time", "part-time", "dual training", "self-paced"))
    if study is not None:
        qs = qs.filter(offering__mode=Mode.WORKPLACE) if study == mapping.DUAL else qs.none()
    sort = {"startDate": "start_date", "endDate": "end_date", "name": "offering__title_nl", "offeringId": "uuid"}
    return qs.order_by(*_sort(request, sort, "startDate"))


def _offering_dict(run: Run) -> dict[str, Any]:
    return mapping.run_offering(run, run.offering)


# ---------------------------------------------------------------- endpoints
class ServiceView(OoapiView):
    def get(self, request: HttpRequest) -> JsonResponse:
        return JsonResponse(
            {
                "contactEmail": "beheer@wendbaar.nl",
                "specification": request.build_absolute_uri(reverse("ooapi:service")),
                "documentation": "https://open-education-api.github.io/specification/v5/docs.html",
            }
        )


class OrganizationsView(OoapiView):
    def get(self, request: HttpRequest) -> JsonResponse:
        kind = request.GET.get("organizationType")
        qs = providers() if kind in (None, "", "root") else providers().none()
        qs = qs.order_by(*_sort(request, {"name": "name", "organizationId": "uuid"}, "name"))
        return paged(request, qs, mapping.organization)


class OrganizationView(OoapiView):
    def get(self, request: HttpRequest, organization_id: str) -> JsonResponse:
        found = providers().filter(uuid=_uuid(organization_id, "organization")).first()
        if found is None:
            raise OoapiError(404, f"no organization {organization_id}")
        return JsonResponse(mapping.organization(found))


class OrganizationCoursesView(OoapiView):
    def get(self, request: HttpRequest, organization_id: str) -> JsonResponse:
        provider = _provider(organization_id)
        return paged(request, _course_filters(request, courses().filter(provider=provider)), mapping.course)


class OrganizationOfferingsView(OoapiView):
    def get(self, request: HttpRequest, organization_id: str) -> JsonResponse:
        provider = _provider(organization_id)
        return paged(request, _run_filters(request, runs().filter(offering__provider=provider)), _offering_dict)


class CoursesView(OoapiView):
    def get(self, request: HttpRequest) -> JsonResponse:
        return paged(request, _course_filters(request, courses()), mapping.course)


class CourseView(OoapiView):
    def get(self, request: HttpRequest, course_id: str) -> JsonResponse:
        found = courses().filter(uuid=_uuid(course_id, "course")).first()
        if found is None:
            raise OoapiError(404, f"no course {course_id}")
        return JsonResponse(mapping.course(found))


class CourseOfferingsView(OoapiView):
    def get(self, request: HttpRequest, course_id: str) -> JsonResponse:
        course = courses().filter(uuid=_uuid(course_id, "course")).first()
        if course is None:
            raise OoapiError(404, f"no course {course_id}")
        return paged(request, _run_filters(request, runs().filter(offering=course)), _offering_dict)


class OfferingView(OoapiView):
    def get(self, request: HttpRequest, offering_id: str) -> JsonResponse:
        found = runs().filter(uuid=_uuid(offering_id, "offering")).first()
        if found is None:
            raise OoapiError(404, f"no offering {offering_id}")
        return JsonResponse(_offering_dict(found))


class OrganizationProgramsView(OoapiView):
    def get(self, request: HttpRequest, organization_id: str) -> JsonResponse:
        provider = _provider(organization_id)
        return paged(request, _program_filters(request, programs().filter(provider=provider)), mapping.program)


class ProgramsView(OoapiView):
    def get(self, request: HttpRequest) -> JsonResponse:
        return paged(request, _program_filters(request, programs()), mapping.program)


def _program(program_id: str) -> Offering:
    found = programs().filter(uuid=_uuid(program_id, "program")).first()
    if found is None:
        raise OoapiError(404, f"no program {program_id}")
    return found


class ProgramView(OoapiView):
    def get(self, request: HttpRequest, program_id: str) -> JsonResponse:
        return JsonResponse(mapping.program(_program(program_id)))


class ProgramOfferingsView(OoapiView):
    def get(self, request: HttpRequest, program_id: str) -> JsonResponse:
        program = _program(program_id)
        return paged(request, _run_filters(request, runs().filter(offering=program)), _offering_dict)


def specifications() -> QuerySet[Qualification]:
    """The crebo qualifications that published offerings lead to."""
    return Qualification.objects.filter(offerings__status=Status.PUBLISHED).distinct()


class EducationSpecificationsView(OoapiView):
    def get(self, request: HttpRequest) -> JsonResponse:
        qs = specifications()
        kind = request.GET.get("educationSpecificationType")
        if kind not in (None, "", "program"):
            qs = qs.none()
        if request.GET.get("primaryCode"):
            qs = qs.filter(code=request.GET["primaryCode"])
        qs = qs.order_by(*_sort(request, {"name": "name", "educationSpecificationId": "code"}, "name", tie="code"))
        return paged(request, qs, mapping.education_specification)


class EducationSpecificationView(OoapiView):
    def get(self, request: HttpRequest, specification_id: str) -> JsonResponse:
        wanted = _uuid(specification_id, "education specification")
        codes = specifications().values_list("code", flat=True)
        for code in codes:
            if mapping.crebo_uuid(code) == wanted:
                return JsonResponse(mapping.education_specification(Qualification.objects.get(code=code)))
        raise OoapiError(404, f"no education specification {specification_id}")


class EducationSpecificationProgramsView(OoapiView):
    def get(self, request: HttpRequest, specification_id: str) -> JsonResponse:
        wanted = _uuid(specification_id, "education specification")
        codes = specifications().values_list("code", flat=True)
        code = next((c for c in codes if mapping.crebo_uuid(c) == wanted), None)
        if code is None:
            raise OoapiError(404, f"no education specification {specification_id}")
        qs = programs().filter(crebo_id=code)
        if request.GET.get("croho-creboCode"):
            qs = qs.filter(crebo_id=request.GET["croho-creboCode"])
        return paged(request, _program_filters(request, qs), mapping.program)
