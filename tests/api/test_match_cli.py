"""`jilian match`: the stable matching of two CSV files from the command line
(docs/matching.md). Needs no data folder and no server.

Writes small instances (Chinese names, a quoted name with a comma), runs the
binary (JILIAN_BIN, default build/jilian), and checks the exact bytes of the
result file, the explanation file and the summary line; then every kind of
bad input (exit 3, the message naming the file, the line and the value) and
the usage errors (exit 2). A plain script: each check is an assert; it
prints one line per case and exits non-zero on the first failure.
"""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

TMP = tempfile.mkdtemp(prefix="jilian-match-")

S_HEAD = "student,choices\n"
P_HEAD = "position,seats,ranking\n"


def write(name, text, raw=False):
    path = os.path.join(TMP, name)
    with open(path, "wb") as f:
        f.write(text if raw else text.encode("utf-8"))
    return path


def run(*args):
    """Runs `jilian match ARGS` in the temp folder (no data folder there)."""
    r = subprocess.run([harness.BIN, "match"] + list(args), capture_output=True, text=True,
                       cwd=TMP, timeout=120)
    harness.check_sanitizer(r.stderr, "jilian match %s" % " ".join(args))
    return r


def match(students, positions, *extra):
    s = write("s.csv", students)
    p = write("p.csv", positions)
    out = os.path.join(TMP, "r.csv")
    if os.path.exists(out):
        os.remove(out)
    return run("--students", s, "--positions", p, "--out", out, *extra), out


def read(path):
    with open(path, "rb") as f:
        return f.read()


def case_basic():
    # Students: 张三 and "Li, Lei" both want 车工 (1 seat) first; 车工 ranks
    # "Li, Lei" higher, so 张三 goes to her second choice. 王芳 wants only
    # 车工 and is not ranked there: unplaced.
    students = (S_HEAD + "张三,车工;设计室\n"
                '"Li, Lei",车工;设计室\n'
                "王芳,车工\n"
                "Zhao,设计室\n")
    positions = (P_HEAD + '车工,1,"Li, Lei;张三"\n'
                 '设计室,2,"Zhao;张三;Li, Lei"\n')
    r, out = match(students, positions, "--explain", os.path.join(TMP, "e.csv"))
    assert r.returncode == 0, r.stderr
    assert r.stdout == ("students 4, placed 3, first choice 2, positions 2, seats 3; "
                        "stable: verified\n"), r.stdout
    want = ("student,position\n"
            "张三,设计室\n"
            '"Li, Lei",车工\n'
            "王芳,\n"
            "Zhao,设计室\n").encode("utf-8")
    assert read(out) == want, read(out)
    explain = ("student,place,position,reason,seats,rank,cutoff\n"
               "张三,1,车工,full,1,2,1\n"
               "王芳,1,车工,not_accepted,1,,1\n").encode("utf-8")
    got = read(os.path.join(TMP, "e.csv"))
    assert got == explain, got


def case_student_optimal():
    # Gale and Shapley's cycle: each student gets her first choice, though
    # each position would prefer another student (also stable).
    students = S_HEAD + "a,X;Y;Z\nb,Y;Z;X\nc,Z;X;Y\n"
    positions = P_HEAD + "X,1,b;c;a\nY,1,c;a;b\nZ,1,a;b;c\n"
    r, out = match(students, positions)
    assert r.returncode == 0, r.stderr
    assert read(out) == b"student,position\na,X\nb,Y\nc,Z\n", read(out)
    assert "first choice 3" in r.stdout, r.stdout


def case_formats():
    # BOM, CRLF, blank lines, spaces around items, a quoted field with a
    # quote and a line break in a list, names needing quotes on output.
    students = ("\ufeffstudent,choices\r\n"
                '" 王 ""小"" 明",\"A ;\nB\"\r\n'
                "\r\n"
                "ling,B\r\n")
    positions = P_HEAD + 'A,1,\n B ,1," ling ;王 ""小"" 明"\n'
    r, out = match(students, positions)
    assert r.returncode == 0, r.stderr
    want = 'student,position\n"王 ""小"" 明",\nling,B\n'.encode("utf-8")
    assert read(out) == want, read(out)
    # No rows at all.
    r, out = match(S_HEAD, P_HEAD)
    assert r.returncode == 0, r.stderr
    assert read(out) == b"student,position\n"
    assert r.stdout.startswith("students 0, placed 0"), r.stdout


def case_many_choices():
    # More than 20 choices: allowed (the engine is general).
    names = ["p%d" % i for i in range(30)]
    students = S_HEAD + "x,%s\n" % ";".join(names)
    positions = P_HEAD + "".join("%s,1,%s\n" % (n, "x" if n == "p29" else "") for n in names)
    r, out = match(students, positions)
    assert r.returncode == 0, r.stderr
    assert read(out) == b"student,position\nx,p29\n", read(out)


