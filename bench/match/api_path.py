#!/usr/bin/env python3
"""bench/match/api_path.py - a matching round of 10,000 students and 1,000
positions through the API, end to end, beside the same instance through
`jilian match` (CSV in, CSV out) measured in the same run.

    python3 bench/match/api_path.py [--students N] [--positions M] [--choices K]

Steps (a throw-away data folder made by `jilian init --demo`, one server):
  1. Seeded data straight into the database (not timed): M published
     positions of the demo enterprises (1-15 seats, mean 8), N students of
     the demo schools with school scores, and their K distinct choices.
     Every position ranks by a score rule (the school score), so equal
     scores are ordered by the round's published lottery.
  2. Timed through the API: create the round, put its M positions, open it,
     close choices, run it (the job: load the instance, deferred acceptance,
     the stability proof, N results stored in one transaction), publish.
  3. 200 students submit their choices through the API (timed per request).
  4. The anchor: the same instance written as S.csv and P.csv (rankings by
     score, ties by the lottery recomputed here) and matched by
     `jilian match`; its assignment must equal the round's.
Prints the figures; asserts only that the two assignments agree.
"""
import argparse
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "api"))
os.environ.setdefault("JILIAN_BIN", os.path.join(ROOT, "build", "jilian"))
import harness  # noqa: E402

MASK = (1 << 64) - 1


