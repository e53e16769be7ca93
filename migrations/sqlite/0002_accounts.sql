-- Accounts, roles, single-use links and the audit log.

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL CHECK (role IN ('admin', 'focal-point', 'member', 'viewer')),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    -- NULL until the invitation is accepted.
    password_hash TEXT,
    organisation TEXT,
    member_type TEXT CHECK (member_type IS NULL OR member_type IN ('professional-society', 'patient-organisation', 'research', 'other')),
    member_country TEXT REFERENCES countries (iso2),
    -- Sessions that signed in before this moment are void (deactivation, password reset).
    sessions_valid_after TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX users_email_unique ON users (lower(email));
CREATE INDEX users_role ON users (role);

-- The countries a focal point reports for.
CREATE TABLE user_countries (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    country_iso2 TEXT NOT NULL REFERENCES countries (iso2),
    PRIMARY KEY (user_id, country_iso2)
);
CREATE INDEX user_countries_country ON user_countries (country_iso2);

-- Invitation and password-reset links: only a SHA-256 of the token is kept.
CREATE TABLE user_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('invitation', 'password-reset')),
    token_hash TEXT NOT NULL UNIQUE,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX user_tokens_user ON user_tokens (user_id, purpose);

-- Who did what, when, from where.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor_id INTEGER REFERENCES users (id),
    actor_email TEXT,
    action TEXT NOT NULL,
    subject TEXT,
    details TEXT,
    ip TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_action_email ON audit_log (action, actor_email, at);
CREATE INDEX audit_log_action_ip ON audit_log (action, ip, at);
