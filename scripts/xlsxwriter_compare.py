#!/usr/bin/env python3
"""The other side of the .xlsx export benchmark: Python's XlsxWriter in constant-memory mode
writing the same rows and columns Sangdam wrote (read from Sangdam's CSV export of the same
filter), typed the same way: whole numbers as numbers, the four instants as date-times, the
rest as strings (never formulas), a bold frozen header, an autofilter, the same widths.

Usage: python3 scripts/xlsxwriter_compare.py EXPORT.csv OUT.xlsx
Prints one JSON line: {"rows", "write_seconds", "read_seconds", "out"}. Only the writing is
timed as "write_seconds"; reading and converting the CSV is "read_seconds".
"""
import csv
import datetime
import json
import sys
import time

import xlsxwriter

TIME_COLUMNS = {"생성 시각", "배정 시각", "첫 응답 시각", "종료 시각"}
INT_COLUMNS = {
    "상담 번호", "채팅방 번호", "상태 코드", "카테고리 번호", "구분 번호", "상담사 번호",
    "첫 응답까지(초)", "메시지 수", "만족도",
}


def main():
    src, out = sys.argv[1], sys.argv[2]
    started = time.perf_counter()
    with open(src, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        kinds = ["time" if h in TIME_COLUMNS else "int" if h in INT_COLUMNS else "text" for h in header]
        rows = []
        for record in reader:
            row = []
            for kind, value in zip(kinds, record):
                if value == "":
                    row.append(None)
                elif kind == "int":
                    row.append(int(value))
                elif kind == "time":
                    row.append(datetime.datetime.strptime(value, "%Y-%m-%d %H:%M:%S"))
                else:
                    # The CSV guards formulas with an apostrophe; the .xlsx keeps the value.
                    row.append(value[1:] if value[:2] in ("'=", "'+", "'-", "'@") else value)
            rows.append(row)
    read = time.perf_counter() - started

    started = time.perf_counter()
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_formulas": False,
                                     "strings_to_numbers": False, "strings_to_urls": False})
    sheet = book.add_worksheet()
    bold = book.add_format({"bold": True})
    stamp = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    for c, h in enumerate(header):
        sheet.set_column(c, c, 19 if kinds[c] == "time" else 12)
        sheet.write_string(0, c, h, bold)
    sheet.freeze_panes(1, 0)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value is None:
                continue
            kind = kinds[c]
            if kind == "int":
                sheet.write_number(r, c, value)
            elif kind == "time":
                sheet.write_datetime(r, c, value, stamp)
            else:
                sheet.write_string(r, c, value)
    sheet.autofilter(0, 0, len(rows), len(header) - 1)
    book.close()
    write = time.perf_counter() - started
    print(json.dumps({"rows": len(rows), "write_seconds": round(write, 3),
                      "read_seconds": round(read, 3), "out": out}))


if __name__ == "__main__":
    main()
