-- 0005_governance.sql: charter, bodies and terms, meetings, motions and
-- ballots, resolutions, appointments and the yearly work plan (module
-- governance; GLOSSARY.md "Governance").

-- A user account may stand for a person (an expert, a unit's
-- representative): person ballots and check-ins go by it.
ALTER TABLE users ADD COLUMN person_id INTEGER REFERENCES people(id) ON DELETE SET NULL;
CREATE INDEX users_person ON users(person_id);

-- The charter's rules, stored as data (src/lib/votes.c applies them).
-- base: who the fraction counts from: 'members' (all voting members),
-- 'present' (members present, in person or by proxy), 'cast' (yes + no +
-- abstain), 'decisive' (yes + no). strict: 1 "more than", 0 "at least".
CREATE TABLE vote_rules (
    code TEXT PRIMARY KEY CHECK (code IN ('quorum', 'ordinary', 'charter', 'election')),
    base TEXT NOT NULL CHECK (base IN ('members', 'present', 'cast', 'decisive')),
    num INTEGER NOT NULL CHECK (num > 0),
    den INTEGER NOT NULL CHECK (den > 0 AND num <= den),
    strict INTEGER NOT NULL CHECK (strict IN (0, 1)),
    updated_at INTEGER NOT NULL
);
INSERT INTO vote_rules VALUES ('quorum', 'members', 2, 3, 0, 0);
INSERT INTO vote_rules VALUES ('ordinary', 'present', 1, 2, 1, 0);
INSERT INTO vote_rules VALUES ('charter', 'members', 2, 3, 0, 0);
INSERT INTO vote_rules VALUES ('election', 'present', 1, 2, 1, 0);

-- How many absent members one present member may hold proxies for.
ALTER TABLE alliance ADD COLUMN max_proxies INTEGER NOT NULL DEFAULT 1;

CREATE TABLE charter_versions (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT NOT NULL,                -- Markdown
    note TEXT NOT NULL DEFAULT '',     -- what changed
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'adopted', 'superseded')),
    based_on INTEGER REFERENCES charter_versions(id),
    resolution_id INTEGER REFERENCES resolutions(id),
    adopted_at INTEGER,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
-- At most one version is in force.
CREATE UNIQUE INDEX charter_one_adopted ON charter_versions(status) WHERE status = 'adopted';

-- 第一届理事会, 第一届专家委员会 ...
CREATE TABLE terms (
    id INTEGER PRIMARY KEY,
    body TEXT NOT NULL CHECK (body IN ('council', 'expert_committee')),
    number INTEGER NOT NULL CHECK (number > 0),
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (body, number)
);

CREATE TABLE meetings (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('preparatory', 'general_assembly', 'council',
                                       'chair_office')),
    title TEXT NOT NULL,
    starts_at TEXT NOT NULL,           -- local date and time, 'YYYY-MM-DD HH:MM'
    ends_at TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL DEFAULT '',
    online_url TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'open', 'closed')),
    checkin_code TEXT NOT NULL,        -- for attendees checking themselves in
    minutes TEXT NOT NULL DEFAULT '',  -- Markdown
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE agenda_items (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    title TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX agenda_meeting ON agenda_items(meeting_id, seq);

-- Who is invited: a unit (voting by its representative) or a person.
CREATE TABLE attendees (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    unit_id INTEGER REFERENCES units(id),
    person_id INTEGER REFERENCES people(id),
    representative TEXT NOT NULL DEFAULT '',   -- name of who attends for a unit
    voting INTEGER NOT NULL DEFAULT 1 CHECK (voting IN (0, 1)),
    checked_in_at INTEGER,
    checked_in_by INTEGER REFERENCES users(id),
    proxy_to INTEGER REFERENCES attendees(id), -- the attendee holding this one's vote
    CHECK ((unit_id IS NULL) <> (person_id IS NULL))
);
CREATE UNIQUE INDEX attendees_unit ON attendees(meeting_id, unit_id) WHERE unit_id IS NOT NULL;
CREATE UNIQUE INDEX attendees_person ON attendees(meeting_id, person_id)
    WHERE person_id IS NOT NULL;

CREATE TABLE motions (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    seq INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL CHECK (kind IN ('ordinary', 'charter', 'election')),
    rule TEXT NOT NULL REFERENCES vote_rules(code),
    ballot TEXT NOT NULL DEFAULT 'open' CHECK (ballot IN ('open', 'secret')),
    per_item INTEGER NOT NULL DEFAULT 0 CHECK (per_item IN (0, 1)), -- election: a vote per person
    changeable INTEGER NOT NULL DEFAULT 0 CHECK (changeable IN (0, 1)),
    charter_version_id INTEGER REFERENCES charter_versions(id),
    term_id INTEGER REFERENCES terms(id),
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed',
                                                            'certified')),
    opened_at INTEGER,
    closes_at INTEGER,                 -- the window closes then, or when closed by hand
    closed_at INTEGER,
    members INTEGER,                   -- attendance when the vote closed
    present INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK (kind <> 'charter' OR charter_version_id IS NOT NULL),
    CHECK (kind <> 'election' OR term_id IS NOT NULL),
    CHECK (ballot = 'open' OR changeable = 0)
);
CREATE INDEX motions_meeting ON motions(meeting_id, seq);

