-- Sign-in throttling (issue 14, findings 4 and 1).
--
-- Failures are counted by address block: `ip_key` is an IPv6 address's /64 (a host or a home
-- is commonly given a whole /64), or the IPv4 address (`http::client::throttle_key`). Rows
-- from before this migration keep no key, except IPv4 sign-ins, whose key is their address.
ALTER TABLE audit_log ADD COLUMN ip_key TEXT;
UPDATE audit_log SET ip_key = ip
    WHERE action IN ('sign-in', 'sign-in-failed') AND ip IS NOT NULL AND ip NOT LIKE '%:%';
DROP INDEX audit_log_action_ip;
CREATE INDEX audit_log_action_ip_key ON audit_log (action, ip_key, at);
CREATE INDEX audit_log_action_email_ip_key ON audit_log (action, actor_email, ip_key, at);

-- An administrator's "allow sign-in again": the account's failed sign-ins before this time no
-- longer lock or slow it down.
ALTER TABLE users ADD COLUMN sign_in_unlocked_at TEXT;
