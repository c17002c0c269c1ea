-- Business hours and automatic messages (R3.4), per site. `hours`: the calendar as the admin
-- saved it (JSON of core's `HoursSpec`); NULL while never saved, which is open around the
-- clock. `auto_messages`: every kind's switch and text (JSON of core's specs by kind); NULL
-- while never saved, which is every kind's default.
ALTER TABLE sites ADD COLUMN hours TEXT;
ALTER TABLE sites ADD COLUMN auto_messages TEXT;
