-- Progress reporting: periods, indicators, country reports, their entries and history.

-- An admin may close submissions before the closing date.
ALTER TABLE reporting_periods ADD COLUMN closed_at TEXT;

CREATE TABLE indicators (
    id INTEGER PRIMARY KEY,
    recommendation_number INTEGER NOT NULL REFERENCES recommendations (number),
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('number', 'percentage', 'yes-no', 'text')),
    unit TEXT,
    min_value REAL,
    max_value REAL,
    help TEXT,
    required INTEGER NOT NULL DEFAULT 0 CHECK (required IN (0, 1)),
    archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (recommendation_number, name)
);

-- One report per country per period.
CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    country_iso2 TEXT NOT NULL REFERENCES countries (iso2),
    period_id INTEGER NOT NULL REFERENCES reporting_periods (id),
    state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'returned', 'approved')),
    -- Optimistic concurrency: every save increments it; a save based on an old one is refused.
    version INTEGER NOT NULL DEFAULT 1,
    review_note TEXT,
    copied_from INTEGER REFERENCES reports (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by INTEGER REFERENCES users (id),
    submitted_at TEXT,
    approved_at TEXT,
    UNIQUE (country_iso2, period_id)
);
CREATE INDEX reports_period_state ON reports (period_id, state);

-- One entry per recommendation of a report.
CREATE TABLE report_entries (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    recommendation_number INTEGER NOT NULL REFERENCES recommendations (number),
    status TEXT CHECK (status IS NULL OR status IN ('not-started', 'planned', 'in-progress', 'partially-implemented', 'fully-implemented', 'not-applicable')),
    narrative TEXT NOT NULL DEFAULT '',
    -- One URL per line.
    evidence TEXT NOT NULL DEFAULT '',
    as_of TEXT,
    review_comment TEXT,
    UNIQUE (report_id, recommendation_number)
);

-- Indicator values keep the indicator's name, kind and unit as they were when entered, so
-- later changes to the indicator do not rewrite past reports.
CREATE TABLE indicator_values (
    entry_id INTEGER NOT NULL REFERENCES report_entries (id) ON DELETE CASCADE,
    indicator_id INTEGER NOT NULL REFERENCES indicators (id),
    indicator_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    unit TEXT,
    value TEXT NOT NULL,
    PRIMARY KEY (entry_id, indicator_id)
);

-- Every change to an entry: who, when, field, old -> new, and the report version it made.
CREATE TABLE entry_history (
    id INTEGER PRIMARY KEY,
    entry_id INTEGER NOT NULL REFERENCES report_entries (id) ON DELETE CASCADE,
    report_version INTEGER NOT NULL,
    changed_at TEXT NOT NULL,
    changed_by INTEGER REFERENCES users (id),
    changed_by_name TEXT NOT NULL,
    field TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT
);
CREATE INDEX entry_history_entry ON entry_history (entry_id, id);
