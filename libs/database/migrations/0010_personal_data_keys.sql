-- Personal data (PIPL): one random AES-256 data key per member, stored only wrapped (AES-256-GCM)
-- by the key-encryption key the application holds (PII_MASTER_KEY), never in the clear. Events
-- carry only ciphertext and the key id. Erasing a member's personal data clears the wrapped key
-- (crypto-shredding): the ciphertext in the event history stays, unreadable forever.
-- Not a read model: a rebuild never truncates it (no TRUNCATE grant), and it is never replayed.
CREATE TABLE pii_keys (
  tenant_id    text        NOT NULL,
  key_id       text        NOT NULL,
  member_id    text        NOT NULL,
  wrapped_key  bytea,                       -- iv(12) | tag(16) | key(32); NULL once erased
  created_at   timestamptz NOT NULL DEFAULT now(),
  erased_at    timestamptz,
  PRIMARY KEY (tenant_id, key_id),
  CONSTRAINT pii_keys_one_per_member UNIQUE (tenant_id, member_id),
  CONSTRAINT pii_keys_erased_means_no_key CHECK ((erased_at IS NULL) = (wrapped_key IS NOT NULL))
);

ALTER TABLE pii_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON pii_keys
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
-- no DELETE and no TRUNCATE: a key is erased by clearing it, which keeps the tombstone
GRANT SELECT, INSERT, UPDATE ON pii_keys TO union_app_rw;
