#!/usr/bin/env python3
"""Generate the constant tables of src/lib/text/ (text.h) from Debian's data.

Run at build time by meson (a custom_target); the outputs go to the build
folder and are never committed. Three C headers, each included by exactly
one source file:

  text_fold_data.h    text.c: folding of one code point. A two-level table
                      for the BMP (high bits -> block, block -> the folded
                      character already encoded as UTF-8 in a 32-bit word,
                      0 = unchanged) and a sorted array of pairs for
                      supplementary sources.
  text_class_data.h   tokenize.c: which code points are letters or digits
                      (word characters) after folding: a two-level bitmap.
  text_pinyin_data.h  pinyin_keys.c: the toneless syllables and, per Han
                      code point, the number of its reading (a bitmap of the
                      code points that have one, a rank per 64-bit word and
                      the syllable numbers packed in 9 bits each).

Sources (Debian packages):
  TSCharacters.ocd2       libopencc-data, read through `opencc_dict` (opencc):
                          traditional -> simplified, first candidate, single
                          code point to single code point.
  Unihan_Readings.txt.bz2 unicode-data: kMandarin, first reading.
  UnicodeData.txt,        unicode-data: simple lowercase mappings, general
  DerivedCoreProperties     categories, Default_Ignorable_Code_Point.

Usage: gen_text_tables.py OPENCC_DICT TSCHARACTERS.ocd2 UNIHAN_READINGS.bz2
                          UNICODEDATA.txt DERIVEDCOREPROPERTIES.txt OUTDIR
"""
import bz2
import os
import subprocess
import sys
import tempfile
import unicodedata

# text_is_han(): the blocks of src/lib/text/pinyin.h.
HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FA1F))
# Case folding applies to these blocks only (text.h): Latin-1, Latin
# Extended-A, Greek and Coptic, Cyrillic. ASCII is done in code.
CASE_RANGES = ((0x00C0, 0x00DE), (0x0100, 0x017F), (0x0370, 0x03FF), (0x0400, 0x04FF))
# Bit positions of the reading bitmap: the Han ranges laid end to end
# (U+4DC0..4DFF, the hexagrams between ext. A and the URO, included so the
# first two ranges are one).
PINYIN_SPANS = ((0x3400, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FA1F))


def fail(msg):
    sys.exit("gen_text_tables: " + msg)


def is_han(cp):
    return any(lo <= cp <= hi for lo, hi in HAN_RANGES)


def read_opencc(opencc_dict, ocd2):
    """{trad: simp} for single code points, first candidate, t != s."""
    with tempfile.TemporaryDirectory() as tmp:
        txt = os.path.join(tmp, "ts.txt")
        try:
            subprocess.run([opencc_dict, "-i", ocd2, "-o", txt, "-f", "ocd2", "-t", "text"],
                           check=True, stdout=subprocess.DEVNULL)
        except (OSError, subprocess.CalledProcessError) as e:
            fail(f"{opencc_dict} could not convert {ocd2}: {e}")
        with open(txt, encoding="utf-8") as f:
            lines = f.read().splitlines()
    pairs = {}
    for line in lines:
        trad, _, cands = line.partition("\t")
        simp = cands.split(" ")[0]
        if len(trad) == 1 and len(simp) == 1 and trad != simp:
            pairs[ord(trad)] = ord(simp)
    if len(pairs) < 3000:
        fail(f"{ocd2}: only {len(pairs)} pairs; is libopencc-data complete?")
    return pairs


def read_ucd(path):
    """(lowercase {cp: lower}, category {cp: 'Lu'...}) with ranges expanded."""
    lower, cat = {}, {}
    first = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split(";")
            cp, name, gc = int(fields[0], 16), fields[1], fields[2]
            if name.endswith(", First>"):
                first = cp
                continue
            if name.endswith(", Last>"):
                for c in range(first, cp + 1):
                    cat[c] = gc
                continue
            cat[cp] = gc
            if fields[13]:
                lower[cp] = int(fields[13], 16)
    return lower, cat


def read_ignorable(path):
    out = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            body = line.split("#")[0].split(";")
            if len(body) != 2 or body[1].strip() != "Default_Ignorable_Code_Point":
                continue
            span = body[0].strip().split("..")
            lo, hi = int(span[0], 16), int(span[-1], 16)
            out.update(range(lo, hi + 1))
    return out


def toneless(reading):
    """'lián' -> 'lian', 'nǚ' -> 'nv', 'ê̄' -> 'e', 'ḿ' -> 'm'."""
    out = []
    for ch in unicodedata.normalize("NFD", reading):
        if ch == "\u0308":
            out[-1] = "v"  # u + diaeresis
        elif not unicodedata.combining(ch):
            out.append(ch)
    syl = "".join(out).lower()
    if not syl.isascii() or not syl.isalpha() or len(syl) > 6:
        fail(f"unexpected kMandarin reading {reading!r}")
    return syl


