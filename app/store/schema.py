"""The schema, as forward migrations (sqlite-utils Migrations), applied at start-up.

Secrecy by construction (R10): `person` and `attendance` describe the roster; nothing
in any table links a person to a ballot serial. Serials are issued per round with no
order that matches the handing out.

Add a change as a new decorated function at the end; never edit an applied one.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("union_ballot")

# Kept in step with the migrations below: the version a database reports.
SCHEMA_VERSION_TABLE = "_sqlite_migrations"


SEALED_ABORT = "BEGIN SELECT RAISE(ABORT, 'round is sealed'); END;"


def sealed_round_triggers(*tables: str) -> list[str]:
    """Triggers refusing any insert, update or delete of a row (with a `round_id`) that
    belongs to a sealed round: a sealed result can change through no path at all."""
    sealed = "(SELECT state FROM round WHERE id = {}.round_id) = 'sealed'"
    script = []
    for table in tables:
        script += [
            f"CREATE TRIGGER {table}_sealed_insert BEFORE INSERT ON {table}"
            f" WHEN {sealed.format('NEW')} {SEALED_ABORT}",
            f"CREATE TRIGGER {table}_sealed_update BEFORE UPDATE ON {table}"
            f" WHEN {sealed.format('OLD')} OR {sealed.format('NEW')} {SEALED_ABORT}",
            f"CREATE TRIGGER {table}_sealed_delete BEFORE DELETE ON {table}"
            f" WHEN {sealed.format('OLD')} {SEALED_ABORT}",
        ]
    return script


@migrations()
def m001_initial(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE congress (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('founding', 'renewal')),
            assembly TEXT NOT NULL CHECK (assembly IN ('members', 'delegates')),
            members INTEGER NOT NULL CHECK (members >= 1),
            live_board_public INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL
        );
        -- The roster. entitled = 0 for 保留会籍 members (条例 Art.4): no vote, not in E.
        CREATE TABLE person (
            id INTEGER PRIMARY KEY,
            congress_id INTEGER NOT NULL REFERENCES congress(id),
            name TEXT NOT NULL,
            unit TEXT NOT NULL DEFAULT '',
            gender TEXT NOT NULL DEFAULT '',
            entitled INTEGER NOT NULL DEFAULT 1,
            card_code TEXT NOT NULL UNIQUE,
            note TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX person_congress ON person(congress_id);
        CREATE TABLE attendance (
            person_id INTEGER PRIMARY KEY REFERENCES person(id),
            congress_id INTEGER NOT NULL REFERENCES congress(id),
            checked_in_at TEXT NOT NULL
        );
        CREATE INDEX attendance_congress ON attendance(congress_id);
        CREATE TABLE contest (
            id INTEGER PRIMARY KEY,
            congress_id INTEGER NOT NULL REFERENCES congress(id),
            title TEXT NOT NULL,
            office TEXT NOT NULL DEFAULT 'committee',
            method TEXT NOT NULL CHECK (method IN ('differential', 'equal')),
            seats INTEGER NOT NULL CHECK (seats >= 1),
            rules_json TEXT NOT NULL,
            position INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        );
        CREATE TABLE candidate (
            id INTEGER PRIMARY KEY,
            contest_id INTEGER NOT NULL REFERENCES contest(id),
            ref TEXT NOT NULL,
            name TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            UNIQUE (contest_id, ref)
        );
        -- One round of a contest: the first vote, a re-vote (R5), another election (R6),
        -- or a repeat after a void round (R2) or a failed quorum (R1).
        CREATE TABLE round (
            id INTEGER PRIMARY KEY,
            contest_id INTEGER NOT NULL REFERENCES contest(id),
            number INTEGER NOT NULL,
            kind TEXT NOT NULL DEFAULT 'first',
            parent_round_id INTEGER REFERENCES round(id),
            method TEXT NOT NULL CHECK (method IN ('differential', 'equal')),
            seats INTEGER NOT NULL CHECK (seats >= 1),
            state TEXT NOT NULL DEFAULT 'draft',
            entitled INTEGER,
            present INTEGER,
            ballots_issued INTEGER,
            ballots_returned INTEGER,
            opened_at TEXT,
            sealed_at TEXT,
            result_json TEXT,
            digest TEXT,
            UNIQUE (contest_id, number)
        );
        CREATE TABLE round_candidate (
            round_id INTEGER NOT NULL REFERENCES round(id),
            candidate_id INTEGER NOT NULL REFERENCES candidate(id),
            PRIMARY KEY (round_id, candidate_id)
        );
        -- Serials printed for a round. No column could link one to a person (R10).
        CREATE TABLE ballot_serial (
            serial TEXT PRIMARY KEY,
            round_id INTEGER NOT NULL REFERENCES round(id),
            code TEXT NOT NULL UNIQUE,
            state TEXT NOT NULL DEFAULT 'printed' CHECK (state IN ('printed', 'voided')),
            batch INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        );
        CREATE INDEX ballot_serial_round ON ballot_serial(round_id);
        -- The ballot as counted: one row per serial (the idempotency key).
        CREATE TABLE ballot (
            serial TEXT PRIMARY KEY REFERENCES ballot_serial(serial),
            round_id INTEGER NOT NULL REFERENCES round(id),
            status TEXT NOT NULL DEFAULT 'counted' CHECK (status IN ('counted', 'conflict')),
            marks_json TEXT NOT NULL,
            write_ins_json TEXT NOT NULL DEFAULT '[]',
            invalid INTEGER NOT NULL DEFAULT 0,
            invalid_reason TEXT NOT NULL DEFAULT '',
            recorded_at TEXT NOT NULL,
            recorded_by INTEGER REFERENCES app_user(id)
        );
        CREATE INDEX ballot_round ON ballot(round_id, status);
        -- Every version a teller submitted for a serial, kept for conflicts and audit.
        CREATE TABLE ballot_submission (
            id INTEGER PRIMARY KEY,
            serial TEXT NOT NULL REFERENCES ballot_serial(serial),
            round_id INTEGER NOT NULL REFERENCES round(id),
            marks_json TEXT NOT NULL,
            write_ins_json TEXT NOT NULL DEFAULT '[]',
            invalid INTEGER NOT NULL DEFAULT 0,
            invalid_reason TEXT NOT NULL DEFAULT '',
            submitted_by INTEGER REFERENCES app_user(id),
            submitted_at TEXT NOT NULL,
            outcome TEXT NOT NULL
        );
        CREATE INDEX ballot_submission_serial ON ballot_submission(serial);
        CREATE TABLE app_user (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL UNIQUE,
            display_name TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            role TEXT NOT NULL
                CHECK (role IN ('admin', 'chief_scrutineer', 'scrutineer', 'teller')),
            active INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL
        );
        -- Scrutineers and tellers approved by the meeting for a contest (R12).
        CREATE TABLE contest_official (
            id INTEGER PRIMARY KEY,
            contest_id INTEGER NOT NULL REFERENCES contest(id),
            name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('chief_scrutineer', 'scrutineer', 'teller')),
            user_id INTEGER REFERENCES app_user(id)
        );
        CREATE TABLE signature (
            id INTEGER PRIMARY KEY,
            round_id INTEGER NOT NULL REFERENCES round(id),
            name TEXT NOT NULL,
            role TEXT NOT NULL,
            signed_at TEXT NOT NULL
        );
        -- Append-only, hash-chained log of every state change.
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            subject TEXT NOT NULL DEFAULT '',
            detail_json TEXT NOT NULL DEFAULT '{}',
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        """
    )


