### The admin's parameter management page (/admin/parameters), its script (assets/admin.js),
### and the page an admin page shows to someone who is not the site's admin.

admin-title = Parameter management
# Where the page is; $site is the site's name.
admin-crumb = { $site } · Settings › Advanced
admin-lead = Match the arrival information a consultation needs to what agents see.
admin-intro = Parameters are variables appended to a chat URL. They arrive with the customer who clicks a chat button and show in the chat's customer panel. Installing them takes a developer.
admin-toc = Sections of this page
admin-toc-urls = Chat URLs
admin-save = Save

## Fixed parameters.

admin-fixed-title = Fixed parameters
admin-fixed-intro = Fixed parameter names land in the profile's basic information and the room's information. A later value replaces an earlier one; an empty value never erases one. Append fixed parameters yourself after copying a chat URL.
admin-fixed-table = Fixed parameter table
admin-col-group = Group
admin-col-variable = Variable
admin-col-name = Name
admin-col-type = Type
admin-col-length = Length
admin-col-input = Input
admin-col-example = Example
admin-col-meaning = Meaning
admin-input-yes = Yes
admin-input-no = No (output only)
admin-group-customer = Customer
admin-group-room = Room
admin-group-verification = Verification

# One message per fixed parameter: its name; .meaning, and .example where the sample is words.
admin-fixed-site_uid = Member ID
    .meaning = Identifies the member (login ID, member number…). Every channel's consultations with the same ID share one profile. Send it empty when there is no ID (undefined and the like are ignored).
admin-fixed-cus_extra_username = Customer name
    .example = Hong Gildong
    .meaning = The profile's name
admin-fixed-cus_extra_phone = Customer phone
    .meaning = The profile's phone (editable), never the verified mobile.
admin-fixed-cus_extra_email = Customer e-mail
    .meaning = The profile's e-mail
# $max is the length a custom parameter keeps.
admin-fixed-user_parameter = User variable
    .meaning = Free use by integrators (for values longer than { $max } characters)
admin-fixed-category_id = Category ID
    .meaning = Id of the consultation category (web chat v2: categoryID)
admin-fixed-division_id = Division ID
    .meaning = Id of the division (web chat v2: divisionID)
admin-fixed-category_name = Category name
    .example = Product questions
    .meaning = Category name; output only (title messages, reports)
admin-fixed-division_name = Division name
    .example = General
    .meaning = Division name; output only (title messages, reports)
admin-fixed-bot_start = Start with the chatbot
    .meaning = true starts the consultation with the chatbot instead of an agent (Kakao: &bot_start=true)
admin-fixed-site_uid_hash = ID signature
    .type = String (hex)
    .meaning = Lowercase hex HMAC-SHA256 of site_uid under the site secret, computed by your server; a match marks the ID verified.

admin-channels-title = How each channel writes them
admin-channels-intro = Separate several parameters with & on KakaoTalk, with commas after params= on web chat v2, and with | on Naver TalkTalk. Percent-encode Korean values.
# The stand-ins for each channel's chat URL in the examples.
admin-example-kakao = KakaoChatURL
admin-example-webchat_v2 = WebchatV2URL
admin-example-naver = NaverTalkURL
admin-example-webchat_v1 = WebchatV1URL
# The placeholders of the example URLs (an integrator replaces them with the customer's values).
admin-example-uid = customerID
admin-example-name = customerName
admin-example-phone = phone
admin-no-id-note = Send site_uid empty for customers without an ID. Stand-ins such as undefined are treated as 'no ID', so anonymous customers are never merged into one.

## Custom parameters.

admin-custom-title = Custom parameters
# $slots is how many custom slots there are; $max the length a value keeps.
admin-custom-intro = Values the fixed parameters do not cover go into parameter1 to parameter{ $slots }. Enable a slot and describe it: the description labels it for agents and reports, and it is appended to the chat URLs. Values keep { $max } characters (use user_parameter for longer ones).
admin-col-enabled = Enabled
admin-col-description = Description
admin-slot-enabled = enabled
admin-slot-description = description
admin-slot-placeholder = e.g. campaign
admin-save-custom = custom parameters

