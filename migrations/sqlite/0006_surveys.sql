-- Member surveys: definitions, invitations, drafts (save and resume) and submitted responses.

CREATE TABLE surveys (
    id INTEGER PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed')),
    -- Optional first and last day of answering (YYYY-MM-DD, UTC).
    opens_on TEXT,
    closes_on TEXT,
    -- Anonymous: who answered is known (invitations), answers hold no link to anyone.
    anonymous INTEGER NOT NULL DEFAULT 0 CHECK (anonymous IN (0, 1)),
    -- The open link's token, when the survey has one.
    open_token TEXT UNIQUE,
    one_per_browser INTEGER NOT NULL DEFAULT 0 CHECK (one_per_browser IN (0, 1)),
    -- The questions: a JSON document (surveys::model::Definition).
    definition TEXT NOT NULL,
    -- Optimistic concurrency of the builder.
    version INTEGER NOT NULL DEFAULT 1,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE survey_recommendations (
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    recommendation_number INTEGER NOT NULL REFERENCES recommendations (number),
    PRIMARY KEY (survey_id, recommendation_number)
);

-- One personal link per member per survey.
CREATE TABLE survey_invitations (
    id INTEGER PRIMARY KEY,
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id),
    token TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    -- The day answered (a day, not a time: an anonymous response must not be matched to it).
    answered_on TEXT,
    UNIQUE (survey_id, user_id)
);

-- Answers being given, saved as typed (form field -> values), resumed from the same link.
-- Deleted when the response is submitted.
CREATE TABLE survey_drafts (
    id INTEGER PRIMARY KEY,
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    -- The invitation's token, or for the open link the respondent's own.
    token TEXT NOT NULL UNIQUE,
    invitation_id INTEGER UNIQUE REFERENCES survey_invitations (id) ON DELETE CASCADE,
    language TEXT NOT NULL,
    answers TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Submitted responses. Anonymous ones have no invitation and no user, and the day only.
CREATE TABLE survey_responses (
    id INTEGER PRIMARY KEY,
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    invitation_id INTEGER UNIQUE REFERENCES survey_invitations (id) ON DELETE SET NULL,
    user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    country_iso2 TEXT REFERENCES countries (iso2),
    member_type TEXT,
    language TEXT NOT NULL,
    -- Checked answers: a JSON object, question code -> answer (surveys::model::Answer).
    answers TEXT NOT NULL,
    -- SHA-256 of the receipt the respondent keeps to see their copy.
    receipt_hash TEXT NOT NULL UNIQUE,
    submitted_on TEXT NOT NULL
);
CREATE INDEX survey_responses_survey ON survey_responses (survey_id, id);
