"""The notification tests' clock and SMS outbox, for the account messages that go through notices."""

from tests.notifications.conftest import clock, sms_outbox  # noqa: F401 (fixtures)
