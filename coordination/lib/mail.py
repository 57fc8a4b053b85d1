"""Django's SMTP e-mail backend, plus a two-phase send for messages that must go exactly once.

With Django's backend a message is known to be accepted only from the
server's "250" after the end-of-data mark ("\\r\\n.\\r\\n"). A worker that records
the message as sent after that reply, and is killed in between, leaves it
"being sent": after its lease another worker sends it again.

`send_then_commit` turns the order round:

1. MAIL FROM, RCPT TO, DATA and the whole message body, but not its end;
2. `commit()`: the caller records the message as sent, committed in its database;
3. the end-of-data mark, then the server's reply.

An SMTP server keeps no message whose connection closes before the end-of-data
mark (the transaction is abandoned, as after RSET). So a process that dies
before the commit has returned leaves nothing at the server, and the message
is still to be sent: it goes once, later. Once the mark is in the kernel's
socket buffer it reaches the server even if the process dies, since the kernel
closes the socket in order (never set SO_LINGER to 0 here: that would reset the
connection and drop the buffer). What remains is the few microseconds between
the commit returning and the write of the mark.

`send_group_then_commit` does the same for several messages at once, one per
connection (up to EMAIL_PARALLEL_CONNECTIONS), with one commit for the group:
each step is sent on every connection before the replies are read, so that a
sender spends its time sending rather than waiting for the server's answers
and the database's commit, one message at a time.

Everything else is Django's backend unchanged, so EMAIL_BACKEND may name this
class for all of the portal's e-mail.
"""

from __future__ import annotations

import contextlib
import re
import signal
import smtplib
import socket
import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail.backends import smtp
from django.core.mail.message import EmailMessage, sanitize_address
from django.core.mail.utils import DNS_NAME

END_OF_DATA = b"\r\n.\r\n"
LEADING_DOT = re.compile(rb"(?m)^\.")
# A worker must not wait for ever on a server that stopped answering: used
# when neither the caller nor EMAIL_TIMEOUT gives a timeout.
DEFAULT_TIMEOUT_SECONDS = 30
# Celery's soft time limit, a warm shutdown or an alarm raise an exception
# from a signal handler, between any two bytecodes: held back while the
# commit runs and the end-of-data marks are written, so that none can land
# between the two (or leave the outcome of the commit unknown).
DEFERRED_SIGNALS = {signal.SIGALRM, signal.SIGHUP, signal.SIGINT, signal.SIGTERM, signal.SIGUSR1, signal.SIGUSR2}


# commit(positions, end): record the messages at these positions as sent,
# call end(recorded) exactly once, at the moment their record is decided (see
# send_group_then_commit), and return the recorded positions.
GroupCommit = Callable[[list[int], Callable[[Collection[int]], None]], Collection[int]]


@dataclass(frozen=True)
class Outgoing:
    """One message as it goes over SMTP: its envelope, and its bytes with CRLF line ends."""

    sender: str
    recipients: tuple[str, ...]
    data: bytes

    @classmethod
    def of(cls, email_message: EmailMessage) -> Outgoing:
        if not email_message.recipients():
            raise ValueError("the message has no recipient")
        encoding = email_message.encoding or settings.DEFAULT_CHARSET
        return cls(
            sender=sanitize_address(email_message.from_email, encoding),
            recipients=tuple(sanitize_address(address, encoding) for address in email_message.recipients()),
            data=email_message.message().as_bytes(linesep="\r\n"),
        )


class MailServerUnavailable(smtplib.SMTPException):
    """No connection to the server could be opened (refused, timed out, TLS or login failed)."""


class NotCommitted(smtplib.SMTPException):
    """The commit left this message out: it was abandoned before its end, and the server dropped it."""


class NotAcceptedAfterCommit(smtplib.SMTPException):
    """The caller's commit went through, but the server did not take the message: undo it.

    `smtp_code` is the server's reply to the end of the message (a 4xx or 5xx),
    or None when no reply came: the connection broke first. The standard advice
    for a lost reply is to count it as a temporary failure and try again later.
    """

    def __init__(self, smtp_code: int | None, smtp_error: str):
        super().__init__(f"{smtp_code} {smtp_error}" if smtp_code else smtp_error)
        self.smtp_code = smtp_code
        self.smtp_error = smtp_error


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    # Python runs signal handlers in the main thread only: elsewhere nothing to hold.
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, DEFERRED_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


# What a server answers to refuse a message: the connection stays usable after RSET.
REFUSALS = (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused)


