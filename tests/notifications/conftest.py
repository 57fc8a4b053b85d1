"""Helpers for the notification tests: clocks in the school's time zone, outboxes, preferences."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.sms import LocmemSmsBackend
from notifications.models import Preference, default_channels

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def at(year, month, day, hour=0, minute=0, second=0) -> datetime.datetime:
    """A moment in the schools' time zone."""
    return datetime.datetime(year, month, day, hour, minute, second, tzinfo=HANOI)


@pytest.fixture
def clock():
    """Travel to a local time and stay there until told to move: `clock.to(at(...))`, `clock.shift(seconds=…)`."""

    class Clock:
        traveller = None

        def to(self, moment: datetime.datetime) -> None:
            self.stop()
            self.traveller = time_machine.travel(moment, tick=False)
            self.shifter = self.traveller.start()

        def shift(self, **delta) -> None:
            self.shifter.shift(datetime.timedelta(**delta))

        def stop(self) -> None:
            if self.traveller is not None:
                self.traveller.stop()
                self.traveller = None

    clock = Clock()
    yield clock
    clock.stop()


@pytest.fixture
def sms_outbox(settings):
    settings.SMS_BACKEND = "notifications.sms.LocmemSmsGateway"
    LocmemSmsBackend.outbox.clear()
    yield LocmemSmsBackend.outbox
    LocmemSmsBackend.outbox.clear()


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run what services queue on commit (tasks run in-process in tests)."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


def prefer(user, *, sms: dict | None = None, email_off=(), **fields) -> Preference:
    """Save a person's choices: e.g. prefer(user, frequency="immediate", sms={"activity": "all"})."""
    channels = default_channels()
    for category, choice in (sms or {}).items():
        channels[category]["sms"] = choice
    for category in email_off:
        channels[category]["email"] = False
    preference, _created = Preference.objects.update_or_create(user=user, defaults={"channels": channels, **fields})
    return preference


def with_phone(user, phone="+84912345678"):
    user.phone = phone
    user.phone_verified = True
    user.save()
    return user
