"""Writes a new workbook, as a person would type one in Excel: make_workbook.py OUT JSON.

JSON maps each sheet's name to its rows (lists of cells), in order. A text that reads as a
number is written as a number, as Excel would take it.
"""
import json
import sys

import openpyxl


def main(target, sheets):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            values = []
            for cell in row:
                try:
                    values.append(float(cell) if cell != "" else None)
                except (TypeError, ValueError):
                    values.append(cell)
            sheet.append(values)
    book.save(target)


if __name__ == "__main__":
    main(sys.argv[1], json.loads(sys.argv[2]))
