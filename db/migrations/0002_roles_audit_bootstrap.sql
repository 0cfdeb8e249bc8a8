-- Role bindings, the audit log, and the one-time bootstrap marker.

CREATE TABLE role_bindings (
  member_uid uuid NOT NULL REFERENCES accounts (uid) ON DELETE CASCADE,
  role       text NOT NULL
             CHECK (role IN ('admin', 'account_admin', 'key_admin', 'viewer')),
  -- NULL: global scope; otherwise the one account the role covers.
  scope_uid  uuid REFERENCES accounts (uid) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- admin is global only.
  CHECK (role <> 'admin' OR scope_uid IS NULL),
  UNIQUE NULLS NOT DISTINCT (member_uid, role, scope_uid)
);

CREATE INDEX role_bindings_scope_uid ON role_bindings (scope_uid);

CREATE FUNCTION signet_notify_binding_change() RETURNS trigger AS $$
DECLARE
  row role_bindings;
  member text;
BEGIN
  row := COALESCE(NEW, OLD);
  SELECT email INTO member FROM accounts WHERE uid = row.member_uid;
  PERFORM pg_notify('signet_changes',
                    'binding_' || lower(TG_OP) || ' ' || COALESCE(member, '-'));
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER role_bindings_notify
  AFTER INSERT OR UPDATE OR DELETE ON role_bindings
  FOR EACH ROW EXECUTE FUNCTION signet_notify_binding_change();

-- Every admin call: who, what, on which resource, the outcome, when. A
-- change and its event commit in one transaction.
CREATE TABLE audit_events (
  id       bigserial PRIMARY KEY,
  at       timestamptz NOT NULL DEFAULT now(),
  actor    text NOT NULL,
  method   text NOT NULL,
  resource text NOT NULL,
  outcome  text NOT NULL,
  detail   text NOT NULL DEFAULT ''
);

-- One row, written by the bootstrap in the transaction that creates the
-- first admin; its primary key makes a second bootstrap fail, even a
-- concurrent one.
CREATE TABLE bootstrap (
  id          integer PRIMARY KEY CHECK (id = 1),
  account_uid uuid NOT NULL,
  at          timestamptz NOT NULL DEFAULT now()
);