-- The candidates of an election motion: one appointment each if adopted.
CREATE TABLE motion_items (
    id INTEGER PRIMARY KEY,
    motion_id INTEGER NOT NULL REFERENCES motions(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    position TEXT NOT NULL CHECK (position IN ('chair', 'vice_chair', 'secretary_general',
                                               'director', 'member')),
    unit_id INTEGER REFERENCES units(id),
    person_id INTEGER REFERENCES people(id),
    CHECK (unit_id IS NOT NULL OR person_id IS NOT NULL)
);
CREATE INDEX motion_items_motion ON motion_items(motion_id, seq);

-- Open ballots: who voted what. item_id is NULL for a vote on the whole
-- motion. A ballot is cast once (the unique index); a changeable motion
-- updates it while open.
CREATE TABLE ballots (
    id INTEGER PRIMARY KEY,
    motion_id INTEGER NOT NULL REFERENCES motions(id),
    attendee_id INTEGER NOT NULL REFERENCES attendees(id),
    item_id INTEGER REFERENCES motion_items(id),
    choice TEXT NOT NULL CHECK (choice IN ('yes', 'no', 'abstain')),
    cast_by INTEGER NOT NULL REFERENCES users(id),
    cast_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX ballots_once ON ballots(motion_id, attendee_id, coalesce(item_id, 0));

-- Secret ballots are split in two so that nothing links a voter to a
-- choice: the receipt says who has voted (cast once, by its key), the
-- vote says what was chosen and nothing else. Votes are keyed by a random
-- id (WITHOUT ROWID), so neither their order nor a time joins them to the
-- receipts.
CREATE TABLE secret_receipts (
    motion_id INTEGER NOT NULL REFERENCES motions(id),
    attendee_id INTEGER NOT NULL REFERENCES attendees(id),
    cast_at INTEGER NOT NULL,
    PRIMARY KEY (motion_id, attendee_id)
);
CREATE TABLE secret_votes (
    id BLOB PRIMARY KEY,               -- 16 random bytes
    motion_id INTEGER NOT NULL REFERENCES motions(id),
    item_id INTEGER REFERENCES motion_items(id),
    choice TEXT NOT NULL CHECK (choice IN ('yes', 'no', 'abstain'))
) WITHOUT ROWID;
CREATE INDEX secret_votes_motion ON secret_votes(motion_id);

-- The certified numbers of a motion (per item for per-person elections).
CREATE TABLE motion_results (
    motion_id INTEGER NOT NULL REFERENCES motions(id),
    item_id INTEGER REFERENCES motion_items(id),
    members INTEGER NOT NULL,
    present INTEGER NOT NULL,
    yes INTEGER NOT NULL,
    no INTEGER NOT NULL,
    abstain INTEGER NOT NULL,
    rule TEXT NOT NULL,                -- the rule applied, as text ("> 1/2 of present")
    passed INTEGER NOT NULL CHECK (passed IN (0, 1)),
    certified_by INTEGER NOT NULL REFERENCES users(id),
    certified_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX motion_results_once ON motion_results(motion_id, coalesce(item_id, 0));

-- 决议: written once when a motion passes, never changed.
CREATE TABLE resolutions (
    id INTEGER PRIMARY KEY,
    motion_id INTEGER NOT NULL UNIQUE REFERENCES motions(id),
    number TEXT NOT NULL UNIQUE,       -- e.g. 技联决〔2023〕1号
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    adopted_at INTEGER NOT NULL
);
CREATE TRIGGER resolutions_no_update BEFORE UPDATE ON resolutions
BEGIN SELECT RAISE(ABORT, 'resolutions are immutable'); END;
CREATE TRIGGER resolutions_no_delete BEFORE DELETE ON resolutions
BEGIN SELECT RAISE(ABORT, 'resolutions are immutable'); END;
CREATE TRIGGER motion_results_no_update BEFORE UPDATE ON motion_results
BEGIN SELECT RAISE(ABORT, 'certified results are immutable'); END;
CREATE TRIGGER motion_results_no_delete BEFORE DELETE ON motion_results
BEGIN SELECT RAISE(ABORT, 'certified results are immutable'); END;

-- Positions held in a term: a council seat by a unit through its
-- representative (person), an expert committee seat by a person.
CREATE TABLE appointments (
    id INTEGER PRIMARY KEY,
    term_id INTEGER NOT NULL REFERENCES terms(id),
    position TEXT NOT NULL CHECK (position IN ('chair', 'vice_chair', 'secretary_general',
                                               'director', 'member')),
    unit_id INTEGER REFERENCES units(id),
    person_id INTEGER REFERENCES people(id),
    holder_name TEXT NOT NULL,         -- kept as appointed, even if the person changes
    unit_name TEXT NOT NULL DEFAULT '',
    resolution_id INTEGER REFERENCES resolutions(id),
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    ended_on TEXT,                     -- left before the term's end
    verify_code TEXT NOT NULL UNIQUE,  -- printed on the letter
    created_at INTEGER NOT NULL
);
CREATE INDEX appointments_term ON appointments(term_id, position);

-- Each letter is rendered once and kept: the same bytes every time it is
-- downloaded.
CREATE TABLE letters (
    appointment_id INTEGER PRIMARY KEY REFERENCES appointments(id),
    pdf BLOB NOT NULL,
    created_at INTEGER NOT NULL
);

-- 年度工作计划
CREATE TABLE plan_tasks (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    title TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    owner_unit_id INTEGER NOT NULL REFERENCES units(id),
    deadline TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'in_progress', 'done',
                                                              'cancelled')),
    percent INTEGER NOT NULL DEFAULT 0 CHECK (percent BETWEEN 0 AND 100),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX plan_tasks_year ON plan_tasks(year, owner_unit_id);

CREATE TABLE plan_updates (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES plan_tasks(id) ON DELETE CASCADE,
    on_date TEXT NOT NULL,
    percent INTEGER NOT NULL CHECK (percent BETWEEN 0 AND 100),
    note TEXT NOT NULL,
    by_user INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX plan_updates_task ON plan_updates(task_id, on_date);