def migrate(db: Database) -> None:
    """Bring the database to the current schema (idempotent)."""
    migrations.apply(db)


def schema_version(db: Database) -> int:
    """How many migrations this database has applied."""
    return len(migrations.applied(db))


@migrations()
def m400_counting_tally(db: Database) -> None:
    """The live tally of each round, kept in step with its ballots in the same write
    transaction (app/counting); `version` grows on every change so a board can poll it.
    `client_id` on a submission lets a tablet resend a queued ballot harmlessly."""
    db.executescript(
        """
        CREATE TABLE round_tally (
            round_id INTEGER PRIMARY KEY REFERENCES round(id),
            tally_json TEXT NOT NULL,
            version INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL
        );
        ALTER TABLE ballot_submission ADD COLUMN client_id TEXT;
        ALTER TABLE ballot_submission ADD COLUMN reason TEXT NOT NULL DEFAULT '';
        CREATE UNIQUE INDEX ballot_submission_client ON ballot_submission(client_id)
            WHERE client_id IS NOT NULL;
        CREATE INDEX ballot_submission_round ON ballot_submission(round_id, submitted_by);
        """
    )


@migrations()
def m500_results_seal(db: Database) -> None:
    """A sealed round can never change again (issue 6), enforced by the database itself:
    triggers abort any insert, update or delete that touches a sealed round's ballots,
    submissions, serials, slate, signatures or live tally, any update of the sealed round
    row, and any change to a candidate or contest a sealed round was counted with.
    `contest_motion` records what the congress decided after a shortfall (R6)."""
    abort = SEALED_ABORT
    script = sealed_round_triggers("ballot", "ballot_submission", "ballot_serial", "round_candidate",
                                   "signature", "round_tally")
    in_sealed_round = ("EXISTS (SELECT 1 FROM round_candidate rc JOIN round r ON r.id = rc.round_id"
                       " WHERE rc.candidate_id = OLD.id AND r.state = 'sealed')")
    contest_sealed = "EXISTS (SELECT 1 FROM round WHERE contest_id = OLD.id AND state = 'sealed')"
    script += [
        f"CREATE TRIGGER round_sealed_update BEFORE UPDATE ON round WHEN OLD.state = 'sealed' {abort}",
        f"CREATE TRIGGER round_sealed_delete BEFORE DELETE ON round WHEN OLD.state = 'sealed' {abort}",
        f"CREATE TRIGGER candidate_sealed_update BEFORE UPDATE ON candidate WHEN {in_sealed_round} {abort}",
        f"CREATE TRIGGER candidate_sealed_delete BEFORE DELETE ON candidate WHEN {in_sealed_round} {abort}",
        f"CREATE TRIGGER contest_sealed_update BEFORE UPDATE ON contest WHEN {contest_sealed} AND ("
        " NEW.title IS NOT OLD.title OR NEW.office IS NOT OLD.office OR NEW.method IS NOT OLD.method"
        " OR NEW.seats IS NOT OLD.seats OR NEW.rules_json IS NOT OLD.rules_json"
        f" OR NEW.congress_id IS NOT OLD.congress_id) {abort}",
        f"CREATE TRIGGER contest_sealed_delete BEFORE DELETE ON contest WHEN {contest_sealed} {abort}",
        """CREATE TABLE contest_motion (
            id INTEGER PRIMARY KEY,
            contest_id INTEGER NOT NULL REFERENCES contest(id),
            round_id INTEGER NOT NULL REFERENCES round(id),
            kind TEXT NOT NULL CHECK (kind IN ('reduce_seats', 'vacant')),
            seats_before INTEGER NOT NULL,
            seats_after INTEGER NOT NULL,
            text TEXT NOT NULL DEFAULT '',
            recorded_at TEXT NOT NULL,
            UNIQUE (round_id)
        );""",
    ]
    db.executescript("\n".join(script))


