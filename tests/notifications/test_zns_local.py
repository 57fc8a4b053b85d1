"""The local ZNS stand-in answers as Zalo's notification service does, and fails when told to.

Everything goes over real HTTP on 127.0.0.1 with the standard library's
clients, as the Zalo backend and the benchmark will talk to it; no database.
"""

from __future__ import annotations

import http.client
import json
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from notifications.zns_local import LocalZns

PHONE = "84912345678"


@pytest.fixture
def zns():
    with LocalZns() as zns:
        yield zns


@pytest.fixture
def access(zns) -> str:
    return zns.issue_tokens()[0]


def message(**changes) -> dict:
    body = {
        "phone": PHONE,
        "template_id": "100001",
        "template_data": {"child_name": "Lan", "title": "Họp phụ huynh"},
        "tracking_id": "delivery-1",
    }
    body.update(changes)
    return body


def call(zns, method: str, path: str, *, body: bytes | None = None, headers=None, timeout=5) -> tuple[int, dict]:
    """One request on a fresh connection: (HTTP status, JSON answer)."""
    request = urllib.request.Request(zns.url + path, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def send(zns, token: str | None, body) -> dict:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["access_token"] = token
    status, answer = call(zns, "POST", "/message/template", body=raw, headers=headers)
    assert status == 200
    return answer


def status_of(zns, token: str, message_id: str, phone: str = PHONE) -> dict:
    query = urllib.parse.urlencode({"message_id": message_id, "phone": phone})
    status, answer = call(zns, "GET", f"/message/status?{query}", headers={"access_token": token})
    assert status == 200
    return answer


def refresh(zns, refresh_token: str | None, *, app_id="local-app", secret=None, grant="refresh_token") -> dict:
    secret = zns.app_secret if secret is None else secret
    form = {"app_id": app_id, "grant_type": grant}
    if refresh_token is not None:
        form["refresh_token"] = refresh_token
    status, answer = call(
        zns,
        "POST",
        "/v4/oa/access_token",
        body=urllib.parse.urlencode(form).encode(),
        headers={"secret_key": secret, "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 200
    return answer


# --- Sending a template message ---


def test_an_accepted_message_is_answered_with_its_id_and_the_quota_and_recorded(zns, access):
    answer = send(zns, access, message(mode="development"))

    assert answer["error"] == 0
    assert answer["message"] == "Success"
    data = answer["data"]
    assert re.fullmatch(r"[0-9a-f]{32}", data["msg_id"])
    assert data["sent_time"].isdigit()
    assert abs(int(data["sent_time"]) - time.time() * 1000) < 60_000
    assert data["quota"] == {"dailyQuota": "1000000", "remainingQuota": "999999"}
    assert zns.sent == [
        {
            "phone": PHONE,
            "template_id": "100001",
            "template_data": {"child_name": "Lan", "title": "Họp phụ huynh"},
            "tracking_id": "delivery-1",
            "mode": "development",
            "msg_id": data["msg_id"],
        }
    ]
    assert zns.sent_to(PHONE) == zns.sent
    assert zns.sent_to("84900000000") == []
    assert zns.count_for("delivery-1") == 1


def test_without_a_mode_the_message_is_recorded_with_none(zns, access):
    send(zns, access, message())

    assert zns.sent[0]["mode"] is None


@pytest.mark.parametrize("token", [None, "", "at-forged"])
def test_a_missing_or_unknown_access_token_is_refused(zns, access, token):
    assert send(zns, token, message()) == {"error": -124, "message": "Access token is invalid"}
    assert zns.sent == []


def test_expired_access_tokens_are_refused_until_refreshed(zns):
    access, refresh_token = zns.issue_tokens()
    zns.expire_access_tokens()

    assert send(zns, access, message())["error"] == -124

    fresh = refresh(zns, refresh_token)["access_token"]
    assert send(zns, fresh, message())["error"] == 0


def test_the_token_is_checked_before_the_body(zns):
    assert send(zns, "at-forged", b"not json")["error"] == -124


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1, 2]",
        json.dumps({k: v for k, v in message().items() if k != "tracking_id"}).encode(),
        json.dumps({k: v for k, v in message().items() if k != "template_data"}).encode(),
        json.dumps(message(phone=84912345678)).encode(),
        json.dumps(message(template_id=100001)).encode(),
        json.dumps(message(template_data=["Lan"])).encode(),
        json.dumps(message(mode="production")).encode(),
    ],
    ids=["not-json", "not-object", "no-tracking-id", "no-data", "phone-number", "template-number", "data-list", "mode"],
)
def test_a_malformed_request_is_refused_as_invalid_parameters(zns, access, body):
    assert send(zns, access, body) == {"error": -201, "message": "Parameters are invalid"}
    assert zns.sent == []