def ticket(seed, sid):
    z = ((seed ^ (sid & MASK)) + 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def ok(r, status=200):
    if r.status != status:
        raise SystemExit("%s: %r" % (r.status, r.data))
    return r.data


def seed_data(db_path, n, m, k, rng):
    db = sqlite3.connect(db_path)
    ents = [r[0] for r in db.execute("SELECT id FROM units WHERE kind = 'enterprise'")]
    schools = [r[0] for r in db.execute(
        "SELECT id FROM units WHERE kind IN ('technical_school', 'vocational_college')")]
    now = int(time.time() * 1000)
    with db:
        pos = []
        for i in range(m):
            cur = db.execute(
                "INSERT INTO positions(unit_id, kind, title, city, seats, status, created_at, "
                "updated_at) VALUES (?, 'job', ?, '130100', ?, 'published', ?, ?)",
                (ents[i % len(ents)], "压测岗位%d" % i, rng.randint(1, 15), now, now))
            pos.append(cur.lastrowid)
        stu = []
        for i in range(n):
            cur = db.execute(
                "INSERT INTO students(unit_id, student_no, name, major, year, school_score, "
                "created_at, updated_at) VALUES (?, ?, ?, '机电一体化', 2026, ?, ?, ?)",
                (schools[i % len(schools)], "B%06d" % i, "压测学生%d" % i, rng.randint(50, 100),
                 now, now))
            stu.append(cur.lastrowid)
    weights = [1.0 / (j + 10) for j in range(m)]  # popular positions are chosen more
    choices = {}
    for s in stu:
        picked = []
        seen = set()
        while len(picked) < k:
            p = rng.choices(pos, weights)[0]
            if p not in seen:
                seen.add(p)
                picked.append(p)
        choices[s] = picked
    return db, pos, stu, choices


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--students", type=int, default=10000)
    ap.add_argument("--positions", type=int, default=1000)
    ap.add_argument("--choices", type=int, default=20)
    ap.add_argument("--seed", type=int, default=20261129)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    S = harness.Server()
    try:
        t = time.monotonic()
        db, pos, stu, choices = seed_data(S.db_path, a.students, a.positions, a.choices, rng)
        print("data: %d students, %d positions, %d choices each (seeded into the database in "
              "%.1f s, not timed)" % (a.students, a.positions, a.choices, time.monotonic() - t))
        S.start()
        sec = S.login("secretariat")
        now = int(time.time() * 1000)
        timings = []

        def step(name, fn):
            t0 = time.monotonic()
            out = fn()
            timings.append((name, time.monotonic() - t0))
            return out

        rnd = step("create the round", lambda: ok(sec.post("/api/v1/rounds", {
            "name": "压测轮次", "choices_deadline": now + 3600_000,
            "answer_deadline": now + 7200_000}), 201))
        rid = rnd["id"]
        step("put %d positions (score rule)" % len(pos), lambda: ok(sec.put(
            "/api/v1/rounds/%d/positions" % rid,
            {"items": [{"position_id": p, "rule": "score", "w_school": 1} for p in pos]})))
        step("open", lambda: ok(sec.post("/api/v1/rounds/%d/open" % rid)))
        with db:
            db.executemany("INSERT INTO round_choices(round_id, student_id, place, position_id) "
                           "VALUES (?, ?, ?, ?)",
                           [(rid, s, i, p) for s, ps in list(choices.items())[200:]
                            for i, p in enumerate(ps)])
        # 200 students choose through the API (each needs an account).
        api_students = list(choices)[:200]
        clients = []
        for s in api_students:
            code = ok(sec.post("/api/v1/students/%d/activation" % s))["code"]
            name = "bench%d" % s
            ok(S.client().post("/api/v1/students/activate",
                               {"code": code, "username": name, "password": "Kq7#mvT2pw!x"}), 201)
            c = S.client()
            c.login(name, "Kq7#mvT2pw!x")
            clients.append((s, c))
        t0 = time.monotonic()
        for s, c in clients:
            ok(c.put("/api/v1/rounds/%d/choices/mine" % rid, {"positions": choices[s]}))
        per = (time.monotonic() - t0) / len(clients)
        step("close choices", lambda: ok(sec.post("/api/v1/rounds/%d/close-choices" % rid)))

        def run():
            job = ok(sec.post("/api/v1/rounds/%d/run" % rid, {"seed": a.seed}), 202)["job_id"]
            while True:
                j = ok(sec.get("/api/v1/jobs/%d" % job))
                if j["state"] in ("done", "failed"):
                    return j
                time.sleep(0.01)
        job = step("run (job: load, match, prove stable, store results)", run)
        if job["state"] != "done":
            raise SystemExit("the run failed: %r" % job)
        step("publish", lambda: ok(sec.post("/api/v1/rounds/%d/publish" % rid)))
        stats = job["result"]
        got = dict(db.execute("SELECT student_id, position_id FROM round_results WHERE "
                              "round_id = ?", (rid,)))

        # The anchor: the same instance through the command line.
        score = dict(db.execute("SELECT id, school_score FROM students"))
        applicants = {p: [] for p in pos}
        for s, ps in choices.items():
            for p in ps:
                applicants[p].append(s)
        seats = dict(db.execute("SELECT position_id, seats FROM round_positions WHERE "
                                "round_id = ?", (rid,)))
        tmp = tempfile.mkdtemp(prefix="jilian-bench-match-")
        sp, pp, rp = (os.path.join(tmp, f) for f in ("S.csv", "P.csv", "R.csv"))
        with open(sp, "w") as f:
            f.write("student,choices\n")
            for s, ps in choices.items():
                f.write("s%d,%s\n" % (s, ";".join("p%d" % p for p in ps)))
        with open(pp, "w") as f:
            f.write("position,seats,ranking\n")
            for p in pos:
                order = sorted(applicants[p], key=lambda s: (-score[s], ticket(a.seed, s), s))
                f.write("p%d,%d,%s\n" % (p, seats[p], ";".join("s%d" % s for s in order)))
        t0 = time.monotonic()
        r = subprocess.run([harness.BIN, "match", "--students", sp, "--positions", pp,
                            "--out", rp], capture_output=True, text=True)
        cli_time = time.monotonic() - t0
        if r.returncode != 0:
            raise SystemExit("jilian match failed: %s" % r.stderr)
        cli = {}
        with open(rp) as f:
            next(f)
            for line in f:
                st, p = line.rstrip("\n").split(",")
                cli[int(st[1:])] = int(p[1:]) if p else None
        same = cli == got

        print("\nthrough the API (%d students x %d positions x %d choices, %d seats):"
              % (a.students, a.positions, a.choices, stats["seats"]))
        for name, secs in timings:
            print("  %-58s %8.3f s" % (name, secs))
        print("  %-58s %8.2f ms" % ("one student's choices (PUT, mean of 200)", per * 1000))
        print("  %-58s %8d ms" % ("  of which: load the instance (SQL)", stats["ms"]["load"]))
        print("  %-58s %8d ms" % ("            deferred acceptance + stability proof",
                                   stats["ms"]["match"]))
        print("  %-58s %8d ms" % ("            store results and explanations", stats["ms"]["store"]))
        print("  placed %d, first choice %d, proposals %d, stable %s"
              % (stats["placed"], stats["first_choice"], stats["proposals"], stats["stable"]))
        print("\nanchor, same run: the same instance through `jilian match` (CSV in, CSV out)")
        print("  %-58s %8.3f s" % ("jilian match", cli_time))
        print("  %s" % r.stdout.strip())
        run_time = dict(timings)["run (job: load, match, prove stable, store results)"]
        print("\nratio run job / jilian match: %.1fx" % (run_time / cli_time))
        print("assignments agree: %s" % ("yes" if same else "NO"))
        return 0 if same else 1
    finally:
        S.close()


if __name__ == "__main__":
    sys.exit(main())
