-- Consultation categories (R3.2).
--
-- categories: a site's two-level tree in one table: a category has no parent, a division has
-- its category as parent. Rows are never deleted (consultations point at them); `used` = 0 is
-- a node switched off. `position` orders siblings from 0. `is_default` marks the site's
-- default category (a used category; at most one per site, which the partial index holds).
CREATE TABLE categories (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id     INTEGER NOT NULL REFERENCES sites(id),
    parent_id   INTEGER REFERENCES categories(id),
    name        TEXT    NOT NULL,
    position    INTEGER NOT NULL,
    used        INTEGER NOT NULL DEFAULT 1,
    is_default  INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX categories_site ON categories (site_id, parent_id, position);
CREATE UNIQUE INDEX categories_one_default ON categories (site_id) WHERE is_default = 1;
CREATE UNIQUE INDEX categories_sibling_names ON categories (site_id, COALESCE(parent_id, 0), name);

-- Consultations point at the tree from now on. The ids stored before were an inflow's raw
-- values, which no tree held (they could name a category made later): they are cleared here;
-- every inflow keeps them in its recorded parameters.
UPDATE consultations SET category_id = NULL, division_id = NULL
 WHERE category_id IS NOT NULL OR division_id IS NOT NULL;

-- The free-text sub-label an agent gives a consultation (at most 8 characters).
ALTER TABLE consultations ADD COLUMN sub_label TEXT;

-- Every change of a consultation's classification by an agent: who, when, to what.
CREATE TABLE classifications (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id          INTEGER NOT NULL REFERENCES sites(id),
    consultation_id  INTEGER NOT NULL REFERENCES consultations(id),
    agent_id         INTEGER NOT NULL REFERENCES agents(id),
    category_id      INTEGER REFERENCES categories(id),
    division_id      INTEGER REFERENCES categories(id),
    sub_label        TEXT,
    created_at       INTEGER NOT NULL
);
CREATE INDEX classifications_consultation ON classifications (consultation_id, id);

-- The title message a consultation opens with (`[variables]` of inflow::TitleTemplate);
-- NULL: none.
ALTER TABLE sites ADD COLUMN title_template TEXT;