@pytest.mark.parametrize("phone", ["0912345678", "+84912345678", "8491234567", "8491234567890", "84 912345678"])
def test_a_phone_not_in_84_format_is_refused(zns, access, phone):
    assert send(zns, access, message(phone=phone)) == {"error": -108, "message": "Phone number is invalid"}


def test_a_ten_digit_subscriber_number_is_accepted(zns, access):
    assert send(zns, access, message(phone="842412345678"))["error"] == 0


def test_an_unknown_template_is_invalid_and_a_known_one_must_be_approved(zns, access):
    zns.known_templates.add("200001")

    assert send(zns, access, message(template_id="999999")) == {"error": -109, "message": "Template ID is invalid"}
    assert send(zns, access, message(template_id="200001")) == {"error": -131, "message": "Template is not approved"}
    assert send(zns, access, message(template_id="100002"))["error"] == 0


def test_an_approved_template_may_be_added_while_running(zns, access):
    zns.approved_templates.add("300001")

    assert send(zns, access, message(template_id="300001"))["error"] == 0


@pytest.mark.parametrize(
    "data",
    [{"name": 5}, {"name": None}, {"a": "x" * 200, "b": "y" * 201}, {"name": "x" * 401}],
    ids=["number", "null", "long-total", "long-value"],
)
def test_content_that_is_not_text_or_too_long_exceeds_the_limit(zns, access, data):
    assert send(zns, access, message(template_data=data)) == {"error": -130, "message": "Content exceeds the limit"}


def test_content_of_exactly_400_characters_is_accepted(zns, access):
    assert send(zns, access, message(template_data={"a": "đ" * 200, "b": "x" * 200}))["error"] == 0


def test_a_number_without_zalo_and_one_that_blocked_the_oa_are_refused(zns, access):
    zns.no_account.add("84900000001")
    zns.blocked.add("84900000002")

    assert send(zns, access, message(phone="84900000001")) == {"error": -118, "message": "Zalo account does not exist"}
    assert send(zns, access, message(phone="84900000002")) == {
        "error": -139,
        "message": "User refused to receive ZNS messages from the OA",
    }
    assert zns.sent == []


def test_the_daily_quota_runs_out(zns, access):
    zns.daily_quota = 2

    first, second = send(zns, access, message()), send(zns, access, message())
    third = send(zns, access, message())

    assert first["data"]["quota"] == {"dailyQuota": "2", "remainingQuota": "1"}
    assert second["data"]["quota"] == {"dailyQuota": "2", "remainingQuota": "0"}
    assert third == {"error": -144, "message": "OA has exceeded its daily quota"}
    assert len(zns.sent) == 2


def test_checks_come_in_zns_order(zns, access):
    zns.no_account.add(PHONE)
    zns.daily_quota = 0

    assert send(zns, access, message(template_id="999999"))["error"] == -109
    assert send(zns, access, message(template_data={"n": 1}))["error"] == -130
    assert send(zns, access, message())["error"] == -118


# --- Message status ---


def test_a_sent_message_is_delivered_until_told_otherwise(zns, access):
    msg_id = send(zns, access, message())["data"]["msg_id"]

    delivered = status_of(zns, access, msg_id)
    assert delivered["error"] == 0
    assert delivered["data"]["status"] == 1
    assert delivered["data"]["delivery_time"].isdigit()
    assert delivered["data"]["message"]

    zns.set_status(msg_id, 0)
    assert status_of(zns, access, msg_id)["data"]["status"] == 0
    assert status_of(zns, access, msg_id)["data"]["delivery_time"] is None
    zns.set_status(msg_id, -1)
    assert status_of(zns, access, msg_id)["data"]["status"] == -1

    assert zns.status_queries[0] == {"message_id": msg_id, "phone": PHONE}
    assert len(zns.status_queries) == 4


def test_an_unknown_message_or_another_phone_is_not_found(zns, access):
    msg_id = send(zns, access, message())["data"]["msg_id"]

    assert status_of(zns, access, "0" * 32) == {"error": -1, "message": "Message not found"}
    assert status_of(zns, access, msg_id, phone="84900000000") == {"error": -1, "message": "Message not found"}


