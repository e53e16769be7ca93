#!/usr/bin/env python3
"""Writes app/tests/fixtures/report.xls, the real BIFF8 workbook the spreadsheet reader's
unit tests read (app/src/spreadsheet/read/tests.rs). The reader's other test files are made
by the tests themselves; XLS has no Rust writer, so this one is written once by xlwt
(`pip install xlwt`) and committed (a few KB). Run it again only to change the fixture:
    python3 scripts/make-xls-fixture.py
"""
import datetime
import os

import xlwt

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "app", "tests", "fixtures", "report.xls")

book = xlwt.Workbook(encoding="utf-8")
report = book.add_sheet("Report")
for column, header in enumerate(["Country", "Value", "As of", "Typed date"]):
    report.write(0, column, header)
report.write(1, 0, "Malta & Gozo")
report.write(1, 1, 12.5)
report.write(1, 2, datetime.date(2026, 3, 1), xlwt.easyxf(num_format_str="YYYY-MM-DD"))
report.write(1, 3, "2026-03-01")
# No formula: xlwt saves none of their values (the tests make such a file by hand).
report.write_merge(4, 4, 0, 2, "merged")
lists = book.add_sheet("Lists")
lists.write(0, 0, "on track")
lists.visibility = 1  # hidden
book.save(OUT)
print(OUT)
