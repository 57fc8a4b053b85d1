"""Factories of the lending library's objects."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from community.models import LibraryCopy, LibraryItem, LibraryLoan, LibraryReservation
from tests import factories as f


class LibraryItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LibraryItem

    school = factory.SubFactory(f.SchoolFactory)
    name = factory.Sequence(lambda n: f"Bộ đồ chơi {n}")
    category = "toy"


class LibraryCopyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LibraryCopy

    item = factory.SubFactory(LibraryItemFactory)
    school = factory.LazyAttribute(lambda o: o.item.school)
    code = factory.Sequence(lambda n: f"TV-{n:04d}")


class LibraryLoanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LibraryLoan

    copy = factory.SubFactory(LibraryCopyFactory)
    school = factory.LazyAttribute(lambda o: o.copy.school)
    child = factory.SubFactory(f.ChildFactory)
    borrower = factory.SubFactory(f.UserFactory)
    out_by = factory.SubFactory(f.UserFactory)
    out_at = factory.LazyFunction(timezone.now)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))
    condition_out = "good"


class LibraryReservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LibraryReservation

    item = factory.SubFactory(LibraryItemFactory)
    school = factory.LazyAttribute(lambda o: o.item.school)
    child = factory.SubFactory(f.ChildFactory)
    guardian = factory.SubFactory(f.UserFactory)
    created_at = factory.LazyFunction(timezone.now)