def test_the_status_query_needs_a_valid_token_and_a_message_id(zns, access):
    msg_id = send(zns, access, message())["data"]["msg_id"]

    assert status_of(zns, "at-forged", msg_id)["error"] == -124
    status, answer = call(zns, "GET", "/message/status", headers={"access_token": access})
    assert (status, answer["error"]) == (200, -201)


# --- Tokens ---


def test_a_refresh_token_gives_a_new_pair_once(zns):
    access, refresh_token = zns.issue_tokens()

    answer = refresh(zns, refresh_token)
    assert set(answer) == {"access_token", "refresh_token", "expires_in"}
    assert answer["expires_in"] == "90000"
    assert answer["refresh_token"] != refresh_token

    again = refresh(zns, refresh_token)
    assert again["error"] == -14014
    assert again["error_name"] == "Invalid refresh token"
    assert again["error_description"]

    # The old access token still works until Zalo expires it; the new pair works too.
    assert send(zns, access, message())["error"] == 0
    assert send(zns, answer["access_token"], message())["error"] == 0
    assert refresh(zns, answer["refresh_token"])["access_token"]

    assert [each["outcome"] for each in zns.token_requests] == [0, -14014, 0]
    assert zns.token_requests[0] == {
        "refresh_token": refresh_token,
        "app_id": "local-app",
        "grant_type": "refresh_token",
        "secret_key": "local-secret",
        "outcome": 0,
    }


def test_a_wrong_app_or_secret_is_an_invalid_app_and_spends_nothing(zns):
    _access, refresh_token = zns.issue_tokens()

    for answer in (refresh(zns, refresh_token, app_id="other-app"), refresh(zns, refresh_token, secret="guess")):
        assert answer["error"] == -14002
        assert answer["error_name"] == "Invalid app"

    assert "access_token" in refresh(zns, refresh_token)


def test_an_unknown_refresh_token_or_another_grant_is_refused(zns):
    _access, refresh_token = zns.issue_tokens()

    assert refresh(zns, "rt-forged")["error"] == -14014
    assert refresh(zns, None)["error"] == -14001
    assert refresh(zns, refresh_token, grant="authorization_code")["error"] == -14001
    assert "access_token" in refresh(zns, refresh_token)