@migrations()
def m100_ballots_issuance(db: Database) -> None:
    """Ballot issuance accounting (app/ballots/issue.py). `ballot_batch`: one row per print
    run, with the digest of the layout it was printed from. `ballot_issuance`: per round, the
    spare ballots voided by count (not by scanning each one), and whether I was entered by
    hand (else round.ballots_issued follows printed − voided). No column names a person (R10)."""
    db.executescript(
        """
        CREATE TABLE ballot_batch (
            round_id INTEGER NOT NULL REFERENCES round(id),
            batch INTEGER NOT NULL,
            printed INTEGER NOT NULL CHECK (printed >= 1),
            layout_sha256 TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (round_id, batch)
        );
        CREATE TABLE ballot_issuance (
            round_id INTEGER PRIMARY KEY REFERENCES round(id),
            voided_by_count INTEGER NOT NULL DEFAULT 0 CHECK (voided_by_count >= 0),
            issued_entered INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL
        );
        """
    )


@migrations()
def m600_security_enrollment(db: Database) -> None:
    """One-time tablet enrollment tokens (only their SHA-256 is kept), and per user the
    moment before which sessions no longer count (set by a password reset or a
    deactivation, checked before every request)."""
    db.executescript(
        """
        CREATE TABLE enrollment_token (
            id INTEGER PRIMARY KEY,
            token_hash TEXT NOT NULL UNIQUE,
            user_id INTEGER NOT NULL REFERENCES app_user(id),
            created_by INTEGER REFERENCES app_user(id),
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            spent_at TEXT
        );
        ALTER TABLE app_user ADD COLUMN sessions_valid_after TEXT;
        """
    )


