"""The admin's user and group pages with permission names in the admin's language.

Django stores a permission's name in English when the migration creates it ("Can add organisation");
the list of permissions on a user or group page showed those English names on the Dutch admin.
Here each name is made from the action and the model's (translated) name where the page is shown.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission, User
from django.db.models import ManyToManyField
from django.http import HttpRequest
from django.utils.translation import gettext, gettext_noop

ACTIONS = {
    "add": gettext_noop("May add %(model)s"),
    "change": gettext_noop("May change %(model)s"),
    "delete": gettext_noop("May delete %(model)s"),
    "view": gettext_noop("May view %(model)s"),
}


def permission_label(permission: Permission) -> str:
    """'Regio's | organisatie | Mag organisatie toevoegen' in the active language."""
    model = permission.content_type.model_class()
    action, _sep, _rest = permission.codename.partition("_")
    if model is not None and action in ACTIONS and permission.codename == f"{action}_{model._meta.model_name}":
        name = gettext(ACTIONS[action]) % {"model": model._meta.verbose_name}
        return f"{model._meta.app_config.verbose_name} | {model._meta.verbose_name} | {name}"
    return f"{permission.content_type} | {gettext(permission.name)}"


class TranslatedPermissions:
    """Admin mixin: the permissions field labels each permission in the active language."""

    def formfield_for_manytomany(self, db_field: ManyToManyField, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]
        queryset = getattr(field, "queryset", None)
        if isinstance(field, forms.ModelMultipleChoiceField) and queryset is not None and queryset.model is Permission:
            field.label_from_instance = permission_label  # type: ignore[method-assign,assignment]
        return field


class TranslatedUserAdmin(TranslatedPermissions, UserAdmin):
    pass


class TranslatedGroupAdmin(TranslatedPermissions, GroupAdmin):  # type: ignore[misc]
    pass


for model, model_admin in ((User, TranslatedUserAdmin), (Group, TranslatedGroupAdmin)):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
