"""VietQR payloads: the QR code a Vietnamese banking app scans to fill in a transfer.

The NAPAS standard is an EMVCo merchant-presented payload: fields of tag (2 digits), length (2
digits) and value, ending with a CRC-16/CCITT-FALSE over everything before it (the CRC's own tag and
length included). The account sits under tag 38: NAPAS's GUID, the beneficiary bank's BIN and the
account number, and the service code for a transfer to an account. The message the transfer carries
(tag 62, sub-tag 08) is how a school matches a transfer to its pledge.

    vietqr_payload(bin="970415", account="0011001932418", message="ung ho lu lut")

A payload without an amount lets the giver choose it (a static code): sponsorship rules forbid a
preset amount for families.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

NAPAS_GUID = "A000000727"
SERVICE_TO_ACCOUNT = "QRIBFTTA"  # a transfer to a bank account (QRIBFTTC: to a card)
CURRENCY_VND = "704"
COUNTRY = "VN"
MESSAGE_MAX = 25  # the purpose of the transaction, as banking apps keep it

_BIN = re.compile(r"\d{6}")
_ACCOUNT = re.compile(r"[0-9A-Za-z]{1,19}")
_MESSAGE = re.compile(r"[0-9A-Za-z .,\-_/]*")


class VietQRError(ValueError):
    pass


def field(tag: str, value: str) -> str:
    """One EMVCo field: tag, length in two digits, value."""
    if len(value) > 99:
        raise VietQRError(f"field {tag} is longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def transfer_message(text: str) -> str:
    """A message banking apps carry unchanged: without Vietnamese marks (đ becomes d), letters, digits
    and a few signs, at most MESSAGE_MAX characters."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^0-9A-Za-z .,\-_/]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()[:MESSAGE_MAX].strip()


def vietqr_payload(*, bin: str, account: str, message: str = "", amount: int | Decimal | None = None) -> str:  # noqa: A002
    """The payload of a VietQR code for a transfer to `account` at the bank `bin`, with `message`;
    with `amount` (whole đồng) a dynamic code, without it a static one where the giver types the amount."""
    if not _BIN.fullmatch(bin or ""):
        raise VietQRError("the bank's BIN is six digits")
    if not _ACCOUNT.fullmatch(account or ""):
        raise VietQRError("the account number is 1 to 19 letters or digits")
    if message and (len(message) > MESSAGE_MAX or not _MESSAGE.fullmatch(message)):
        raise VietQRError(f"the message is at most {MESSAGE_MAX} plain letters, digits and signs: use transfer_message")
    beneficiary = field("00", bin) + field("01", account)
    merchant = field("00", NAPAS_GUID) + field("01", beneficiary) + field("02", SERVICE_TO_ACCOUNT)
    parts = [field("00", "01"), field("01", "11" if amount is None else "12"), field("38", merchant)]
    parts.append(field("53", CURRENCY_VND))
    if amount is not None:
        if int(amount) != amount or amount <= 0:
            raise VietQRError("the amount is a whole, positive number of đồng")
        parts.append(field("54", str(int(amount))))
    parts.append(field("58", COUNTRY))
    if message:
        parts.append(field("62", field("08", message)))
    body = "".join(parts) + "6304"
    return body + f"{crc16_ccitt_false(body.encode('ascii')):04X}"


def parse(payload: str) -> dict[str, str]:
    """The top-level fields of a payload (tag -> value), after checking its CRC: for tests and imports."""
    if len(payload) < 8 or payload[-8:-4] != "6304":
        raise VietQRError("no CRC at the end")
    expected = f"{crc16_ccitt_false(payload[:-4].encode('ascii')):04X}"
    if payload[-4:].upper() != expected:
        raise VietQRError("the CRC does not match")
    fields, position = {}, 0
    while position < len(payload):
        tag, length = payload[position : position + 2], int(payload[position + 2 : position + 4])
        fields[tag] = payload[position + 4 : position + 4 + length]
        position += 4 + length
    return fields
