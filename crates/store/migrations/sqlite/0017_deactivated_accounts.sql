-- An account the admin deactivated: it cannot log in, its sessions and API tokens are gone,
-- and distribution passes it over. NULL: active. Deactivated accounts stay, so the names on
-- their past consultations, messages and audit entries still resolve; the admin may
-- reactivate one.
ALTER TABLE agents ADD COLUMN deactivated_at BIGINT;
