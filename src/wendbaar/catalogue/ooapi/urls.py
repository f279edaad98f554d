"""The OOAPI v5 read endpoints, under /ooapi/v5/ (OOAPI's own paths: no trailing slashes, camelCase ids)."""

from django.urls import path

from wendbaar.catalogue.ooapi import views

app_name = "ooapi"
urlpatterns = [
    path("", views.ServiceView.as_view(), name="service"),
    path("organizations", views.OrganizationsView.as_view(), name="organizations"),
    path("organizations/<str:organization_id>", views.OrganizationView.as_view(), name="organization"),
    path(
        "organizations/<str:organization_id>/courses",
        views.OrganizationCoursesView.as_view(),
        name="organization-courses",
    ),
    path(
        "organizations/<str:organization_id>/offerings",
        views.OrganizationOfferingsView.as_view(),
        name="organization-offerings",
    ),
    path(
        "organizations/<str:organization_id>/programs",
        views.OrganizationProgramsView.as_view(),
        name="organization-programs",
    ),
    path("programs", views.ProgramsView.as_view(), name="programs"),
    path("programs/<str:program_id>", views.ProgramView.as_view(), name="program"),
    path("programs/<str:program_id>/offerings", views.ProgramOfferingsView.as_view(), name="program-offerings"),
    path("courses", views.CoursesView.as_view(), name="courses"),
    path("courses/<str:course_id>", views.CourseView.as_view(), name="course"),
    path("courses/<str:course_id>/offerings", views.CourseOfferingsView.as_view(), name="course-offerings"),
    path("offerings/<str:offering_id>", views.OfferingView.as_view(), name="offering"),
    path("education-specifications", views.EducationSpecificationsView.as_view(), name="education-specifications"),
    path(
        "education-specifications/<str:specification_id>",
        views.EducationSpecificationView.as_view(),
        name="education-specification",
    ),
    path(
        "education-specifications/<str:specification_id>/programs",
        views.EducationSpecificationProgramsView.as_view(),
        name="education-specification-programs",
    ),
]
