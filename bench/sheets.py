"""Spreadsheet villages against TOML villages (issue 13's target: a corpus
whose households and points are all XLSX builds in at most 1.5x the time of
the same corpus in TOML).

    python3 bench/sheets.py [--villages 5000] [--runs 3]

Generates the native corpus with bench/gen_corpus.py, copies it, turns every
households.toml and points.toml of the copy into an .xlsx with openpyxl
(period moves to village.toml), checks both build the same site, then times
full builds of the two alternately (wall time and peak RSS from
/usr/bin/time) and prints the medians and their ratio.
"""
import argparse
import datetime
import filecmp
import os
import shutil
import statistics
import subprocess
import sys
import tomllib

import openpyxl

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

HOUSEHOLD_COLUMNS = [("编号", "id"), ("户主", "head"), ("网格", "grid"), ("星", "stars"),
                     ("同意公开全名", "consent"), ("公开", "publish"), ("隐去姓名", "mask")]
POINT_COLUMNS = [("编号", "household"), ("日期", "date"), ("类别", "kind"), ("项目", "item"),
                 ("分值", "points"), ("备注", "note"), ("公开姓名", "show_name")]
KINDS = {"award": "加分", "deduct": "扣分", "redeem": "兑换"}


def cell(field, value):
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(value)
    if field == "kind":
        return KINDS[value]
    if isinstance(value, datetime.date):
        return value
    return value


def to_xlsx(toml_path, table, columns):
    with open(toml_path, "rb") as f:
        data = tomllib.load(f)
    rows = data.get(table, [])
    used = [(h, k) for h, k in columns if any(k in r for r in rows)]
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Sheet1")
    sheet.append([h for h, _ in used])
    for r in rows:
        sheet.append([cell(k, r[k]) if k in r else None for _, k in used])
    book.save(toml_path[: -len(".toml")] + ".xlsx")
    os.remove(toml_path)
    return data.get("period")


def convert(corpus):
    for dirpath, _, files in os.walk(os.path.join(corpus, "content", "villages")):
        if "village.toml" not in files:
            continue
        period = None
        if "households.toml" in files:
            period = to_xlsx(os.path.join(dirpath, "households.toml"), "household", HOUSEHOLD_COLUMNS)
        if "points.toml" in files:
            to_xlsx(os.path.join(dirpath, "points.toml"), "entry", POINT_COLUMNS)
        if period:
            village = os.path.join(dirpath, "village.toml")
            with open(village, encoding="utf-8") as f:
                text = f.read()
            with open(village, "w", encoding="utf-8") as f:
                f.write(f'period = "{period}"\n{text}')


def timed(binary, corpus, out):
    shutil.rmtree(out, ignore_errors=True)
    run = subprocess.run(["/usr/bin/time", "-f", "%e %M", binary, "build", "--root", corpus, "--output", out],
                         capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(run.stderr)
    secs, kb = run.stderr.strip().splitlines()[-1].split()
    return float(secs), int(kb) / 1024


def same_tree(a, b):
    cmp = filecmp.dircmp(a, b)
    if cmp.left_only or cmp.right_only or cmp.diff_files or cmp.funny_files:
        return False
    return all(same_tree(os.path.join(a, d), os.path.join(b, d)) for d in cmp.common_dirs)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--villages", type=int, default=5000)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--work", default="/dev/shm/starboard-sheets")
    args = p.parse_args()
    subprocess.run(["cargo", "build", "--release", "-q"], cwd=ROOT, check=True)
    binary = os.path.join(ROOT, "target", "release", "starboard")
    toml_corpus = os.path.join(args.work, "toml")
    xlsx_corpus = os.path.join(args.work, "xlsx")
    shutil.rmtree(args.work, ignore_errors=True)
    subprocess.run([sys.executable, os.path.join(HERE, "gen_corpus.py"), "--villages", str(args.villages),
                    "--format", "native", "--out", toml_corpus], check=True, stdout=subprocess.DEVNULL)
    shutil.copytree(toml_corpus, xlsx_corpus)
    convert(xlsx_corpus)
    out_toml, out_xlsx = os.path.join(args.work, "out-toml"), os.path.join(args.work, "out-xlsx")
    timed(binary, toml_corpus, out_toml)
    timed(binary, xlsx_corpus, out_xlsx)
    print("same site from both:", same_tree(out_toml, out_xlsx))
    times = {"toml": [], "xlsx": []}
    for _ in range(args.runs):
        for kind, corpus, out in (("toml", toml_corpus, out_toml), ("xlsx", xlsx_corpus, out_xlsx)):
            times[kind].append(timed(binary, corpus, out))
    med = {k: (statistics.median(s for s, _ in v), statistics.median(m for _, m in v)) for k, v in times.items()}
    print(f"{args.villages} villages, median of {args.runs}:")
    for k in ("toml", "xlsx"):
        print(f"  {k}: {med[k][0]:.2f} s, {med[k][1]:.0f} MiB")
    print(f"  ratio xlsx/toml: {med['xlsx'][0] / med['toml'][0]:.2f} (target at most 1.5)")


if __name__ == "__main__":
    main()
