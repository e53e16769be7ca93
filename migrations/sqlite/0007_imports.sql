-- Excel imports between their upload and their application: the file as uploaded (applying
-- reads it again and checks everything again), what it is meant for, and the dry run shown.
CREATE TABLE imports (
    id INTEGER PRIMARY KEY,
    -- progress (one country's report), bulk (every country of a period), xlsform, responses.
    kind TEXT NOT NULL CHECK (kind IN ('progress', 'bulk', 'xlsform', 'responses')),
    -- What the import writes to, as JSON (country and period, period, or survey).
    scope TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content BLOB NOT NULL,
    -- The dry run as shown (imports::model::Preview, JSON).
    preview TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('checked', 'applying', 'applied', 'discarded', 'failed')),
    -- Rows written so far while applying, out of how many (long imports show progress).
    done INTEGER NOT NULL DEFAULT 0,
    total INTEGER NOT NULL DEFAULT 0,
    -- What applying did or why it failed, in the words shown.
    outcome TEXT,
    -- What applying created, when it creates something (an XLSForm's new survey).
    created_id INTEGER,
    created_by INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    applied_at TEXT
);

CREATE INDEX imports_created_by ON imports (created_by, created_at);