@migrations()
def m401_counting_photo(db: Database) -> None:
    """The photo a tablet took of a ballot, kept for the scrutineers (conflicts, unsure and
    invalid ballots). A photo shows the sheet, never who filled it in (R10). Like the rest
    of a sealed round, its photos can no longer change."""
    db.executescript(
        """
        CREATE TABLE ballot_photo (
            id INTEGER PRIMARY KEY,
            serial TEXT NOT NULL REFERENCES ballot_serial(serial),
            round_id INTEGER NOT NULL REFERENCES round(id),
            client_id TEXT NOT NULL UNIQUE,
            content_type TEXT NOT NULL,
            image BLOB NOT NULL,
            uploaded_by INTEGER REFERENCES app_user(id),
            uploaded_at TEXT NOT NULL
        );
        CREATE INDEX ballot_photo_serial ON ballot_photo(serial);
        CREATE TRIGGER ballot_photo_sealed_insert BEFORE INSERT ON ballot_photo
            WHEN (SELECT state FROM round WHERE id = NEW.round_id) = 'sealed'
            BEGIN SELECT RAISE(ABORT, 'round is sealed'); END;
        CREATE TRIGGER ballot_photo_no_update BEFORE UPDATE ON ballot_photo
            BEGIN SELECT RAISE(ABORT, 'ballot photos are kept as taken'); END;
        CREATE TRIGGER ballot_photo_sealed_delete BEFORE DELETE ON ballot_photo
            WHEN (SELECT state FROM round WHERE id = OLD.round_id) = 'sealed'
            BEGIN SELECT RAISE(ABORT, 'round is sealed'); END;
        """
    )


@migrations()
def m501_results_seal_issuance(db: Database) -> None:
    """The issuance accounting of a sealed round (print batches, spares voided by count, I
    entered by hand) is as frozen as its ballots; a decision recorded after a shortfall
    (contest_motion, R6) is never altered or removed."""
    script = sealed_round_triggers("ballot_batch", "ballot_issuance")
    script += [
        "CREATE TRIGGER contest_motion_no_update BEFORE UPDATE ON contest_motion"
        " BEGIN SELECT RAISE(ABORT, 'contest_motion is append-only'); END;",
        "CREATE TRIGGER contest_motion_no_delete BEFORE DELETE ON contest_motion"
        " BEGIN SELECT RAISE(ABORT, 'contest_motion is append-only'); END;",
    ]
    db.executescript("\n".join(script))


@migrations()
def m402_counting_teller_count(db: Database) -> None:
    """Each teller's running count per round, kept as a number beside the submissions so
    that recording a ballot never counts a teller's whole history again (that made the
    10,000th ballot cost five times the first)."""
    db.executescript(
        """
        CREATE TABLE teller_count (
            round_id INTEGER NOT NULL REFERENCES round(id),
            user_key INTEGER NOT NULL,  -- app_user.id, or 0 for work done by no account
            ballots INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (round_id, user_key)
        );
        INSERT INTO teller_count (round_id, user_key, ballots)
            SELECT round_id, coalesce(submitted_by, 0), count(DISTINCT serial)
            FROM ballot_submission WHERE outcome != 'decided'
            GROUP BY round_id, coalesce(submitted_by, 0);
        CREATE INDEX ballot_submission_serial_by ON ballot_submission(serial, submitted_by);
        CREATE TRIGGER teller_count_sealed BEFORE UPDATE ON teller_count
            WHEN (SELECT state FROM round WHERE id = OLD.round_id) = 'sealed'
            BEGIN SELECT RAISE(ABORT, 'round is sealed'); END;
        """
    )


