"""The notification tests' clock and SMS outbox: what families are told of goes through notices."""

from tests.notifications.conftest import clock, sms_outbox  # noqa: F401 (fixtures)
