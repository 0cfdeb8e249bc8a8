-- Service accounts and their public keys.
--
-- An account's `uid` is its stable unique id: an account_id may be reused
-- after its account is deleted, but the new account gets a new uid, and keys
-- reference the uid, so no key of the old account can ever authenticate the
-- new one.

CREATE TABLE accounts (
  uid          uuid PRIMARY KEY,
  account_id   text NOT NULL UNIQUE
               CHECK (account_id ~ '^[a-z]([-a-z0-9]*[a-z0-9])?$'
                      AND length(account_id) BETWEEN 6 AND 30),
  email        text NOT NULL UNIQUE,
  display_name text NOT NULL DEFAULT ''
               CHECK (octet_length(display_name) <= 100),
  description  text NOT NULL DEFAULT ''
               CHECK (octet_length(description) <= 256),
  disabled     boolean NOT NULL DEFAULT false,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE keys (
  key_id       text PRIMARY KEY
               CHECK (key_id ~ '^[A-Za-z0-9_-]{22,64}$'),
  account_uid  uuid NOT NULL REFERENCES accounts (uid) ON DELETE CASCADE,
  algorithm    text NOT NULL CHECK (algorithm IN ('RS256', 'ES256', 'EdDSA')),
  -- DER SubjectPublicKeyInfo.
  public_key   bytea NOT NULL,
  -- SHA-256 of public_key: one public key is registered once, to one account.
  fingerprint  bytea NOT NULL UNIQUE CHECK (octet_length(fingerprint) = 32),
  origin       text NOT NULL CHECK (origin IN ('generated', 'uploaded')),
  valid_after  timestamptz,
  valid_before timestamptz,
  disabled     boolean NOT NULL DEFAULT false,
  created_at   timestamptz NOT NULL DEFAULT now(),
  CHECK (valid_after IS NULL OR valid_before IS NULL
         OR valid_after < valid_before)
);

CREATE INDEX keys_account_uid ON keys (account_uid);

-- Every change to an account or a key is announced on the channel
-- `signet_changes` so that verifiers drop what they cached at once. The
-- payload is `<kind> <account email> [<key id>]`, such as
-- `key_update robot-1@signet.internal 0f3a...`; neither holds a space.
CREATE FUNCTION signet_notify_account_change() RETURNS trigger AS $$
DECLARE
  row accounts;
BEGIN
  row := COALESCE(NEW, OLD);
  PERFORM pg_notify('signet_changes',
                    'account_' || lower(TG_OP) || ' ' || row.email);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER accounts_notify
  AFTER INSERT OR UPDATE OR DELETE ON accounts
  FOR EACH ROW EXECUTE FUNCTION signet_notify_account_change();

CREATE FUNCTION signet_notify_key_change() RETURNS trigger AS $$
DECLARE
  row keys;
  owner text;
BEGIN
  row := COALESCE(NEW, OLD);
  SELECT email INTO owner FROM accounts WHERE uid = row.account_uid;
  PERFORM pg_notify('signet_changes',
                    'key_' || lower(TG_OP) || ' ' || COALESCE(owner, '-')
                    || ' ' || row.key_id);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER keys_notify
  AFTER INSERT OR UPDATE OR DELETE ON keys
  FOR EACH ROW EXECUTE FUNCTION signet_notify_key_change();
