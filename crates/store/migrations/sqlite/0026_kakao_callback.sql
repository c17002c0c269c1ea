-- Kakao replies that do not wait (PROTOCOLS §1, `useCallback`): the callback URL of a Kakao
-- user's last request, good for one answer until `expires_at` (`taken_at` once used); how each
-- message to a messenger user went out (`callback`, `event_api`, `next_message`); the event
-- the site's late agent replies go out as; and the agent reply an Event API delivery carries.
CREATE TABLE kakao_callbacks (
    room_id     INTEGER PRIMARY KEY REFERENCES rooms(id),
    url         TEXT NOT NULL,
    expires_at  INTEGER NOT NULL,
    taken_at    INTEGER,
    created_at  INTEGER NOT NULL
);
ALTER TABLE messages ADD COLUMN delivered_via TEXT;
ALTER TABLE event_api_settings ADD COLUMN kakao_reply_event TEXT;
