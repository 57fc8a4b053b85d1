"""Where each table lives when PostgreSQL is scaled out by school (Citus): see docs/scaling.md.

A table of school data is *distributed* by `school_id`: its model has a required `school` foreign key,
and every row of one school sits on the same shard as the school's other rows. The tables that are
not school data are declared here with the reason:

- REFERENCE_TABLES: lists every school reads or joins (the country's authorities, the schools
  themselves, the food composition table, the accounts), copied to every node so that a school's shard
  can join them locally;
- PERSON_TABLES: a person's own rows, found by the person (an account, its sign-in records, the
  notices addressed to it) or platform-wide records; they stay on the coordinator.

Models are named by label, never imported, so that the core declares no dependency on a feature.
tests/coordination/test_tenancy_models.py walks every installed model and fails on one that is
neither distributed nor declared here.
"""

from __future__ import annotations

REFERENCE_TABLES: dict[str, str] = {
    "schools.Authority": "the provinces and communes that oversee schools: a few thousand rows",
    "schools.School": "one row per school (15,000 at most), joined by every school's queries",
    # Large for a reference table (millions of rows), but school data joins it everywhere (the names of
    # guardians and teachers), and accounts change rarely: a sign-in, a language, a phone number.
    "accounts.User": "the accounts, joined by school data's queries for people's names",
    "schools.AuthorityDaysOff": "an authority's days off (a province's Tết break), read by all its schools",
    "community.Food": "the national food composition table, with the few foods schools add to it",
    "reports.AreaFigure": "the authorities' published dashboard cells: per commune and province, read across schools",
    "notifications.ZaloAccount": "the portal's Zalo official account settings",
    "notifications.ZaloTemplate": "the approved Zalo message templates",
    "notifications.ZaloTemplateParam": "the parameters of the approved Zalo templates",
    "contenttypes.ContentType": "Django's list of models",
    "auth.Permission": "Django's list of permissions",
    "auth.Group": "the portal's permission groups",
    "auth.Group_permissions": "the permissions of the portal's groups",
}

PERSON_TABLES: dict[str, str] = {
    "account.EmailAddress": "an account's e-mail addresses",
    "account.EmailConfirmation": "an account's pending e-mail confirmations",
    "mfa.Authenticator": "an account's second factors",
    "sessions.Session": "sign-in sessions, found by their key",
    "admin.LogEntry": "the admin's history, written by the person who acted",
    "schools.AuthorityOfficer": "an officer's posts: authorities, not schools",
    "notifications.Notice": "a person's notices, read by their recipient (the school is a label on it)",
    "notifications.Delivery": "the sending of a notice, found by the notice or the outbox's queue",
    "notifications.Preference": "a person's notice choices",
    "notifications.DigestRun": "a person's last digest",
    "notifications.ReminderTally": "a person's reminders counted per day",
    "notifications.SmsCount": "the platform's SMS counters",
    "notifications.ZaloEvent": "Zalo's callbacks, found by the tracking id of a delivery",
    "privacy.Export": "a person's or family's data export, found by its unguessable link",
    "privacy.Erasure": "the platform's record that data was erased (the school, if any, may be gone)",
    "privacy.Breach": "a breach, possibly of the whole platform, on the regulator's clock",
    "privacy.BreachEvent": "the history of a breach",
    "privacy.Breach_children": "the children a breach touched, kept with the breach",
    "accounts.User_groups": "an account's permission groups",
    "accounts.User_user_permissions": "an account's own permissions",
}

# School data that does not carry school_id yet, with what it is. Empty: the link tables of many-to-many
# fields are explicit models with a `school` column (schools.models.SchoolLink). The list only shrinks
# (tests/coordination/test_tenancy_models.py).
PENDING_SCHOOL: dict[str, str] = {}

# Third-party apps whose tables hold no school data (Celery results, and the like) would go here by app
# label; today every installed model is declared one by one above.
PERSON_APPS: dict[str, str] = {}


def placement(model) -> str:
    """'distributed', 'reference' or 'person': where a model's table lives under Citus."""
    label = model._meta.label
    if label in REFERENCE_TABLES:
        return "reference"
    if label in PERSON_TABLES or model._meta.app_label in PERSON_APPS:
        return "person"
    return "distributed"


def is_school_data(model) -> bool:
    return placement(model) == "distributed"


def distributed_tables() -> set[str]:
    """The database tables distributed by school_id."""
    from django.apps import apps

    return {m._meta.db_table for m in apps.get_models(include_auto_created=True) if is_school_data(m)}