@migrations()
def m700_law_plenary(db: Database) -> None:
    """R13: the new committee's (or funds-audit committee's) first plenary is a body of its
    own that reuses the congress machinery: a `congress` row with a parent (the congress
    that elected it), the kind of body, and the sealed contest whose elected members are
    its roster. Each contest has at most one first plenary. `leaders_elected_by` is the
    congress's setting whether 主席/副主席 are elected by the congress itself or by the
    committee's plenary (章程 Art.27)."""
    db.executescript(
        """
        ALTER TABLE congress ADD COLUMN parent_id INTEGER REFERENCES congress(id);
        ALTER TABLE congress ADD COLUMN body TEXT NOT NULL DEFAULT 'congress'
            CHECK (body IN ('congress', 'committee_plenary', 'audit_plenary'));
        ALTER TABLE congress ADD COLUMN source_contest_id INTEGER REFERENCES contest(id);
        ALTER TABLE congress ADD COLUMN leaders_elected_by TEXT NOT NULL DEFAULT 'congress'
            CHECK (leaders_elected_by IN ('congress', 'plenary'));
        CREATE INDEX congress_parent ON congress(parent_id);
        CREATE UNIQUE INDEX congress_source_contest ON congress(source_contest_id)
            WHERE source_contest_id IS NOT NULL;
        """
    )


@migrations()
def m900_batch_staging(db: Database) -> None:
    """Batch reading of scanned stacks (issue 13): a batch per uploaded file and one staged
    reading per page. Nothing here counts: a page reaches `ballot` only when a teller
    confirms it, through the same recording as a tablet (app/counting/record.py)."""
    db.executescript(
        """
        CREATE TABLE scan_batch (
            id INTEGER PRIMARY KEY,
            round_id INTEGER NOT NULL REFERENCES round(id),
            source_name TEXT NOT NULL DEFAULT '',
            state TEXT NOT NULL DEFAULT 'reading'
                CHECK (state IN ('reading', 'ready', 'failed')),
            pages INTEGER NOT NULL DEFAULT 0,      -- pages in the file (known once opened)
            done INTEGER NOT NULL DEFAULT 0,       -- pages read so far
            error_code TEXT,
            seconds REAL,
            created_by INTEGER REFERENCES app_user(id),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX scan_batch_round ON scan_batch(round_id);
        -- One staged page. `refused` is a reason code (not_a_ballot, blank_page, ...);
        -- `needs_person` is 1 when a row is unsure or a write-in needs its name typed.
        CREATE TABLE scan_page (
            batch_id INTEGER NOT NULL REFERENCES scan_batch(id),
            page INTEGER NOT NULL,
            serial TEXT,
            refused TEXT,
            marks_json TEXT NOT NULL DEFAULT '{}',
            write_ins_json TEXT NOT NULL DEFAULT '[]',
            review_json TEXT NOT NULL DEFAULT '[]',
            needs_person INTEGER NOT NULL DEFAULT 0,
            unsure_rows INTEGER NOT NULL DEFAULT 0,
            state TEXT NOT NULL DEFAULT 'staged' CHECK (state IN ('staged', 'recorded')),
            outcome TEXT,
            confirmed_by INTEGER REFERENCES app_user(id),
            confirmed_at TEXT,
            PRIMARY KEY (batch_id, page)
        );
        CREATE INDEX scan_page_serial ON scan_page(serial);
        -- The page as the reviewer sees it: a small JPEG with the reading drawn over it.
        CREATE TABLE scan_page_image (
            batch_id INTEGER NOT NULL REFERENCES scan_batch(id),
            page INTEGER NOT NULL,
            jpeg BLOB NOT NULL,
            PRIMARY KEY (batch_id, page)
        );
        """
    )


