-- Personal data as the API shows it (PIPL): per member, the ciphertexts of national id and phone
-- from MembershipApplied / MemberImported (never plaintext: the events hold none), and the
-- erasure. A read model like any other (rebuilt from the log); the keys stay in pii_keys.
CREATE TABLE rm_member_personal_data (
  tenant_id     text   NOT NULL,
  member_id     text   NOT NULL,
  key_id        text,
  national_id   jsonb,           -- ProtectedValue {ciphertext, keyId, masked?}; NULL once erased
  phone         jsonb,
  erased_on     date,            -- PersonalDataErased: the ciphertexts are dropped here too
  last_position bigint NOT NULL,
  PRIMARY KEY (tenant_id, member_id)
);

ALTER TABLE rm_member_personal_data ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON rm_member_personal_data
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
-- TRUNCATE is how a rebuild empties a read model (RLS does not apply to it)
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON rm_member_personal_data TO union_app_rw;
