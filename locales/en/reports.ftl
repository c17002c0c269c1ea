### Reports: the consultation history (/reports) and its downloads (.xlsx, CSV, `sangdam export`).

## Column headings, by column key (`report-col-` and the key with `-` for `_`).
report-col-consultation-id = Consultation
report-col-room-id = Room
report-col-customer-key = Customer key
report-col-channel = Channel
report-col-state = State
report-col-state-code = State code
report-col-end-type = End type
report-col-category-id = Category id
report-col-category-name = Category
report-col-division-id = Division id
report-col-division-name = Division
report-col-agent-id = Agent id
report-col-agent-name = Agent
report-col-created-at = Created
report-col-assigned-at = Assigned
report-col-first-response-at = First response
report-col-closed-at = Closed
report-col-first-response-seconds = Seconds to first response
report-col-message-count = Messages
report-col-site-uid = Member ID
report-col-cus-extra-username = Name
report-col-cus-extra-phone = Phone
report-col-cus-extra-email = E-mail
report-col-user-parameter = user_parameter
report-col-tags = Tags
report-col-rating = Satisfaction
report-col-rating-comment = Rating comment
