-- Auto-close (R3.5). `sites.auto_close`: the site's rules as the admin saved them (JSON of
-- core's `AutoCloseSettings`); NULL while never saved, which is the default (customer idle
-- after 30 minutes, no agent-idle rule, no warning). `consultations.hold`: an agent's hold on
-- a consultation, which exempts it from auto-close until it ends.
ALTER TABLE sites ADD COLUMN auto_close TEXT;
ALTER TABLE consultations ADD COLUMN hold BIGINT NOT NULL DEFAULT 0;
-- Timers are jobs keyed by what they belong to: setting one again (or cancelling it) while it
-- runs bumps its generation, and the run that ends finds its generation changed and leaves
-- the job pending at its new due time instead of finishing it.
ALTER TABLE jobs ADD COLUMN generation BIGINT NOT NULL DEFAULT 0;
