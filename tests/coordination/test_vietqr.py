"""VietQR payloads against a published example, and their rules."""

from __future__ import annotations

import pytest

from coordination.lib.vietqr import (
    VietQRError,
    crc16_ccitt_false,
    parse,
    transfer_message,
    vietqr_payload,
)

PUBLISHED = (
    "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA"
    "530370454061200005802VN62170813ung ho lu lut6304C15C"
)


def test_the_published_example_with_an_amount():
    assert vietqr_payload(bin="970415", account="0011001932418", amount=120_000, message="ung ho lu lut") == PUBLISHED


def test_the_crc_is_ccitt_false():
    assert crc16_ccitt_false(b"123456789") == 0x29B1  # the algorithm's check value


def test_without_an_amount_the_giver_chooses_it():
    payload = vietqr_payload(bin="970415", account="0011001932418", message="SM-2026-00042")
    fields = parse(payload)
    assert fields["01"] == "11" and "54" not in fields
    assert fields["38"] == "0010A00000072701270006970415011300110019324180208QRIBFTTA"
    assert fields["53"] == "704" and fields["58"] == "VN" and fields["62"] == "0813SM-2026-00042"


def test_a_changed_payload_fails_its_crc():
    tampered = PUBLISHED.replace("120000", "920000")
    with pytest.raises(VietQRError):
        parse(tampered)
    assert parse(PUBLISHED)["54"] == "120000"


def test_messages_lose_their_marks_and_stay_short():
    assert transfer_message("Ủng hộ lũ lụt – Đoàn Thị Hạnh") == "Ung ho lu lut Doan Thi Ha"
    assert len(transfer_message("x" * 60)) == 25


@pytest.mark.parametrize(
    "kwargs",
    [
        {"bin": "97041", "account": "1"},
        {"bin": "970415", "account": ""},
        {"bin": "970415", "account": "12345678901234567890"},
        {"bin": "970415", "account": "1", "message": "ủng hộ"},
        {"bin": "970415", "account": "1", "amount": 0},
        {"bin": "970415", "account": "1", "amount": 10.5},
    ],
)
def test_bad_input_is_refused(kwargs):
    with pytest.raises(VietQRError):
        vietqr_payload(**kwargs)