def read_mandarin(path):
    readings = {}
    with bz2.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            cp, field, value = line.rstrip("\n").split("\t", 2)
            if field == "kMandarin":
                readings[int(cp[2:], 16)] = toneless(value.split(" ")[0])
    if len(readings) < 30000:
        fail(f"{path}: only {len(readings)} kMandarin readings")
    return readings


def build_fold(ts, lower):
    """The whole fold map {cp: target}, ASCII aside (text.c folds A-Z in code)."""
    m = {}
    for lo, hi in CASE_RANGES:
        for cp in range(lo, hi + 1):
            if cp in lower and lower[cp] != cp:
                m[cp] = lower[cp]
    for cp in range(0xFF01, 0xFF5F):
        m[cp] = cp - 0xFEE0
    m[0x3000] = 0x20
    # Han to Han only, so a Han run stays a Han run after folding.
    dropped = []
    for t, s in ts.items():
        if is_han(t) and is_han(s):
            m[t] = s
        else:
            dropped.append((t, s))

    def settle(c):  # to the fixed point (薴 -> 苧 -> 苎), with ASCII case
        seen = set()
        while c not in seen:
            seen.add(c)
            if 0x41 <= c <= 0x5A:
                c += 0x20
            elif c in m:
                c = m[c]
            else:
                break
        return c

    folded = {cp: settle(cp) for cp in m}
    return {cp: t for cp, t in folded.items() if t != cp}, dropped


def c_array(ctype, name, values, per_line=16, fmt="{}"):
    lines = [f"static const {ctype} {name}[{len(values)}] = {{"]
    for i in range(0, len(values), per_line):
        lines.append("    " + ", ".join(fmt.format(v) for v in values[i:i + per_line]) + ",")
    lines.append("};")
    return "\n".join(lines)


def two_level(values, shift):
    """Splits values into blocks of 1 << shift, shares equal blocks; returns
    (index of block offsets, flat block array)."""
    bs = 1 << shift
    index, flat, seen = [], [], {}
    for b in range(0, len(values), bs):
        block = tuple(values[b:b + bs])
        if block not in seen:
            seen[block] = len(flat)
            flat.extend(block)
        index.append(seen[block])
    return index, flat


def header(what):
    return ("/* Generated by tools/gen_text_tables.py at build time: do not edit.\n"
            f" * {what} */\n")


def packed_utf8(cp):
    """cp as UTF-8 in the low bytes of a little-endian 32-bit word."""
    return int.from_bytes(chr(cp).encode("utf-8"), "little")


def gen_fold(fold):
    bmp = [0] * 0x10000
    for cp, t in fold.items():
        if cp <= 0xFFFF:
            bmp[cp] = packed_utf8(t)
    best = None
    for shift in (4, 5, 6, 7, 8):
        index, flat = two_level(bmp, shift)
        size = len(index) * 2 + len(flat) * 4
        if best is None or size < best[0]:
            best = (size, shift, index, flat)
    size, shift, index, flat = best
    if len(flat) > 0xFFFF:
        fail("fold blocks too large for 16-bit offsets")
    pairs = sorted((cp, t) for cp, t in fold.items() if cp > 0xFFFF)
    total = size + len(pairs) * 8
    out = [header(f"Folding: {len(fold)} code points, {total} bytes of tables."),
           f"#define FOLD_SHIFT {shift}",
           f"#define FOLD_TABLE_BYTES {total}",
           c_array("uint16_t", "fold_index", index, 16),
           c_array("uint32_t", "fold_blocks", flat, 8, "0x{:08x}u"),
           c_array("uint32_t", "fold_supp_from", [a for a, _ in pairs], 8, "0x{:05x}"),
           c_array("uint32_t", "fold_supp_to", [b for _, b in pairs], 8, "0x{:05x}"), ""]
    return "\n".join(out), total


