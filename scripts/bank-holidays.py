"""Writes crates/domain/data/uk-bank-holidays.csv: the UK's bank holidays for England and
Wales, Scotland and Northern Ireland, for the years given, from the PyPI package
`holidays` (python-holidays, which carries the published and announced ones, one-off
holidays included). Run it when new years are needed:

    python3 -m venv /tmp/h && /tmp/h/bin/pip install holidays
    /tmp/h/bin/python scripts/bank-holidays.py 2024 2030

A hub's administrator can add a holiday the file does not have (a one-off, or a year after
the last) on the hub's bank holidays page.
"""
import csv
import sys

import holidays

NATIONS = {"england_and_wales": "ENG", "scotland": "SCT", "northern_ireland": "NIR"}

first, last = int(sys.argv[1]), int(sys.argv[2])
rows = []
for nation, subdiv in NATIONS.items():
    for day, title in sorted(holidays.UK(subdiv=subdiv, years=range(first, last + 1)).items()):
        rows.append((nation, day.isoformat(), title))
with open("crates/domain/data/uk-bank-holidays.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["nation", "date", "title"])
    w.writerows(rows)
print(f"{len(rows)} bank holidays, {first} to {last}, holidays {holidays.__version__}")
