"""Every app's report section is found, follows the contract, and gives only what it declares."""

import ast
import datetime
import re
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise

from reports.sections import section_figures, sections
from tests.activities.makers import activity_make, answer_make
from tests.feedback.factories import item_make
from tests.portfolio.printing_makers import work_make

APPS = {
    "parents",
    "activities",
    "notifications",
    "announcements",
    "portfolio",
    "donations",
    "health",
    "community",
    "feedback",
}
# What a section may read besides its own app: the core, the mechanisms, and blocks that know no app.
ALLOWED = {"schools", "parents", "accounts", "mediafiles", "notifications", "coordination"}
ROOT = Path(settings.BASE_DIR)


def test_every_app_has_its_section_in_order():
    found = sections()
    assert {section.key for section in found} >= APPS
    assert [section.order for section in found] == sorted(section.order for section in found)


def test_sections_follow_the_contract():
    for section in sections():
        assert isinstance(section.title, Promise), section.key
        keys = [metric.key for metric in section.metrics]
        assert len(keys) == len(set(keys)), section.key
        for metric in section.metrics:
            assert re.fullmatch(r"[a-z][a-z0-9_]*", metric.key), (section.key, metric.key)
            assert isinstance(metric.label, Promise), (section.key, metric.key)
        for rate in section.rates:
            assert isinstance(rate.label, Promise), (section.key, rate.key)


def test_sections_import_no_other_feature():
    for app in APPS:
        tree = ast.parse((ROOT / app / "report_sections.py").read_text(encoding="utf-8"))
        imported = {
            node.module.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module and not node.level
        } | {
            alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
        }
        project = {name for name in imported if (ROOT / name).is_dir()}
        assert project <= ALLOWED | {app}, f"{app}.report_sections imports {project - ALLOWED - {app}}"


def test_every_section_gives_only_declared_figures_and_never_a_name(world):
    october = timezone.make_aware(datetime.datetime(2026, 10, 6, 9))
    activity = activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom], published_at=october)
    answer_make(activity=activity, child=world.child, by=world.parent)
    work_make(child=world.child, by=world.teacher, made_on=datetime.date(2026, 10, 6))
    item_make(world, created_at=october)
    names = {world.child.full_name, world.parent.full_name, world.other_parent.full_name, world.teacher.full_name}
    start, end = datetime.date(2026, 10, 1), datetime.date(2026, 10, 31)
    for section in sections():
        declared = {metric.key for metric in section.metrics}
        rows = list(section_figures(section, school_ids=[world.school.pk, world.other_school.pk], start=start, end=end))
        for school_id, group, key, value in rows:
            assert school_id in (world.school.pk, world.other_school.pk), section.key
            assert key in declared
            assert isinstance(value, int)
            assert group not in names, (section.key, group)


def test_a_school_has_the_same_figures_alone_or_with_others(world):
    october = timezone.make_aware(datetime.datetime(2026, 10, 6, 9))
    for school, teacher, classroom, child, parent in (
        (world.school, world.teacher, world.classroom, world.child, world.parent),
        (
            world.other_school,
            world.foreign_teacher,
            world.foreign_classroom,
            world.other_school_child,
            world.foreign_parent,
        ),
    ):
        activity = activity_make(school=school, by=teacher, classrooms=[classroom], published_at=october)
        answer_make(activity=activity, child=child, by=parent)
        work_make(child=child, by=teacher, made_on=datetime.date(2026, 10, 6))
        item_make(world, school=school, by=parent, created_at=october)
    start, end = datetime.date(2026, 10, 1), datetime.date(2026, 10, 31)
    both = [world.school.pk, world.other_school.pk]
    for section in sections():
        together = set(section_figures(section, school_ids=both, start=start, end=end))
        for school_id in both:
            alone = set(section_figures(section, school_ids=[school_id], start=start, end=end))
            assert alone == {row for row in together if row[0] == school_id}, section.key