def test_two_refreshes_racing_with_one_token_give_one_pair(zns):
    _access, refresh_token = zns.issue_tokens()
    zns.refresh_delay = 0.2
    answers = []

    threads = [threading.Thread(target=lambda: answers.append(refresh(zns, refresh_token))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted("access_token" in answer for answer in answers) == [False, True]


# --- Scripted faults ---


def test_fail_next_answers_the_scripted_error_without_sending(zns, access):
    zns.fail_next(-124, times=2)

    assert send(zns, access, message()) == {"error": -124, "message": "Access token is invalid"}
    assert send(zns, access, message())["error"] == -124
    assert send(zns, access, message())["error"] == 0
    assert len(zns.sent) == 1


def test_a_scripted_fault_waits_for_an_acceptable_request(zns, access):
    zns.fail_next(-555)

    assert send(zns, access, message(phone="0912"))["error"] == -108
    assert send(zns, access, message()) == {"error": -555, "message": "Error"}


def test_http_error_next_answers_a_server_error_without_sending(zns, access):
    zns.http_error_next(503)
    request = urllib.request.Request(
        zns.url + "/message/template", data=json.dumps(message()).encode(), headers={"access_token": access}
    )

    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)

    assert refused.value.code == 503
    assert zns.sent == []
    assert send(zns, access, message())["error"] == 0


def test_drop_next_sends_then_closes_the_connection_unanswered(zns, access):
    zns.drop_next()
    connection = http.client.HTTPConnection("127.0.0.1", zns.port, timeout=5)

    connection.request("POST", "/message/template", json.dumps(message()).encode(), {"access_token": access})
    with pytest.raises(http.client.RemoteDisconnected):
        connection.getresponse()

    assert zns.count_for("delivery-1") == 1
    connection.close()
    assert send(zns, access, message())["error"] == 0


def test_delay_next_sends_then_answers_after_the_client_gave_up(zns, access):
    zns.delay_next(1.0)
    connection = http.client.HTTPConnection("127.0.0.1", zns.port, timeout=0.2)

    connection.request("POST", "/message/template", json.dumps(message()).encode(), {"access_token": access})
    with pytest.raises(TimeoutError):
        connection.getresponse()

    assert zns.count_for("delivery-1") == 1
    connection.close()
    # The server is not held up by the late answer.
    assert send(zns, access, message())["error"] == 0


def test_a_delayed_answer_arrives_for_a_patient_client(zns, access):
    zns.delay_next(0.3)
    started = time.monotonic()

    assert send(zns, access, message())["error"] == 0
    assert time.monotonic() - started >= 0.3


# --- The connection ---


def test_one_keep_alive_connection_carries_every_kind_of_request(zns):
    access, refresh_token = zns.issue_tokens()
    connection = http.client.HTTPConnection("127.0.0.1", zns.port, timeout=5)
    connection.connect()
    local_port = connection.sock.getsockname()[1]

    def ask(method, path, body=None, headers=None) -> tuple[int, dict]:
        connection.request(method, path, body, headers or {})
        response = connection.getresponse()
        assert response.getheader("Content-Length")
        return response.status, json.loads(response.read())

    body = json.dumps(message()).encode()
    _, sent = ask("POST", "/message/template", body, {"access_token": access})
    _, refused = ask("POST", "/message/template", b"{", {"access_token": access})
    _, status = ask("GET", f"/message/status?message_id={sent['data']['msg_id']}", headers={"access_token": access})
    form = urllib.parse.urlencode(
        {"refresh_token": refresh_token, "app_id": "local-app", "grant_type": "refresh_token"}
    )
    _, tokens = ask("POST", "/v4/oa/access_token", form.encode(), {"secret_key": "local-secret"})
    not_found = ask("GET", "/nowhere")

    assert sent["error"] == 0
    assert refused["error"] == -201
    assert status["data"]["status"] == 1
    assert "access_token" in tokens
    assert not_found == (404, {"error": 404, "message": "Not found"})
    assert connection.sock.getsockname()[1] == local_port  # still the first connection
    connection.close()


def test_two_thousand_sends_over_one_connection(zns, access):
    connection = http.client.HTTPConnection("127.0.0.1", zns.port, timeout=5)
    headers = {"access_token": access, "Content-Type": "application/json"}

    for number in range(2000):
        connection.request(
            "POST", "/message/template", json.dumps(message(tracking_id=f"d-{number}")).encode(), headers
        )
        response = connection.getresponse()
        assert json.loads(response.read())["error"] == 0

    connection.close()
    assert len(zns.sent) == 2000
    assert len({each["msg_id"] for each in zns.sent}) == 2000


def test_concurrent_senders_are_all_recorded(zns, access):
    failures = []

    def sender(worker: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", zns.port, timeout=10)
        for number in range(50):
            body = json.dumps(message(tracking_id=f"w{worker}-{number}")).encode()
            connection.request("POST", "/message/template", body, {"access_token": access})
            answer = json.loads(connection.getresponse().read())
            if answer["error"] != 0:
                failures.append(answer)
        connection.close()

    threads = [threading.Thread(target=sender, args=(worker,)) for worker in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert len(zns.sent) == 400
    assert all(zns.count_for(f"w{w}-{n}") == 1 for w in range(8) for n in range(50))


def test_concurrent_senders_never_overrun_the_quota(zns, access):
    zns.daily_quota = 100
    answers = []

    def sender() -> None:
        for _ in range(25):
            answers.append(send(zns, access, message())["error"])

    threads = [threading.Thread(target=sender) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert answers.count(0) == 100
    assert answers.count(-144) == 100
    assert len(zns.sent) == 100


def test_stopping_closes_idle_keep_alive_connections():
    zns = LocalZns().start()
    access = zns.issue_tokens()[0]
    connection = socket.create_connection(("127.0.0.1", zns.port), timeout=5)
    body = json.dumps(message()).encode()
    connection.sendall(
        b"POST /message/template HTTP/1.1\r\nHost: zns\r\naccess_token: "
        + access.encode()
        + b"\r\nContent-Length: "
        + str(len(body)).encode()
        + b"\r\n\r\n"
        + body
    )
    assert connection.recv(65536).startswith(b"HTTP/1.1 200")

    zns.stop()

    assert connection.recv(65536) == b""  # the server closed its side
    connection.close()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", zns.port), timeout=1)
