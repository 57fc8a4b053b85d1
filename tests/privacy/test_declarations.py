"""Every model that holds something about a person or a child is declared, and each declaration reads well."""

from __future__ import annotations

from django.utils import translation

from privacy.declarations import GROUNDS, declarations, personal_models, undeclared_models

CORE = ("accounts", "schools", "parents", "mediafiles", "notifications")


def test_every_model_pointing_to_a_person_or_a_child_is_declared():
    # A new model with a ForeignKey to a user or a child fails here until its app's personal_data.py says
    # what it holds, why, for how long, and how it is erased.
    assert undeclared_models() == []


def test_the_core_apps_models_and_the_third_party_ones_they_own_are_declared():
    declared = {declaration.model_label for declaration in declarations()}
    core = {label for label in personal_models() if label.split(".")[0] in CORE}
    assert core <= declared
    assert {"account.EmailAddress", "mfa.Authenticator", "admin.LogEntry", "sessions.Session"} <= declared


def test_each_declaration_says_in_plain_words_what_why_on_which_ground_and_how_long():
    with translation.override("vi"):
        for declaration in declarations():
            for text in (declaration.holds, declaration.purpose, declaration.retention):
                assert str(text).strip(), declaration.model_label
            assert declaration.ground in GROUNDS
            assert all(str(recipient).strip() for recipient in declaration.recipients)


def test_the_paths_of_each_declaration_exist():
    for declaration in declarations():
        queryset = declaration.model._default_manager.all()
        for path in [declaration.child, *declaration.people, *declaration.actors, *declaration.media]:
            if path:
                str(queryset.filter(**{f"{path}__isnull": True}).query)  # an unknown path raises here
        for name in [*declaration.exclude, *declaration.anonymise]:
            declaration.model._meta.get_field(name)
