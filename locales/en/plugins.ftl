### The plugins' and channels' section of the business page (assets/plugins.js).

plugins-title = Plugins and channels
plugins-lead = A plugin is set up on the channel the bot is linked to. Plugins set up on the development channel stop working when it is unlinked.
plugins-development = Development channel ID
plugins-development-help = Save it empty to unlink the development channel.
plugins-operating = Operating channel ID
plugins-app = The Kakao app (as Kakao Developers shows it)
plugins-check-business_verified = Business verified
plugins-check-business_channel_linked = The business channel is linked to the app
plugins-check-personal_info_review = The "personal information items" review passed
plugins-check-sync_terms_review = The "simple sign-up terms" review passed
plugins-check-channels_same_app = Both channels are linked to the same app
plugins-save = Save
plugins-saved = Saved.
# $names: the plugins, comma separated; $reason: why and what to redo.
plugins-stopped = Unlinking the development channel stopped these plugins: { $names }. { $reason }
plugins-col-plugin = Plugin
plugins-col-state = State
plugins-col-checklist = Checklist
plugins-col-actions = Actions
plugins-name-profile = Profile
plugins-name-kakao_sync = Kakao Sync (sign-up)
plugins-name-consultation = Consultation
plugins-name-location = Current location
plugins-state-off = Off
# $channel: the channel in words.
plugins-state-on = Set up ({ $channel })
plugins-state-broken = Stopped
plugins-channel-development = development channel
plugins-channel-operating = operating channel
plugins-met = met
plugins-unmet = missing
plugins-enable = Set up
plugins-reenable = Set up again
plugins-disable = Take off
# $reason is the server's answer, in words.
plugins-failed = Could not do it: { $reason }
plugins-missing = Not set up. First needed: { $check }
plugins-enabled = Set up.
plugins-disabled = Taken off.
plugins-no-channel = Link the bot to its development or operating channel first.
