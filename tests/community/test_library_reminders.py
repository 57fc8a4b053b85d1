"""The loan reminders: due tomorrow, and overdue (a short series), to the child's guardians, once each."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone, translation

from notifications.models import Notice
from notifications.reminders import Job, reminder_job_run, reminder_sources
from tests.community.factories_library import LibraryItemFactory, LibraryLoanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _loan(world, *, due, returned=False):
    item = LibraryItemFactory(school=world.school, name="Áo dài múa")
    loan = LibraryLoanFactory(copy__item=item, child=world.child, borrower=world.parent, due_on=due)
    if returned:
        loan.returned_at = timezone.now()
        loan.save()
    return loan


def test_the_sources_are_registered():
    assert "community.library.loans_due_tomorrow" in reminder_sources(Job.LOANS_DUE_TOMORROW)
    assert "community.library.loans_overdue" in reminder_sources(Job.LOANS_OVERDUE)


def test_due_tomorrow_tells_the_guardians_once(world):
    today = timezone.localdate()
    _loan(world, due=today + datetime.timedelta(days=1))
    _loan(world, due=today + datetime.timedelta(days=1), returned=True)
    _loan(world, due=today + datetime.timedelta(days=3))
    reminder_job_run(job=Job.LOANS_DUE_TOMORROW)
    reminder_job_run(job=Job.LOANS_DUE_TOMORROW)
    notices = list(Notice.objects.filter(category="loans"))
    assert [n.recipient for n in notices] == [world.parent]
    assert notices[0].title == "Áo dài múa is due back tomorrow"
    assert "Khôi" in notices[0].body and "Nguyễn" not in notices[0].body + notices[0].title


def test_overdue_loans_are_reminded(world):
    today = timezone.localdate()
    _loan(world, due=today - datetime.timedelta(days=2))
    _loan(world, due=today)
    reminder_job_run(job=Job.LOANS_OVERDUE)
    notice = Notice.objects.get(category="loans")
    assert notice.recipient == world.parent and notice.title.startswith("Áo dài múa is overdue")


def test_overdue_reminders_are_a_short_series(world):
    today = timezone.localdate()
    _loan(world, due=today - datetime.timedelta(days=1))
    now = timezone.now()
    for day in range(20):
        reminder_job_run(job=Job.LOANS_OVERDUE, now=now + datetime.timedelta(days=day))
    assert Notice.objects.filter(category="loans", recipient=world.parent).count() == 3


def test_a_family_that_left_is_still_reminded(world):
    item = LibraryItemFactory(school=world.school, name="Đàn gỗ")
    LibraryLoanFactory(
        copy__item=item,
        child=world.left_child,
        borrower=world.former_parent,
        due_on=timezone.localdate() - datetime.timedelta(days=4),
    )
    reminder_job_run(job=Job.LOANS_OVERDUE)
    assert Notice.objects.filter(recipient=world.former_parent, category="loans").count() == 1
    notice = Notice.objects.get(recipient=world.former_parent)
    client = Client()
    client.force_login(world.former_parent)
    assert "Đàn gỗ" in client.get(notice.url).content.decode()
