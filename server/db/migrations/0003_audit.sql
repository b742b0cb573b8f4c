-- Audit chains as stations ship them (issue 12): one row per station and seq, the entry as it arrived.
-- Entries whose link is broken are stored too (link_ok = false): they are the evidence of the break.

CREATE TABLE audit_entries (
  station_id uuid NOT NULL REFERENCES stations (id),
  seq integer NOT NULL CHECK (seq >= 1),
  kind text NOT NULL,
  at timestamptz NOT NULL,
  -- The whole entry; its hash is recomputed from the canonical JSON, so jsonb's key order does not matter.
  entry jsonb NOT NULL,
  hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
  prev_hash text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
  -- The entry continued the chain the server held when it arrived.
  link_ok boolean NOT NULL,
  received_at timestamptz NOT NULL,
  PRIMARY KEY (station_id, seq)
);

-- Breaks the server found in a station's chain: at most one row per station, seq and reason.
CREATE TABLE audit_breaks (
  station_id uuid NOT NULL REFERENCES stations (id),
  seq integer NOT NULL CHECK (seq >= 1),
  reason text NOT NULL CHECK (reason IN ('changed', 'removed', 'reordered', 'inserted', 'bad-link', 'malformed', 'conflict')),
  -- English, for admins: hashes or seqs, never entry content.
  detail text CHECK (length(detail) <= 300),
  detected_at timestamptz NOT NULL,
  PRIMARY KEY (station_id, seq, reason)
);
CREATE INDEX audit_breaks_detected_idx ON audit_breaks (detected_at);