class EmailBackend(smtp.EmailBackend):
    """Django's SMTP backend with `send_then_commit` and `send_group_then_commit`."""

    supports_send_then_commit = True

    def __init__(self, *args, timeout=None, parallel: int | None = None, **kwargs):
        super().__init__(*args, timeout=timeout, **kwargs)
        if self.timeout is None:
            self.timeout = DEFAULT_TIMEOUT_SECONDS
        self.parallel = max(1, parallel or getattr(settings, "EMAIL_PARALLEL_CONNECTIONS", 1))
        # The connections of the two-phase sends, kept open from one group to the next.
        self._pool: list[smtplib.SMTP] = []

    # --- Connections ---------------------------------------------------------------------------

    def open(self):
        opened = super().open()
        if opened and self.connection is not None:
            self._no_delay(self.connection)
        return opened

    def close(self):
        pool, self._pool = self._pool, []
        for connection in pool:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                connection.quit()
            with contextlib.suppress(OSError):
                connection.close()
        super().close()

    @staticmethod
    def _no_delay(connection: smtplib.SMTP) -> None:
        # The end-of-data mark is a small write right after the body: with
        # Nagle's algorithm it would wait for the server's delayed ACK of the
        # body (40 ms on Linux) before leaving.
        if connection.sock is not None:
            with contextlib.suppress(OSError):
                connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _connect(self) -> smtplib.SMTP:
        """A new connection, set up as Django's open() sets up its own (TLS, login)."""
        params = {"local_hostname": DNS_NAME.get_fqdn(), "timeout": self.timeout}
        if self.use_ssl:
            params["context"] = self.ssl_context
        connection = self.connection_class(self.host, self.port, **params)
        try:
            if not self.use_ssl and self.use_tls:
                connection.starttls(context=self.ssl_context)
            if self.username and self.password:
                connection.login(self.username, self.password)
            connection.ehlo_or_helo_if_needed()
        except BaseException:
            with contextlib.suppress(OSError):
                connection.close()
            raise
        self._no_delay(connection)
        return connection

    def _connections(self, wanted: int) -> list[smtplib.SMTP]:
        """Up to `wanted` open connections (fewer if the server takes no more); MailServerUnavailable if none."""
        while len(self._pool) < min(wanted, self.parallel):
            try:
                self._pool.append(self._connect())
            except OSError as exc:  # smtplib's errors are OSErrors too
                if not self._pool:
                    raise MailServerUnavailable(str(exc) or exc.__class__.__name__) from exc
                break
        return self._pool[:wanted]

    def _drop(self, connection: smtplib.SMTP) -> None:
        """Close at once, without QUIT (which a server in the middle of a message reads as part of it)."""
        if connection in self._pool:
            self._pool.remove(connection)
        with contextlib.suppress(OSError):
            connection.close()

    # --- Sending ----------------------------------------------------------------------------------

    def send_then_commit(self, email_message: EmailMessage, *, commit: Callable[[], None]) -> None:
        """Send one message, calling `commit()` after its body and before its end-of-data mark.

        Raises what smtplib raises when the server refuses the message before
        the commit (nothing was committed; MailServerUnavailable when no
        connection could be opened); re-raises what `commit()` raises, after
        closing the connection without the end-of-data mark (the server drops
        the message); raises NotAcceptedAfterCommit when the server did not
        take a message whose commit went through. (The end-of-data mark goes
        once commit() has returned; send_group_then_commit can send it sooner.)
        """
        outgoing = Outgoing.of(email_message)

        def commit_one(positions: list[int], end: Callable[[Collection[int]], None]) -> list[int]:
            commit()
            end(positions)
            return positions

        [error] = self.send_group_then_commit([outgoing], commit=commit_one)
        if error is not None:
            raise error

    def send_group_then_commit(
        self, messages: Sequence[Outgoing], *, commit: GroupCommit
    ) -> list[smtplib.SMTPException | OSError | None]:
        """Send the messages, up to `parallel` at once, calling `commit` once per group.

        `commit(positions, end)` gets the positions (in `messages`) of the
        group's messages whose body went out, records them as sent, and
        returns those it recorded; the others are abandoned before their end.
        It calls `end(recorded)` the moment the record is decided, and the
        end-of-data marks are written then: right after the commit returns at
        the latest, but better as soon as the commit has been sent to the
        database and before its answer, since the database commits what it
        received even if the sender dies while waiting for the answer.

        Returns, for each message, None when the server accepted it, or why not:
        smtplib's errors before the commit (nothing of it was committed);
        MailServerUnavailable when no connection could be opened; NotCommitted
        when `commit` left it out; NotAcceptedAfterCommit when it was committed
        and then refused or not answered. Whatever `commit` raises is raised,
        after every message of the group was abandoned before its end.
        """
        results: list[smtplib.SMTPException | OSError | None] = [None] * len(messages)
        with self._lock:
            waiting = list(range(len(messages)))
            while waiting:
                try:
                    connections = self._connections(len(waiting))
                except MailServerUnavailable as exc:
                    for index in waiting:
                        results[index] = exc
                    break
                group = dict(zip(waiting, connections, strict=False))
                waiting = waiting[len(group) :]
                self._send_group(group, messages, results, commit)
        return results

    def _send_group(self, group: dict[int, smtplib.SMTP], messages, results, commit: GroupCommit) -> None:
        run = _GroupRun(self, group, messages, results)
        try:
            run.send_bodies()
            if run.live:
                run.commit_and_end(commit)
        except BaseException:
            # A time limit, a failed commit: whatever is half-way is abandoned.
            for connection in list(run.live.values()):
                self._drop(connection)
            raise


