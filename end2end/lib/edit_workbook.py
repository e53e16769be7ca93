"""Types values into a progress workbook: edit_workbook.py IN OUT 'KEY<TAB>COLUMN<TAB>TEXT'...

The row is the one whose column A holds KEY on the first sheet; COLUMN counts from 0. A text
that reads as a number is written as a number, as Excel would take it.
"""
import sys

import openpyxl


def main(source, target, edits):
    book = openpyxl.load_workbook(source)
    sheet = book.worksheets[0]
    rows = {row[0].value: row[0].row for row in sheet.iter_rows(min_col=1, max_col=1) if row[0].value}
    for edit in edits:
        key, column, text = edit.split("\t", 2)
        if key not in rows:
            sys.exit(f"no row with the key {key}")
        try:
            value = float(text)
        except ValueError:
            value = text
        sheet.cell(row=rows[key], column=int(column) + 1, value=value)
    book.save(target)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
