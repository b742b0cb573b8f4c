-- Central server schema, version 1. Plain SQL that PostgreSQL 15+ and PGlite both run unchanged.
-- Times are timestamptz set by the application's clock (injectable in tests), never now().

CREATE TABLE points (
  code text PRIMARY KEY CHECK (code ~ '^[0-9A-Z-]{2,32}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  created_at timestamptz NOT NULL
);

CREATE TABLE stations (
  id uuid PRIMARY KEY,
  point_code text NOT NULL REFERENCES points (code),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  -- Ed25519 public key, the raw 32 bytes.
  public_key bytea NOT NULL CHECK (octet_length(public_key) = 32),
  enrolled_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX stations_point_idx ON stations (point_code);

-- One-time enrollment codes; only the SHA-256 of the normalised code is stored.
CREATE TABLE enrollment_codes (
  code_hash bytea PRIMARY KEY CHECK (octet_length(code_hash) = 32),
  point_code text NOT NULL REFERENCES points (code),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  station_id uuid REFERENCES stations (id),
  CHECK ((used_at IS NULL) = (station_id IS NULL))
);

-- Content-addressed files: roster photos, and photos, fingerprints and signatures uploaded by stations.
CREATE TABLE blobs (
  sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  bytes bytea NOT NULL,
  size integer NOT NULL CHECK (size = octet_length(bytes)),
  mime text NOT NULL,
  created_at timestamptz NOT NULL
);

-- Row versions for roster delta cursors. Writers of a point's roster hold that point's row lock
-- (SELECT … FOR UPDATE on points), so within one point versions become visible in increasing order.
CREATE SEQUENCE roster_row_version AS bigint;

CREATE TABLE roster_entries (
  point_code text NOT NULL REFERENCES points (code),
  citizen_id text NOT NULL CHECK (citizen_id ~ '^[0-9]{17}[0-9X]$'),
  registration_no text NOT NULL,
  name text NOT NULL,
  sex text NOT NULL CHECK (sex IN ('male', 'female')),
  candidate_type text NOT NULL,
  major text NOT NULL,
  exam_city text NOT NULL,
  phone text,
  photo_sha256 text REFERENCES blobs (sha256),
  status text NOT NULL CHECK (status IN ('pending', 'confirmed', 'rejected')),
  row_version bigint NOT NULL DEFAULT nextval('roster_row_version'),
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (point_code, citizen_id)
);
CREATE UNIQUE INDEX roster_entries_delta_idx ON roster_entries (point_code, row_version);

-- Confirmations as uploaded by stations; the client-generated id makes uploads idempotent.
CREATE TABLE confirmations (
  id uuid PRIMARY KEY,
  station_id uuid NOT NULL REFERENCES stations (id),
  point_code text NOT NULL REFERENCES points (code),
  citizen_id text NOT NULL CHECK (citizen_id ~ '^[0-9]{17}[0-9X]$'),
  content jsonb NOT NULL,
  -- SHA-256 of the canonical JSON of citizen id, content and blob list: "same content" means equal hashes.
  content_sha256 text NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
  received_at timestamptz NOT NULL,
  -- The candidate already had a confirmation from another station when this one arrived.
  cross_station_conflict boolean NOT NULL DEFAULT false
);
CREATE INDEX confirmations_citizen_idx ON confirmations (citizen_id);
CREATE INDEX confirmations_point_received_idx ON confirmations (point_code, received_at);

CREATE TABLE confirmation_blobs (
  confirmation_id uuid NOT NULL REFERENCES confirmations (id),
  sha256 text NOT NULL REFERENCES blobs (sha256),
  PRIMARY KEY (confirmation_id, sha256)
);
CREATE INDEX confirmation_blobs_sha256_idx ON confirmation_blobs (sha256);