class _GroupRun:
    """One group of messages, one per connection, moved forward a step at a time together."""

    def __init__(self, backend: EmailBackend, group: dict[int, smtplib.SMTP], messages, results):
        self.backend = backend
        self.live = dict(group)  # the messages still on their way, by position
        self.messages: Sequence[Outgoing] = messages
        self.results = results

    def fail(self, index: int, error: smtplib.SMTPException | OSError, *, reset: bool) -> None:
        self.results[index] = error
        connection = self.live.pop(index)
        if not reset:
            self.backend._drop(connection)
            return
        try:  # a refusal: after RSET the connection is ready for the next message
            connection.rset()
        except OSError:
            self.backend._drop(connection)

    def step(self, command: Callable[[int], tuple[str, str] | None], accept: Callable[[int, int, bytes], None]):
        """Send a command on every connection first, then read every reply: one wait for the whole group."""
        asked = []
        for index, connection in list(self.live.items()):
            line = command(index)
            if line is None:
                continue
            try:
                connection.putcmd(*line)
            except OSError as exc:
                self.fail(index, exc, reset=False)
                continue
            asked.append(index)
        for index in asked:
            try:
                code, reply = self.live[index].getreply()
            except OSError as exc:
                self.fail(index, exc, reset=False)
                continue
            try:
                accept(index, code, reply)
            except REFUSALS as exc:
                self.fail(index, exc, reset=code != 421)

    def send_bodies(self) -> None:
        """MAIL FROM, RCPT TO, DATA and each body without its end: smtplib's sendmail, for the group."""
        messages = self.messages

        def mail(index: int) -> tuple[str, str]:
            connection = self.live[index]
            size = f" size={len(messages[index].data)}" if connection.has_extn("size") else ""
            return "mail", f"FROM:{smtplib.quoteaddr(messages[index].sender)}{size}"

        def mail_accepted(index: int, code: int, reply: bytes) -> None:
            if code != 250:
                raise smtplib.SMTPSenderRefused(code, reply, messages[index].sender)

        self.step(mail, mail_accepted)
        for number in range(max((len(messages[index].recipients) for index in self.live), default=0)):
            # The n-th recipient of each message (no pipelining without the server's word for it).
            def rcpt(index: int, number=number) -> tuple[str, str] | None:
                recipients = messages[index].recipients
                return ("rcpt", f"TO:{smtplib.quoteaddr(recipients[number])}") if number < len(recipients) else None

            def rcpt_accepted(index: int, code: int, reply: bytes, number=number) -> None:
                if code not in (250, 251):
                    # The portal writes to one person per message: a refusal of any is the message's.
                    raise smtplib.SMTPRecipientsRefused({messages[index].recipients[number]: (code, reply)})

            self.step(rcpt, rcpt_accepted)

        def data_accepted(index: int, code: int, reply: bytes) -> None:
            if code != 354:
                raise smtplib.SMTPDataError(code, reply)

        self.step(lambda index: ("data", ""), data_accepted)
        for index, connection in list(self.live.items()):
            # The body, ending without the line break of its last line: that
            # line break is the start of the end-of-data mark.
            body = LEADING_DOT.sub(b"..", messages[index].data)
            if body.endswith(b"\r\n"):
                body = body[:-2]
            try:
                connection.send(body)
            except OSError as exc:
                self.fail(index, exc, reset=False)

    def commit_and_end(self, commit: GroupCommit) -> None:
        """One commit for the group; each message it recorded gets its end-of-data mark the moment that is decided."""
        ended: list[int] = []
        called = False

        def end(positions: Collection[int]) -> None:
            # Never raises: it may run inside the database driver's wait for the commit.
            nonlocal called
            if called:
                return
            called = True
            chosen = set(positions)
            for index, connection in list(self.live.items()):
                if index not in chosen:
                    self.fail(index, NotCommitted("left out of the commit: dropped before its end"), reset=False)
                    continue
                try:
                    connection.send(END_OF_DATA)
                except OSError as exc:
                    error = NotAcceptedAfterCommit(None, f"the connection closed before the end of the message: {exc}")
                    self.fail(index, error, reset=False)
                    continue
                ended.append(index)

        with signals_deferred():
            recorded = commit(list(self.live), end)
            end(recorded)  # in case the commit did not call it
        for index in ended:
            try:
                code, reply = self.live[index].getreply()
            except OSError as exc:
                error = NotAcceptedAfterCommit(None, f"no reply to the end of the message: {exc}")
                self.fail(index, error, reset=False)
                continue
            if code != 250:
                self.fail(index, NotAcceptedAfterCommit(code, _text(reply)), reset=code != 421)
            else:
                self.live.pop(index)
