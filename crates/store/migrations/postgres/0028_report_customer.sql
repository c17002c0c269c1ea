-- The customer a consultation is reported with: its room's key and its profile's fixed
-- parameters (ID, name, phone, e-mail) as they stand now, kept on the consultation by the
-- triggers below whatever writes the room or the profile. A report row, and a million-row
-- download, then reads the consultation alone instead of joining it to its room and profile.
ALTER TABLE consultations
  ADD COLUMN customer_key TEXT,
  ADD COLUMN customer_site_uid TEXT,
  ADD COLUMN customer_name TEXT,
  ADD COLUMN customer_phone TEXT,
  ADD COLUMN customer_email TEXT;
UPDATE consultations c
   SET customer_key = r.customer_key, customer_site_uid = p.site_uid, customer_name = p.name,
       customer_phone = p.phone, customer_email = p.email
  FROM rooms r JOIN profiles p ON p.id = r.profile_id
 WHERE r.id = c.room_id;

-- A new consultation takes its room's customer (unless written with it).
CREATE FUNCTION consultations_customer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.customer_key IS NULL THEN
    SELECT r.customer_key, p.site_uid, p.name, p.phone, p.email
      INTO NEW.customer_key, NEW.customer_site_uid, NEW.customer_name, NEW.customer_phone,
           NEW.customer_email
      FROM rooms r JOIN profiles p ON p.id = r.profile_id
     WHERE r.id = NEW.room_id;
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER consultations_customer BEFORE INSERT ON consultations
  FOR EACH ROW EXECUTE FUNCTION consultations_customer();

-- A room linked to another profile (or given another key): its consultations follow.
CREATE FUNCTION rooms_customer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE consultations c
     SET customer_key = NEW.customer_key, customer_site_uid = p.site_uid,
         customer_name = p.name, customer_phone = p.phone, customer_email = p.email
    FROM profiles p
   WHERE p.id = NEW.profile_id AND c.room_id = NEW.id;
  RETURN NULL;
END
$$;
CREATE TRIGGER rooms_customer AFTER UPDATE OF customer_key, profile_id ON rooms
  FOR EACH ROW
  WHEN (NEW.customer_key IS DISTINCT FROM OLD.customer_key
        OR NEW.profile_id IS DISTINCT FROM OLD.profile_id)
  EXECUTE FUNCTION rooms_customer();

-- A profile whose fixed parameters change: the consultations of all its rooms follow.
CREATE FUNCTION profiles_customer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE consultations c
     SET customer_site_uid = NEW.site_uid, customer_name = NEW.name,
         customer_phone = NEW.phone, customer_email = NEW.email
    FROM rooms r
   WHERE r.profile_id = NEW.id AND c.room_id = r.id;
  RETURN NULL;
END
$$;
CREATE TRIGGER profiles_customer AFTER UPDATE OF site_uid, name, phone, email ON profiles
  FOR EACH ROW
  WHEN (NEW.site_uid IS DISTINCT FROM OLD.site_uid OR NEW.name IS DISTINCT FROM OLD.name
        OR NEW.phone IS DISTINCT FROM OLD.phone OR NEW.email IS DISTINCT FROM OLD.email)
  EXECUTE FUNCTION profiles_customer();

-- A site's consultations newest first, by time and then id: a report page or a download that
-- filters by nothing but the period reads them in order from this narrow index, instead of
-- from `consultations_figures` (whose other columns come between the time and the id, so rows
-- of the same millisecond had to be sorted).
CREATE INDEX consultations_created ON consultations (site_id, created_at, id);
