"""The admin's autocomplete widgets, made safe against a posted id that is not an id.

Django's AutocompleteSelect re-renders a form with errors by looking up the posted values
(`pk__in=[...]`); a crafted value such as "abc" makes that lookup raise ValueError, so the user
gets a 500 instead of the form's "Select a valid choice" error. The same class of bug was fixed in
django-autocomplete-light (PR #1321). These subclasses drop values the key field cannot hold
before the lookup; `OpsConfig.ready()` puts them in place for every ModelAdmin.
"""

from django.contrib.admin import options
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError


class ValidKeysOnlyMixin:
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if self._is_valid_key(v)], attr)

    def _is_valid_key(self, value):
        remote = self.field.remote_field
        key_field = remote.model._meta.get_field(getattr(remote, "field_name", None) or remote.model._meta.pk.name)
        if str(value) in self.choices.field.empty_values:
            return True
        try:
            key_field.run_validators(key_field.to_python(value))  # includes the database's integer range
        except (ValidationError, ValueError, TypeError):
            return False
        return True


class SafeAutocompleteSelect(ValidKeysOnlyMixin, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(ValidKeysOnlyMixin, AutocompleteSelectMultiple):
    pass


def install():
    """Make every ModelAdmin's autocomplete_fields use the safe widgets."""
    options.AutocompleteSelect = SafeAutocompleteSelect
    options.AutocompleteSelectMultiple = SafeAutocompleteSelectMultiple