@migrations()
def m1300_board_congress_place(db: Database) -> None:
    """Where the congress meets and who issues its announcements (issue 11): printed on
    the count report (地点) and the announcement of the elected (发布机关); and whether
    its ballots carry an area for the union's stamp (盖章)."""
    db.execute("ALTER TABLE congress ADD COLUMN place TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE congress ADD COLUMN issuing_body TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE congress ADD COLUMN ballot_stamp INTEGER NOT NULL DEFAULT 0")


@migrations()
def m1200_day_congress_archive_and_official_person(db: Database) -> None:
    """A congress can be archived (kept, read-only in spirit, out of the default choice),
    and an official (R12) is a person of the roster: `person_id` names them."""
    db.executescript(
        """
        ALTER TABLE congress ADD COLUMN archived_at TEXT;
        ALTER TABLE contest_official ADD COLUMN person_id INTEGER REFERENCES person(id);
        """
    )


@migrations()
def m1100_teller_first_count_and_flags(db: Database) -> None:
    """Issue 12. A teller's running count is the ballots they recorded first (duplicates
    and conflicts no longer add to it): recounted for rounds still open. And a teller who
    confirmed a wrong reading flags the ballot for the scrutineers (`teller_flag`); the
    recorded reading is never overwritten by the teller."""
    db.executescript(
        """
        DELETE FROM teller_count WHERE round_id IN (SELECT id FROM round WHERE state != 'sealed');
        INSERT INTO teller_count (round_id, user_key, ballots)
            SELECT b.round_id, coalesce(b.recorded_by, 0), count(*) FROM ballot b
            JOIN round r ON r.id = b.round_id WHERE r.state != 'sealed'
            GROUP BY b.round_id, coalesce(b.recorded_by, 0);
        CREATE TABLE teller_flag (
            id INTEGER PRIMARY KEY,
            round_id INTEGER NOT NULL REFERENCES round(id),
            serial TEXT NOT NULL REFERENCES ballot_serial(serial),
            flagged_by INTEGER REFERENCES app_user(id),
            note TEXT NOT NULL DEFAULT '',
            flagged_at TEXT NOT NULL
        );
        CREATE INDEX teller_flag_round ON teller_flag(round_id, serial);
        """
    )
    db.executescript("\n".join(sealed_round_triggers("teller_flag")))


@migrations()
def m800_security_sessions(db: Database) -> None:
    """Server-side sessions: the cookie holds a random token, the database its SHA-256 and
    whose it is. Signing out, a password reset and a deactivation delete the rows, so a
    cookie captured before stops working at once; the role is read from app_user on every
    request, never from the cookie."""
    db.executescript(
        """
        CREATE TABLE user_session (
            id INTEGER PRIMARY KEY,
            token_hash TEXT NOT NULL UNIQUE,
            user_id INTEGER NOT NULL REFERENCES app_user(id),
            created_at TEXT NOT NULL
        );
        CREATE INDEX user_session_user ON user_session(user_id);
        """
    )


@migrations()
def m1400_security_issued_over_present(db: Database) -> None:
    """Issued ballots above those present (I > P, issue 16): refused unless the secretariat
    or the chief scrutineer acknowledges it with a reason in words. One acknowledgement per
    round, covering I up to `issued` with P = `present`; frozen once the round is sealed."""
    db.executescript(
        """
        CREATE TABLE issued_over_present (
            round_id INTEGER PRIMARY KEY REFERENCES round(id),
            issued INTEGER NOT NULL,
            present INTEGER NOT NULL,
            reason TEXT NOT NULL,
            acknowledged_by TEXT NOT NULL,
            acknowledged_at TEXT NOT NULL
        );
        """
    )
    db.executescript("\n".join(sealed_round_triggers("issued_over_present")))


@migrations()
def m1401_security_seal_entry_index(db: Database) -> None:
    """The board shows each sealed round's audit head (its seal entry) on every refresh:
    find that entry without reading the whole log."""
    db.execute("CREATE INDEX audit_log_seal ON audit_log(subject) WHERE action = 'round.seal'")
