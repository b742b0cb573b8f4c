-- Handoff bundles (离线移交) and day closes (日结), issue 12.

-- The server's X25519 key pairs that stations seal handoff bundles to. The first one is created by the server
-- on first use (server/services/server-keys.ts), never by SQL, so the private key never appears in a migration.
-- The private key is stored as raw bytes in the database: whoever can read this table can open bundles. A
-- deployment protects it like the rest of the personal data here (database access limited to the server
-- account, encrypted disks and backups); one that wants more wraps it with a KMS key (see server-keys.ts).
CREATE TABLE server_keys (
  id text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{32}$'),
  purpose text NOT NULL CHECK (purpose IN ('handoff')),
  public_key bytea NOT NULL CHECK (octet_length(public_key) = 32),
  private_key bytea NOT NULL CHECK (octet_length(private_key) = 32),
  created_at timestamptz NOT NULL,
  retired_at timestamptz
);
-- At most one current key per purpose; retired keys stay so that bundles sealed to them still open.
CREATE UNIQUE INDEX server_keys_current_idx ON server_keys (purpose) WHERE retired_at IS NULL;

-- Signed day-close records. The client-generated id makes them idempotent; closing the same day again at the
-- same station is a new record with the next version, and the highest version is the day's close.
CREATE TABLE day_closes (
  id uuid PRIMARY KEY,
  station_id uuid NOT NULL REFERENCES stations (id),
  point_code text NOT NULL REFERENCES points (code),
  day date NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  record jsonb NOT NULL,
  -- SHA-256 of the canonical JSON of the record: "same record" means equal hashes.
  record_sha256 text NOT NULL CHECK (record_sha256 ~ '^[0-9a-f]{64}$'),
  signature bytea NOT NULL CHECK (octet_length(signature) = 64),
  received_via text NOT NULL CHECK (received_via IN ('online', 'bundle')),
  received_at timestamptz NOT NULL,
  UNIQUE (station_id, day, version)
);
CREATE INDEX day_closes_point_day_idx ON day_closes (point_code, day);

-- Every bundle import, by the file's SHA-256 (a file imported twice has two rows and stores its records once).
CREATE TABLE handoff_imports (
  id bigserial PRIMARY KEY,
  file_sha256 text NOT NULL CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
  station_id uuid NOT NULL REFERENCES stations (id),
  day date NOT NULL,
  result jsonb NOT NULL,
  imported_at timestamptz NOT NULL
);
CREATE INDEX handoff_imports_file_idx ON handoff_imports (file_sha256);