## Chat URLs and the button source.

admin-urls-title = Copy chat URLs
admin-urls-intro = The enabled custom parameters are already appended as placeholders: replace each {"{"}…{"}"} with the customer's value. Append fixed parameters yourself after copying.
admin-copy = Copy
admin-channel-kakao = KakaoTalk channel
admin-channel-webchat_v1 = Web chat v1
admin-channel-webchat_v2 = Web chat v2
admin-channel-naver = Naver TalkTalk
admin-url-hint-kakao-missing = Save your KakaoTalk channel chat URL under 'Channel addresses' below to get this URL.
admin-url-hint-naver-missing = Save your Naver TalkTalk URL under 'Channel addresses' below to get this URL.
admin-url-hint-kakao = Parameters are separated by &, e.g. &site_uid={"{"}customerID{"}"}
admin-url-hint-webchat_v1 = To pass an ID, change it to is_login=Y&uid={"{"}customerID{"}"}; without one keep is_login=N&uid= as it is.
admin-url-hint-webchat_v2 = Parameters go after params=, separated by commas, e.g. site_uid=('customerID')
admin-url-hint-naver = Parameters are separated by |, e.g. |site_uid={"{"}customerID{"}"}
admin-snippet-title = Web chat v2 chat button source
admin-snippet-help = Paste it before </body>. Remove the // before each parameter you use and fill in its value; every line ends with a comma.
# The comments inside the chat button source (what the integrator reads while pasting it).
snippet-comment-heading = Sangdam chat button (web chat v2)
snippet-comment-fixed = Fixed for your hosted mall: do not edit or remove these lines.
snippet-comment-do-not-edit = do not edit
snippet-comment-optional = Remove // before a parameter to use it, and fill in its value.
admin-copy-source = Copy source
admin-frames-title = Sites that may show the chat window
admin-frames-help = The chat button opens the chat window in a frame on your site's pages, and browsers show it there only for the sites listed here (Sangdam's own pages always may). One per line: http:// or https://, the host and the port if it is not the usual one, without a path, e.g. https://shop.example.com. A Korean domain name goes in its xn-- form. Up to { $max-frame-origins } sites.
admin-frames-label = Site addresses (origins)
admin-save-frames = sites that may show the chat window
admin-bases-title = Channel addresses
admin-bases-help = Enter the chat URLs KakaoTalk and Naver TalkTalk gave you; Sangdam makes the web chat URLs itself.
admin-kakao-base = KakaoTalk channel chat URL
admin-naver-base = Naver TalkTalk URL
admin-save-bases = channel addresses

## Messenger webhooks and their channel keys.

admin-webhooks-title = Messenger webhooks
admin-webhooks-intro = Paste these addresses as the skill URL in Kakao i Open Builder and as the webhook URL in Naver TalkTalk's partner center. A request without the key at the end (the channel key), or with a wrong one, is refused (401): nothing is stored or handed out. Rotate a key that has leaked.
admin-webhooks-reveal = Show addresses
admin-webhooks-hide = Hide
admin-webhook-kakao = Kakao Open Builder skill URL
admin-webhook-kakao-hint = Paste into Open Builder › Skills › skill server URL (or send the key in the X-Sangdam-Channel-Key header).
admin-webhook-naver = Naver TalkTalk webhook URL
admin-webhook-naver-hint = Paste into TalkTalk partner center › developer tools › chatbot API › Webhook URL.
admin-webhook-rotate = Rotate key
admin-webhook-grace = Keep the old key
admin-webhook-grace-none = not at all
admin-webhook-grace-hour = 1 hour
admin-webhook-grace-day = 1 day
admin-webhook-grace-week = 7 days
admin-webhook-previous = The old key is accepted until { $until }.
admin-webhook-rotate-confirm = Rotate the { $platform } channel key? Paste the new address into the platform's settings; the old one is refused once the chosen time has passed.
admin-webhook-rotated = Rotated. Paste the new address into the platform's settings.

