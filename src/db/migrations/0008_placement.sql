-- 0008_placement.sql: positions, students, applications, matching rounds
-- and employment outcomes (module placement, docs/placement.md).
--
-- Lists (majors, certificates, awards, preferred cities) are stored as
-- text with one item per line: they are read whole and never joined on.

CREATE TABLE positions (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units(id),   -- the enterprise
    kind TEXT NOT NULL CHECK (kind IN ('internship', 'job', 'order_class')),
    title TEXT NOT NULL,
    occupation TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL REFERENCES regions(code),
    seats INTEGER NOT NULL CHECK (seats BETWEEN 1 AND 10000),
    majors TEXT NOT NULL DEFAULT '',                 -- accepted majors; empty: any
    min_level INTEGER NOT NULL DEFAULT 0 CHECK (min_level BETWEEN 0 AND 5),
    certificate TEXT NOT NULL DEFAULT '',
    pay_min INTEGER,                                 -- yuan per month
    pay_max INTEGER,
    starts_on TEXT,
    ends_on TEXT,
    description TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'submitted', 'returned', 'published', 'closed')),
    review_comment TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK (pay_min IS NULL OR pay_max IS NULL OR pay_min <= pay_max)
);
CREATE INDEX positions_unit ON positions(unit_id, status);
CREATE INDEX positions_status ON positions(status, kind, city);

CREATE TABLE students (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units(id),   -- the school
    user_id INTEGER UNIQUE REFERENCES users(id),     -- after activation
    student_no TEXT NOT NULL,                        -- 学号
    name TEXT NOT NULL,
    major TEXT NOT NULL,
    year INTEGER NOT NULL,                           -- graduation year
    skill_level INTEGER NOT NULL DEFAULT 0 CHECK (skill_level BETWEEN 0 AND 5), -- 0: none
    certificates TEXT NOT NULL DEFAULT '',
    awards TEXT NOT NULL DEFAULT '',
    award_points INTEGER NOT NULL DEFAULT 0 CHECK (award_points BETWEEN 0 AND 100),
    school_score INTEGER NOT NULL DEFAULT 0 CHECK (school_score BETWEEN 0 AND 100),
    cities TEXT NOT NULL DEFAULT '',                 -- preferred city codes
    activation_hash BLOB,                            -- keyed hash of the one-time code
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (unit_id, student_no)
);
CREATE INDEX students_year ON students(unit_id, year, major);
CREATE UNIQUE INDEX students_activation ON students(activation_hash);

-- Applications outside rounds.
CREATE TABLE job_applications (
    id INTEGER PRIMARY KEY,
    position_id INTEGER NOT NULL REFERENCES positions(id),
    student_id INTEGER NOT NULL REFERENCES students(id),
    status TEXT NOT NULL DEFAULT 'applied'
        CHECK (status IN ('applied', 'accepted', 'declined', 'withdrawn')),
    note TEXT NOT NULL DEFAULT '',
    comment TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    decided_at INTEGER,
    UNIQUE (position_id, student_id)
);
CREATE INDEX job_applications_student ON job_applications(student_id);

CREATE TABLE rounds (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'open', 'ranking', 'matched', 'published', 'closed')),
    parent_id INTEGER REFERENCES rounds(id),         -- a second round's first
    choices_deadline INTEGER NOT NULL,
    answer_deadline INTEGER NOT NULL,
    max_choices INTEGER NOT NULL DEFAULT 20 CHECK (max_choices BETWEEN 1 AND 20),
    seed INTEGER,                                    -- the lottery's, recorded at the run
    stats TEXT,                                      -- JSON, from the run
    run_at INTEGER,
    published_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- The positions of a round, their seats in it and how they rank.
CREATE TABLE round_positions (
    round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    position_id INTEGER NOT NULL REFERENCES positions(id),
    seats INTEGER NOT NULL CHECK (seats BETWEEN 1 AND 10000),
    rule TEXT NOT NULL DEFAULT 'manual' CHECK (rule IN ('manual', 'score')),
    w_level INTEGER NOT NULL DEFAULT 0 CHECK (w_level BETWEEN 0 AND 100),
    w_awards INTEGER NOT NULL DEFAULT 0 CHECK (w_awards BETWEEN 0 AND 100),
    w_school INTEGER NOT NULL DEFAULT 0 CHECK (w_school BETWEEN 0 AND 100),
    w_interview INTEGER NOT NULL DEFAULT 0 CHECK (w_interview BETWEEN 0 AND 100),
    PRIMARY KEY (round_id, position_id)
);

-- A student's ranked choices in a round (place 0 = first choice).
CREATE TABLE round_choices (
    round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    student_id INTEGER NOT NULL REFERENCES students(id),
    place INTEGER NOT NULL CHECK (place BETWEEN 0 AND 19),
    position_id INTEGER NOT NULL,
    PRIMARY KEY (round_id, student_id, place),
    UNIQUE (round_id, student_id, position_id),
    FOREIGN KEY (round_id, position_id) REFERENCES round_positions(round_id, position_id)
);
CREATE INDEX round_choices_position ON round_choices(round_id, position_id);
CREATE INDEX round_choices_student ON round_choices(student_id);

-- An enterprise's view of its applicants in a round: its manual ranking
-- (rank 0 = most wanted; NULL = not acceptable) and interview scores.
CREATE TABLE round_rankings (
    round_id INTEGER NOT NULL,
    position_id INTEGER NOT NULL,
    student_id INTEGER NOT NULL REFERENCES students(id),
    rank INTEGER,
    interview_score INTEGER CHECK (interview_score BETWEEN 0 AND 100),
    PRIMARY KEY (round_id, position_id, student_id),
    FOREIGN KEY (round_id, position_id) REFERENCES round_positions(round_id, position_id)
        ON DELETE CASCADE
);

-- The outcome of a run for each student who chose: the position (NULL:
-- unplaced), its place in her choices, her answer, and why she did not get
-- the choices above it (JSON, engine reasons).
CREATE TABLE round_results (
    round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    student_id INTEGER NOT NULL REFERENCES students(id),
    position_id INTEGER REFERENCES positions(id),
    place INTEGER,
    status TEXT NOT NULL
        CHECK (status IN ('offered', 'accepted', 'declined', 'expired', 'unplaced')),
    explanation TEXT NOT NULL DEFAULT '[]',
    answered_at INTEGER,
    PRIMARY KEY (round_id, student_id)
);
CREATE INDEX round_results_position ON round_results(round_id, position_id);

-- A graduate's employment outcome (就业去向), one per student.
CREATE TABLE outcomes (
    student_id INTEGER PRIMARY KEY REFERENCES students(id) ON DELETE CASCADE,
    status TEXT NOT NULL
        CHECK (status IN ('employed', 'employed_in_field', 'further_study', 'seeking')),
    employer TEXT NOT NULL DEFAULT '',
    city TEXT REFERENCES regions(code),
    salary_band TEXT CHECK (salary_band IN ('lt3k', '3k_5k', '5k_8k', '8k_12k', 'ge12k')),
    updated_at INTEGER NOT NULL
);
