# Error codes of the API (`error.code`, and `details.errors[].code` of a settings save), one
# sentence each, for a page or a client to show instead of the code. The answer's own
# `message` says more about the one error.

error-bad_request = The request could not be read.
error-unauthorized = Log in first.
error-forbidden = You are not allowed to do this.
error-forbidden_origin = Requests from another site's page are not accepted. Open Sangdam at its own address and try again.
error-not_found = It does not exist, or it is not yours to see.
error-method_not_allowed = This address does not accept that method.
error-conflict = It has changed in the meantime; reload and try again.
error-payload_too_large = The request is too large.
error-unsupported_media_type = Send the request as JSON.
error-rate_limited = Too many requests; try again in a moment.
error-internal = Something went wrong on the server.
error-upstream_failed = The messenger's server did not accept it.
error-unavailable = The server is busy; try again in a moment.
error-bad_credentials = The login or the password is wrong.
error-invalid_channel = That channel is not possible here.
error-too_long = It is too long.
error-empty_message = The message is empty.
error-invalid_client_msg_id = The message's client id must have 1 to 64 characters.
error-invalid_role = An account is an agent or a manager.
error-invalid_name = A site name has 1 to 100 characters.
error-invalid_site_uid = Enter a site_uid.
error-invalid_settings = The settings were not saved; see each field.
error-invalid_id = That is not a valid id.
error-invalid_key = That customer or visitor key is not valid.
error-channel_mismatch = That user cannot arrive through this channel.
error-invalid_field = A value is not valid.
error-mobile_not_editable = The mobile number is set only by a verification.
error-invalid_transition = The consultation's state does not allow this.
error-invalid_slots = Exactly ten custom slots are expected.
error-description_too_long = The description is too long.
error-invalid_description = The description contains a character that is not allowed.
error-description_required = An enabled slot needs a description.
error-sentinel_too_long = A value is too long.
error-invalid_sentinel = A value contains a character that is not allowed.
error-too_many_sentinels = There are too many values.
error-template_too_long = The consultation-info URL is too long.
error-invalid_template = The consultation-info URL contains a character that is not allowed.
error-unknown_template_variable = The consultation-info URL uses an unknown variable.
error-template_not_http = The consultation-info URL must start with http:// or https://.
error-template_variable_in_host = The consultation-info URL cannot have variables in its host; they may appear only in the path, query and fragment.
error-url_too_long = The chat URL is too long.
error-invalid_url = Enter an http:// or https:// address without spaces.
error-invalid_frame_origin = Enter each site as http:// or https:// and its host (and port), without a path.
error-too_many_frame_origins = There are too many sites.
