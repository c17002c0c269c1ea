-- The customer a consultation is reported with: its room's key and its profile's fixed
-- parameters (ID, name, phone, e-mail) as they stand now, kept on the consultation by the
-- triggers below whatever writes the room or the profile. A report row, and a million-row
-- download, then reads the consultation alone: looking up each row's room and profile was
-- two thirds of a download's reading.
ALTER TABLE consultations ADD COLUMN customer_key TEXT;
ALTER TABLE consultations ADD COLUMN customer_site_uid TEXT;
ALTER TABLE consultations ADD COLUMN customer_name TEXT;
ALTER TABLE consultations ADD COLUMN customer_phone TEXT;
ALTER TABLE consultations ADD COLUMN customer_email TEXT;
UPDATE consultations
   SET (customer_key, customer_site_uid, customer_name, customer_phone, customer_email) =
       (SELECT r.customer_key, p.site_uid, p.name, p.phone, p.email
          FROM rooms r JOIN profiles p ON p.id = r.profile_id
         WHERE r.id = consultations.room_id);

-- A new consultation takes its room's customer (unless written with it).
CREATE TRIGGER consultations_customer AFTER INSERT ON consultations
WHEN NEW.customer_key IS NULL
BEGIN
  UPDATE consultations
     SET (customer_key, customer_site_uid, customer_name, customer_phone, customer_email) =
         (SELECT r.customer_key, p.site_uid, p.name, p.phone, p.email
            FROM rooms r JOIN profiles p ON p.id = r.profile_id
           WHERE r.id = NEW.room_id)
   WHERE id = NEW.id;
END;

-- A room linked to another profile (or given another key): its consultations follow.
CREATE TRIGGER rooms_customer AFTER UPDATE OF customer_key, profile_id ON rooms
WHEN NEW.customer_key IS NOT OLD.customer_key OR NEW.profile_id IS NOT OLD.profile_id
BEGIN
  UPDATE consultations
     SET (customer_key, customer_site_uid, customer_name, customer_phone, customer_email) =
         (SELECT NEW.customer_key, p.site_uid, p.name, p.phone, p.email
            FROM profiles p WHERE p.id = NEW.profile_id)
   WHERE room_id = NEW.id;
END;

-- A profile whose fixed parameters change: the consultations of all its rooms follow.
CREATE TRIGGER profiles_customer AFTER UPDATE OF site_uid, name, phone, email ON profiles
WHEN NEW.site_uid IS NOT OLD.site_uid OR NEW.name IS NOT OLD.name
  OR NEW.phone IS NOT OLD.phone OR NEW.email IS NOT OLD.email
BEGIN
  UPDATE consultations
     SET customer_site_uid = NEW.site_uid, customer_name = NEW.name,
         customer_phone = NEW.phone, customer_email = NEW.email
   WHERE room_id IN (SELECT id FROM rooms WHERE profile_id = NEW.id);
END;

-- A site's consultations newest first, by time and then id (SQLite keeps each entry's rowid,
-- the id, after its columns): a report page or a download that filters by nothing but the
-- period reads them in order from this narrow index, instead of from `consultations_figures`
-- (whose other columns come between the time and the id, so rows of the same millisecond had
-- to be sorted).
CREATE INDEX consultations_created ON consultations (site_id, created_at);