def bad(students, positions, file, line, text):
    r, out = match(students, positions)
    assert r.returncode == 3, (r.returncode, r.stderr)
    path = os.path.join(TMP, "s.csv" if file == "students" else "p.csv")
    want = "jilian match: %s file %s, line %d: " % (file, path, line)
    assert r.stderr.startswith(want), (want, r.stderr)
    assert text in r.stderr, (text, r.stderr)
    assert not os.path.exists(out), "nothing is written on bad input"


S_OK = S_HEAD + "张三,A;B\nLi,B\n"
P_OK = P_HEAD + "A,1,Li;张三\nB,2,张三\n"
P_ANY = P_HEAD + "A,1,\nB,2,\n"  # ranks nobody: fits any students file


def case_bad_input():
    bad("name,choices\n", P_OK, "students", 1,
        'the header must be "student,choices", not "name,choices"')
    bad("", P_OK, "students", 1, "the file is empty")
    bad(S_OK, "position,seats\n", "positions", 1, 'the header must be "position,seats,ranking"')
    bad(S_HEAD + "A,\nB,\n\nA,\n", P_OK, "students", 5, 'student "A" is listed twice (first on line 2)')
    bad(S_OK, P_HEAD + "A,1,\nA,1,\n", "positions", 3, 'position "A" is listed twice (first on line 2)')
    bad(S_HEAD + "张三,A;B;A\nLi,\n", P_OK, "students", 2, 'student "张三" chooses "A" twice')
    bad(S_HEAD + "Li,A\n张三,B;研发\n", P_OK, "students", 3,
        'student "张三" chooses "研发", which is not a position in the positions file')
    bad(S_OK, P_HEAD + "A,0,Li\n", "positions", 2,
        'the seats of position "A" must be a whole number of at least 1, not "0"')
    bad(S_OK, P_HEAD + "A,two,Li\n", "positions", 2, 'not "two"')
    bad(S_OK, P_HEAD + "A,1,Li\nB,1,Li;赵四\n", "positions", 3,
        'position "B" ranks "赵四", who is not a student in the students file')
    bad(S_OK, P_HEAD + "A,1,Li;张三;Li\n", "positions", 2, 'position "A" ranks "Li" twice')
    bad(S_HEAD + '"",A\n', P_ANY, "students", 2, "empty student name")
    bad(S_OK, P_HEAD + " ,1,Li\n", "positions", 2, "empty position name")
    bad(S_HEAD + "x,A;;B\n", P_ANY, "students", 2, 'empty position name in the choices of "x" (item 2)')
    bad(S_HEAD + 'x,"A\n', P_ANY, "students", 2, "a quoted field is not closed")
    bad(S_HEAD + "x,A,B\n", P_ANY, "students", 2, "expected 2 columns, found 3")
    # A quoted field over two lines is one row: the duplicate is on row 3.
    bad(S_HEAD + '"x","A;\nB"\nx,A\n', P_ANY, "students", 3, "listed twice (first on line 2)")


def case_usage():
    s = write("s.csv", S_OK)
    p = write("p.csv", P_OK)
    out = os.path.join(TMP, "r.csv")
    for args in ([], ["--students", s, "--positions", p], ["--students", s, "--out", out],
                 ["--students", s, "--positions", p, "--out", out, "--bogus", "1"],
                 ["--students", s, "--positions", p, "--out", out, "extra"],
                 ["--students", s, "--positions", p, "--out", out, "--explain"]):
        r = run(*args)
        assert r.returncode == 2, (args, r.returncode, r.stderr)
        assert "usage: jilian" in r.stdout, r.stdout
    r = run("--students", os.path.join(TMP, "missing.csv"), "--positions", p, "--out", out)
    assert r.returncode == 1 and "cannot read" in r.stderr, r.stderr
    r = run("--students", s, "--positions", p, "--out", os.path.join(TMP, "no", "dir", "r.csv"))
    assert r.returncode == 1 and "cannot write" in r.stderr, r.stderr
    r = run("--help")
    assert r.returncode == 0 and "--students S.csv" in r.stdout, r.stdout
    # Works without a data folder anywhere near: the temp folder has none.
    assert not os.path.exists(os.path.join(TMP, "var"))


def main():
    cases = [case_basic, case_student_optimal, case_formats, case_many_choices, case_bad_input,
             case_usage]
    try:
        for c in cases:
            c()
            print("ok   %s" % c.__name__)
    except AssertionError:
        print("FAIL %s" % c.__name__)
        raise
    finally:
        if not os.environ.get("JILIAN_KEEP_TMP"):
            shutil.rmtree(TMP, ignore_errors=True)
    print("%d cases passed" % len(cases))


if __name__ == "__main__":
    main()
