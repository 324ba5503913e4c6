"""Tabular exports (CSV, JSON, XLSX) of rows the apps select: one place for the formats' pitfalls."""

import csv
import io
import json
import re
from datetime import date, datetime
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils import timezone

CSV_TYPE = "text/csv; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A spreadsheet runs a cell that starts with one of these as a formula ("CSV injection"): such text values
# get a leading apostrophe in CSV and XLSX files, which spreadsheets show as text. JSON keeps them as typed.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters that XML 1.0, hence XLSX, cannot hold.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _cell(value, *, excel=False):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        local = timezone.localtime(value).replace(microsecond=0) if timezone.is_aware(value) else value
        # Excel has no time zones: it gets the local time without its offset.
        return local.replace(tzinfo=None) if excel else local.isoformat()
    if isinstance(value, date | int | float | Decimal):
        return value
    if isinstance(value, list | tuple):
        value = " | ".join(str(v) for v in value)
    text = _ILLEGAL_XML.sub("", str(value))
    return "'" + text if text.startswith(_FORMULA_START) else text


def _attachment(response, filename):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def csv_response(filename: str, fields: list[str], rows) -> HttpResponse:
    """UTF-8 with a byte order mark (so that Excel reads the accents), comma-separated, a header line of
    the stable field names."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(fields)
    for row in rows:
        writer.writerow([_cell(row.get(field)) for field in fields])
    return _attachment(HttpResponse("\ufeff" + buffer.getvalue(), content_type=CSV_TYPE), filename)


def json_response(filename: str, fields: list[str], rows, **meta) -> HttpResponse:
    records = [{field: row.get(field) for field in fields} for row in rows]
    document = {**meta, "generated_at": timezone.now(), "fields": fields, "count": len(records)}
    document["records"] = records
    body = json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
    return _attachment(HttpResponse(body, content_type=JSON_TYPE), filename)


def xlsx_response(filename: str, fields: list[str], rows, *, sheet: str = "export") -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet[:31])
    worksheet.append(fields)
    for row in rows:
        worksheet.append([_cell(row.get(field), excel=True) for field in fields])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE), filename)
