"""The two-phase SMTP backend: the body goes, the caller commits, and only then the end of the message.

Against a real SMTP server on 127.0.0.1 (aiosmtpd in a thread), which keeps no
message whose connection closes before the end-of-data mark.
"""

from __future__ import annotations

import smtplib
import socket
import time

import pytest
from django.core.mail import EmailMessage

from coordination.lib.mail import (
    EmailBackend,
    MailServerUnavailable,
    NotAcceptedAfterCommit,
    NotCommitted,
    Outgoing,
)
from tests.notifications.smtp_server import SmtpServer

SENDER = "no-reply@portal.example.test"


@pytest.fixture
def server():
    with SmtpServer() as server:
        yield server


def backend(server, **options) -> EmailBackend:
    return EmailBackend(host="127.0.0.1", port=server.port, use_tls=False, use_ssl=False, **options)


def message(to: str, *, body: str = "Thứ Bảy, 8 giờ.") -> EmailMessage:
    return EmailMessage(
        subject="Họp phụ huynh", body=body, from_email=SENDER, to=[to], headers={"Message-ID": f"<{to}>"}
    )


def outgoing(to: str) -> Outgoing:
    data = message(to).message().as_bytes(linesep="\r\n")
    return Outgoing(sender=SENDER, recipients=(to,), data=data)


def settle(seconds: float = 0.3) -> None:
    """Give the server time to handle whatever reached it (a message it would wrongly keep)."""
    time.sleep(seconds)


def test_the_commit_comes_after_the_body_and_before_the_end(server):
    seen_at_commit = []
    sender = backend(server)
    sender.send_then_commit(message("hoa@example.test"), commit=lambda: seen_at_commit.append(len(server.received())))
    sender.close()

    # When the caller committed, the server had the whole body but not the end: no message yet.
    assert seen_at_commit == [0]
    assert [item.recipients for item in server.received()] == [("hoa@example.test",)]
    assert server.received()[0].message_id == "<hoa@example.test>"


def test_a_failed_commit_leaves_nothing_at_the_server_and_the_next_message_goes(server):
    sender = backend(server)

    def commit():
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        sender.send_then_commit(message("hoa@example.test"), commit=commit)
    settle()
    assert server.received() == []

    sender.send_then_commit(message("lan@example.test"), commit=lambda: None)
    sender.close()
    assert [item.recipients for item in server.received()] == [("lan@example.test",)]


def test_lines_starting_with_a_dot_arrive_intact(server):
    sender = backend(server)
    sender.send_then_commit(message("hoa@example.test", body=".\n..hai chấm\n.một chấm\n"), commit=lambda: None)
    sender.close()
    [content] = server.handler.contents()
    assert content.replace(b"\r\n", b"\n").endswith(".\n..hai chấm\n.một chấm\n".encode())


def test_a_group_goes_over_several_connections_with_one_commit_each(server):
    sender = backend(server, parallel=4)
    commits = []

    def commit(positions, end):
        commits.append((list(positions), len(server.received())))
        end(positions)
        return positions

    results = sender.send_group_then_commit([outgoing(f"p{i}@example.test") for i in range(6)], commit=commit)
    sender.close()

    assert results == [None] * 6
    assert commits == [([0, 1, 2, 3], 0), ([4, 5], 4)]
    assert sorted(item.recipients[0] for item in server.received()) == [f"p{i}@example.test" for i in range(6)]


def test_a_refused_recipient_is_left_out_and_the_others_go(server):
    server.handler.refuse_rcpt["gone@example.test"] = "550 5.1.1 no such user"
    sender = backend(server, parallel=3)
    committed = []

    def commit(positions, end):
        committed.extend(positions)
        end(positions)
        return positions

    addresses = ["a@example.test", "gone@example.test", "b@example.test", "c@example.test"]
    results = sender.send_group_then_commit([outgoing(a) for a in addresses], commit=commit)
    sender.close()

    assert isinstance(results[1], smtplib.SMTPRecipientsRefused)
    assert results[0] is None and results[2] is None and results[3] is None
    assert 1 not in committed
    assert sorted(item.recipients[0] for item in server.received()) == [addresses[0], addresses[2], addresses[3]]


def test_a_message_left_out_of_the_commit_is_dropped_before_its_end(server):
    sender = backend(server, parallel=2)

    def commit(positions, end):
        end([0])  # the other one was taken over by someone else meanwhile
        return [0]

    results = sender.send_group_then_commit([outgoing("a@example.test"), outgoing("b@example.test")], commit=commit)
    sender.close()
    settle()

    assert results[0] is None and isinstance(results[1], NotCommitted)
    assert [item.recipients for item in server.received()] == [("a@example.test",)]


@pytest.mark.parametrize("reply", ["550 5.7.1 content rejected", "451 4.3.0 try again later"])
def test_a_refusal_at_the_end_is_reported_after_the_commit(server, reply):
    server.handler.refuse_data["spam@example.test"] = reply
    sender = backend(server)
    commits = []
    with pytest.raises(NotAcceptedAfterCommit) as refused:
        sender.send_then_commit(message("spam@example.test"), commit=lambda: commits.append(1))
    # The connection is still good for the next message.
    sender.send_then_commit(message("hoa@example.test"), commit=lambda: commits.append(2))
    sender.close()

    assert commits == [1, 2]
    assert refused.value.smtp_code == int(reply[:3]) and reply[4:] in str(refused.value)
    assert [item.recipients for item in server.received()] == [("hoa@example.test",)]


def test_no_server_no_commit():
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]  # nobody listens there once it is closed
    sender = EmailBackend(host="127.0.0.1", port=port, timeout=2)
    commits = []
    results = sender.send_group_then_commit(
        [outgoing("a@example.test"), outgoing("b@example.test")], commit=lambda positions, end: commits.append(1)
    )
    assert all(isinstance(result, MailServerUnavailable) for result in results) and commits == []
    with pytest.raises(MailServerUnavailable):
        sender.send_then_commit(message("a@example.test"), commit=lambda: commits.append(1))
    assert commits == []


def test_django_s_own_api_still_works(server):
    sender = backend(server)
    assert sender.send_messages([message("hoa@example.test"), message("lan@example.test")]) == 2
    assert len(server.received()) == 2