def gen_class(cat, ignorable):
    word = [0] * 0x110000
    for cp, gc in cat.items():
        if gc[0] in "LNM" and cp not in ignorable:
            word[cp] = 1
    shift = 8
    bits = []
    for b in range(0, 0x110000, 64):
        v = 0
        for k in range(64):
            v |= word[b + k] << k
        bits.append(v)
    per = 1 << (shift - 6)  # 64-bit words per block
    index, flat = two_level(bits, shift - 6)
    if len(flat) // per > 0xFFFF:
        fail("class table too large")
    index = [o // per for o in index]
    itype = "uint8_t" if max(index) < 256 else "uint16_t"
    total = len(index) * (1 if itype == "uint8_t" else 2) + len(flat) * 8
    out = [header(f"Word characters (L, N, M less Default_Ignorable): {sum(word)} code points,"
                  f" {total} bytes."),
           f"#define CLASS_SHIFT {shift}",
           f"#define CLASS_TABLE_BYTES {total}",
           c_array(itype, "class_index", index, 24),
           c_array("uint64_t", "class_bits", flat, 4, "0x{:016x}u"), ""]
    return "\n".join(out), total


def gen_pinyin(readings, fold):
    han = {}
    for lo, hi in HAN_RANGES:
        for cp in range(lo, hi + 1):
            r = readings.get(cp)
            if r is None and cp in fold:
                r = readings.get(fold[cp])  # a traditional form: its simplified reading
            if r is not None:
                han[cp] = r
    syllables = sorted(set(han.values()))
    number = {s: k for k, s in enumerate(syllables)}
    bits, ranks, values = [], [], []
    for lo, hi in PINYIN_SPANS:
        for b in range(lo, hi + 1, 64):
            ranks.append(len(values))
            v = 0
            for k in range(64):
                cp = b + k
                if cp <= hi and cp in han:
                    v |= 1 << k
                    values.append(number[han[cp]])
            bits.append(v)
    spans = []
    base = 0
    for lo, hi in PINYIN_SPANS:
        spans.append((lo, hi, base))
        base += (hi - lo + 64) // 64 * 64
    if len(values) > 0xFFFF:
        fail("too many readings for 16-bit ranks")
    width = max(1, (len(syllables) - 1).bit_length())  # bits per syllable number
    if width > 9:
        fail("too many syllables for a 2-byte read of the packed numbers")
    packed = bytearray((len(values) * width + 7) // 8 + 1)  # + 1: a lookup reads 2 bytes
    for k, v in enumerate(values):
        at = k * width
        word = v << (at & 7)  # < 2**16
        packed[at >> 3] |= word & 0xFF
        packed[(at >> 3) + 1] |= word >> 8
    total = len(syllables) * 8 + len(bits) * 8 + len(ranks) * 2 + len(packed)
    out = [header(f"Readings: {len(han)} Han code points, {len(syllables)} syllables,"
                  f" {total} bytes."),
           f"#define PINYIN_SYLLABLES {len(syllables)}",
           f"#define PINYIN_VALUE_BITS {width}",
           f"#define PINYIN_TABLE_BYTES {total}",
           "static const struct {\n    uint32_t lo, hi, bit;\n} pinyin_spans["
           f"{len(spans)}] = {{"]
    out += [f"    {{0x{lo:05x}, 0x{hi:05x}, {b}}}," for lo, hi, b in spans]
    out += ["};",
            f"static const char pinyin_syllables[{len(syllables)}][8] = {{"]
    out += [f'    "{s}",' for s in syllables]
    out += ["};",
            c_array("uint64_t", "pinyin_bits", bits, 4, "0x{:016x}u"),
            c_array("uint16_t", "pinyin_rank", ranks, 16),
            c_array("uint8_t", "pinyin_values", list(packed), 16), ""]
    return "\n".join(out), total, len(han)


def write(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def main(argv):
    if len(argv) != 7:
        sys.exit(__doc__.split("\n\n")[-1].strip())
    opencc_dict, ocd2, unihan, ucd, derived, outdir = argv[1:]
    for path, pkg in ((ocd2, "libopencc-data"), (unihan, "unicode-data"),
                      (ucd, "unicode-data"), (derived, "unicode-data")):
        if not os.path.isfile(path):
            fail(f"missing {path} (apt-get install -y {pkg})")
    os.makedirs(outdir, exist_ok=True)
    ts = read_opencc(opencc_dict, ocd2)
    lower, cat = read_ucd(ucd)
    fold, dropped = build_fold(ts, lower)
    readings = read_mandarin(unihan)
    fold_c, fold_size = gen_fold(fold)
    class_c, class_size = gen_class(cat, read_ignorable(derived))
    pinyin_c, pinyin_size, with_reading = gen_pinyin(readings, fold)
    write(os.path.join(outdir, "text_fold_data.h"), fold_c)
    write(os.path.join(outdir, "text_class_data.h"), class_c)
    write(os.path.join(outdir, "text_pinyin_data.h"), pinyin_c)
    print(f"gen_text_tables: fold {len(fold)} code points ({len(dropped)} non-Han targets"
          f" dropped) {fold_size} B, class {class_size} B, readings {with_reading} code points"
          f" {pinyin_size} B")


if __name__ == "__main__":
    main(sys.argv)
