-- Staff accounts of a point (issue 12): operators and supervisors who sign in at the point's stations.
-- Only the scrypt hash of a password is stored; stations download the point's accounts (hashes only).

CREATE TABLE staff_accounts (
  point_code text NOT NULL REFERENCES points (code),
  id text NOT NULL CHECK (id ~ '^[0-9A-Za-z_-]{2,32}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  role text NOT NULL CHECK (role IN ('operator', 'supervisor')),
  password_hash text NOT NULL CHECK (password_hash ~ '^scrypt\$[0-9]+\$[0-9]+\$[0-9]+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$'),
  disabled boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (point_code, id)
);
