#!/usr/bin/env python3
"""Reads a CSV file with Python's csv module (strict quoting) and prints it
as JSON: {"header": [...], "rows": [[...], ...], "crlf": bool}, crlf telling
whether the file's last record ends in CRLF as RFC 4180 writes it."""
import csv
import io
import json
import sys

with open(sys.argv[1], newline="", encoding="utf-8") as f:
    raw = f.read()
rows = list(csv.reader(io.StringIO(raw, newline=""), strict=True))
print(json.dumps({"header": rows[0], "rows": rows[1:],
                  "crlf": raw.endswith("\r\n")}))
