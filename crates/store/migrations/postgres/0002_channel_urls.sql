-- The base chat URLs of a site's messenger channels (its Kakao channel chat URL, its Naver
-- TalkTalk URL), as a JSON object {"kakao": "...", "naver": "..."}. Web chat URLs are Sangdam's
-- own and need no base.
ALTER TABLE sites ADD COLUMN channel_urls TEXT NOT NULL DEFAULT '{}';