## ID verification.

admin-identity-title = ID verification
admin-identity-intro = Anyone can change the site_uid in a chat URL. When your server also sends site_uid_hash (lowercase hex HMAC-SHA256 of site_uid under the site secret) the ID shows as verified. A customer whose ID is unverified never sees earlier consultations.
admin-secret-title = Site secret
admin-secret-hidden = hidden
admin-secret-reveal = Reveal
admin-secret-hide = Hide
admin-secret-rotate = Rotate
admin-secret-help = Keep it on your server only. After a rotation, hashes made with the old secret stop verifying at once.
admin-secret-rotate-confirm = Rotate the site secret? site_uid_hash values made with the old secret stop verifying at once; your server must switch to the new one.
admin-require-verified = Require a verified ID
admin-require-verified-help = On: a site_uid without a matching site_uid_hash is not used (not linked to a profile; reported). Off: it is linked and shown to agents as unverified.
admin-sentinels = Values meaning 'no ID'
admin-sentinels-help = A site_uid equal to one of these counts as no ID (case-insensitive). One per line or comma-separated; up to { $max-sentinels } values of up to { $max-sentinel-chars } characters.
admin-save-identity = ID verification
admin-hash-title = Compute site_uid_hash (for testing)
admin-hash-compute = Compute
admin-hash-help = Computed with the current site secret, over the ID exactly as typed (spaces included).

## Consultation-info URL.

admin-template-title = Consultation-info URL
admin-template-intro = The link agents open from a room (e.g. your CRM's member page). Variables are written in brackets; their values are percent-encoded.
admin-template-label = Consultation-info URL template
admin-template-help = Save it empty to show no link. The variables you can use are listed below.
admin-vars-title = Variables
admin-save-template = consultation-info URL

## Said by the script.

admin-status-saved = Saved.
admin-status-saving = Saving…
admin-status-not-saved = Not saved. Correct the fields marked below.
# $reason is the server's answer.
admin-status-failed = The request failed: { $reason }
admin-status-login-again = Your session has ended. Log in again.
admin-status-not-allowed = Only the site's admin can change this.
admin-status-copied = Copied.
admin-status-selected = Selected. Press Ctrl+C (⌘C) to copy.
admin-status-nothing-to-copy = Nothing to copy yet.
admin-status-rotated = A new secret was issued. Hashes made with the old one no longer verify.
# Before the hash the helper computed; $uid is the site_uid it was computed for.
admin-status-hash-for = { $uid } → site_uid_hash:

## Beside a refused field, by the error's code; $values names what was refused.

admin-err-description_required = An enabled parameter needs a description.
admin-err-description_too_long = A description has at most { $max-description } characters.
admin-err-invalid_description = The description contains a character that is not allowed.
admin-err-sentinel_too_long = Each value has at most { $max-sentinel-chars } characters: { $values }
admin-err-too_many_sentinels = At most { $max-sentinels } values.
admin-err-invalid_sentinel = A value contains a character that is not allowed.
admin-err-unknown_template_variable = Unknown variable: { $values }
admin-err-template_not_http = It must start with http:// or https://.
admin-err-template_variable_in_host = Variables may appear only in the path, query and fragment; the host must be fixed.
admin-err-template_too_long = At most { $max-url } characters.
admin-err-invalid_template = It contains a character that is not allowed.
admin-err-invalid_url = Enter an http:// or https:// address without spaces.
admin-err-url_too_long = At most { $max-url } characters.
admin-err-invalid_frame_origin = Not a site address: { $values }. Write http:// or https:// and the host (and port) only, e.g. https://shop.example.com.
admin-err-too_many_frame_origins = At most { $max-frame-origins } sites.
admin-err-invalid_site_uid = Enter a site_uid.
admin-err-too_long = A site_uid has at most { $max-site-uid } characters.

## What an admin page says to someone logged in who is not the site's admin.

admin-forbidden-title = Not allowed
admin-forbidden-back = Back to the console
admin-forbidden-parameters = Only the site's admin manages parameters.
