"""Write a spreadsheet with openpyxl, as staff's Excel would save it.

    python3 write_sheet.py OUT.xlsx ROWS.json

ROWS.json is a list of sheets: {"name": ..., "rows": [[cell, ...], ...]}.
A cell "date:2022-11-05" becomes a real date cell (shown as 2022/11/5),
"num:5" a number, anything else text.
"""
import datetime
import json
import sys

import openpyxl

out, rows_file = sys.argv[1], sys.argv[2]
with open(rows_file, encoding="utf-8") as f:
    sheets = json.load(f)
book = openpyxl.Workbook()
book.remove(book.active)
for sheet in sheets:
    ws = book.create_sheet(sheet["name"])
    for r, row in enumerate(sheet["rows"], start=1):
        for c, cell in enumerate(row, start=1):
            if cell is None or cell == "":
                continue
            target = ws.cell(row=r, column=c)
            if isinstance(cell, str) and cell.startswith("date:"):
                target.value = datetime.date.fromisoformat(cell[5:])
                target.number_format = "yyyy/m/d"
            elif isinstance(cell, str) and cell.startswith("num:"):
                target.value = float(cell[4:]) if "." in cell else int(cell[4:])
            else:
                target.value = cell
book.save(out)
