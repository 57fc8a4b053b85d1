"""Bank statements as the banks export them, made for tests: CSV (with or without BOM, comma or semicolon) and XLSX."""

from __future__ import annotations

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile

VI_HEADER = ["Ngày", "Số tiền", "Nội dung", "Mã giao dịch"]
EN_HEADER = ["date", "amount", "message", "reference"]


def csv_file(rows, *, header=VI_HEADER, delimiter=";", bom=True, preamble=(), name="saoke.csv") -> SimpleUploadedFile:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    for line in preamble:
        writer.writerow(line)
    writer.writerow(header)
    writer.writerows(rows)
    data = buffer.getvalue().encode("utf-8")
    return SimpleUploadedFile(name, (b"\xef\xbb\xbf" if bom else b"") + data, content_type="text/csv")


def xlsx_file(rows, *, header=VI_HEADER, preamble=(), name="saoke.xlsx") -> SimpleUploadedFile:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for line in preamble:
        sheet.append(list(line))
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(
        name, buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
