#!/usr/bin/env python3
"""Generate data/regions.csv (GB/T 2260 region table) from reference CSVs.

Reads provinces.csv, cities.csv and areas.csv from INPUT_DIR (NBS 2023 codes
from modood/Administrative-divisions-of-China, WTFPL) and writes OUTPUT with
header `code,name,level,parent`: six-digit codes, level province/city/county,
parent the six-digit code of the enclosing unit (empty for provinces), sorted
by code, UTF-8, LF line ends. The placeholder cities of the four
municipalities ("市辖区"/"县") are renamed after the municipality. Areas whose
code equals their city's code (prefecture cities without districts, e.g.
东莞市 441900) are kept only as the city.

Usage: python3 tools/gen_regions.py INPUT_DIR OUTPUT
"""
import csv
import os
import sys

MUNICIPALITY_CITY_NAMES = {"市辖区": "{}", "县": "{}郊县"}


def read(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def main(argv):
    if len(argv) != 3:
        sys.exit("usage: gen_regions.py INPUT_DIR OUTPUT")
    src, out = argv[1], argv[2]
    provinces = {r["code"]: r["name"] for r in read(os.path.join(src, "provinces.csv"))}
    rows = [(p + "0000", name, "province", "") for p, name in provinces.items()]
    for r in read(os.path.join(src, "cities.csv")):
        name, pname = r["name"], provinces[r["provinceCode"]]
        if pname.endswith("市") and name in MUNICIPALITY_CITY_NAMES:
            name = MUNICIPALITY_CITY_NAMES[name].format(pname)
        rows.append((r["code"] + "00", name, "city", r["provinceCode"] + "0000"))
    for r in read(os.path.join(src, "areas.csv")):
        if r["code"] == r["cityCode"] + "00":
            continue  # the city itself (no districts), already listed
        rows.append((r["code"], r["name"], "county", r["cityCode"] + "00"))
    rows.sort()
    codes = [r[0] for r in rows]
    if len(set(codes)) != len(codes) or any(len(c) != 6 or not c.isdigit() for c in codes):
        sys.exit("error: duplicate or malformed codes")
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "name", "level", "parent"])
        w.writerows(rows)
    print(f"wrote {len(rows)} rows to {out}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
