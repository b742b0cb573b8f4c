-- Province rules bundles (省级配置), issue 13 item 4.

-- The server signs rules bundles with an Ed25519 key kept beside the handoff key (created on first use by
-- server/services/server-keys.ts, never by SQL). Its private key is the 32-byte Ed25519 seed.
ALTER TABLE server_keys DROP CONSTRAINT server_keys_purpose_check;
ALTER TABLE server_keys ADD CONSTRAINT server_keys_purpose_check CHECK (purpose IN ('handoff', 'rules'));

-- Every bundle published for a point, signed for that point. The newest row (highest id) is the point's
-- current bundle; a version is published once per point (the same content again is a no-op, other content is
-- refused), and `builtin-…` versions belong to the stations' built-in default.
CREATE TABLE rules_bundles (
  id bigserial PRIMARY KEY,
  point_code text NOT NULL REFERENCES points (code),
  version text NOT NULL CHECK (version ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$' AND version NOT LIKE 'builtin-%'),
  bundle jsonb NOT NULL,
  -- SHA-256 of the canonical JSON of the bundle: "same content" means equal hashes.
  bundle_sha256 text NOT NULL CHECK (bundle_sha256 ~ '^[0-9a-f]{64}$'),
  key_id text NOT NULL REFERENCES server_keys (id),
  signature bytea NOT NULL CHECK (octet_length(signature) = 64),
  published_at timestamptz NOT NULL,
  UNIQUE (point_code, version)
);
CREATE INDEX rules_bundles_point_idx ON rules_bundles (point_code, id DESC);
