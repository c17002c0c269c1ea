### The chatbot: the admin page (/admin/bot; assets/bot-admin.js, bot-response.js, bot-knowledge.js).

nav-bot = Chatbot

bot-title = Chatbot
# $site is the site's name.
bot-crumb = { $site } · administration
bot-lead = The settings, blocks and knowledge base of the chatbot that meets consultations first, and a console to try how it answers what customers say.
bot-forbidden = Only the site's admin manages the chatbot.
bot-toc-label = Sections of this page

## Settings

bot-settings-title = Chatbot settings
bot-note-off = The chatbot is off: until it is on, every consultation goes straight to agents.
bot-enabled = On
bot-enabled-help = Off: every consultation goes straight to agents, as before.
bot-first = The chatbot meets every consultation first
bot-first-help = Off: only consultations whose chat URL says bot_start=true meet the chatbot first.
bot-min-accuracy = Minimum answer accuracy (%)
bot-min-accuracy-help-static = The knowledge base and the blocks' example utterances answer only from this accuracy on (0–100).
# $default is the accuracy measured best on labelled questions.
bot-min-accuracy-help = The knowledge base and the blocks' example utterances answer only from this accuracy on (0–100). The measured default is { $default }%.
bot-min-accuracy-reset-static = Use the default
bot-min-accuracy-reset = Use the default ({ $default }%)
bot-fallbacks = Offer an agent after this many fallbacks in a row
# $max is the largest number allowed.
bot-fallbacks-help = When the chatbot fails to understand this many times in a row, it offers an agent. 0 never offers (at most { $max }).
bot-handoff-label = Label of the offer
bot-handoff-label-help = The quick reply button that offers an agent (at most { $max } characters).
bot-settings-save = Save settings

## Statuses

bot-status-loading = Loading…
bot-status-saving = Saving…
bot-status-saved = Saved.
bot-status-refused = Not saved: correct the fields marked.
bot-status-login-again = Please log in again.
bot-status-not-allowed = Only the site's admin may do this.
# $reason is what went wrong.
bot-status-failed = Not saved: { $reason }
bot-status-load-failed = Could not load: { $reason }

## Blocks

bot-blocks-title = Blocks
bot-blocks-lead = The welcome block answers when a consultation starts, the fallback block when the chatbot does not understand. General blocks answer words like their example utterances, or containing one of their keywords.
bot-blocks-list = Blocks
bot-kind-welcome = Welcome
bot-kind-fallback = Fallback
bot-kind-general = General
bot-badge-hand-off = Agent
bot-badge-event = Event: { $name }
bot-badge-skill = Skill
bot-block-new = Add a block
bot-block-new-title = New block
# $name is the block's name.
bot-block-edit-title = Editing ‘{ $name }’
bot-block-kind-help-welcome = The welcome block: the first greeting when a consultation starts. It cannot be deleted.
bot-block-kind-help-fallback = The fallback block: sent when the chatbot does not understand. It cannot be deleted.
bot-block-kind-help-general = A general block: answers words like its example utterances, or containing one of its keywords.
bot-block-name = Name
# $max is the longest name.
bot-block-name-help = At most { $max } characters.
bot-block-utterances = Example utterances
# $count is how many, $max how long each may be.
bot-block-utterances-help = One a line, at most { $count }, each at most { $max } characters. When a customer says something like one of them, this block answers.
bot-block-keywords = Keywords
bot-block-keywords-help = Separated by commas or line breaks (at most { $count }, each at most { $max } characters). When a customer's words contain one, this block answers (spaces ignored).
bot-block-skill-url = Skill server address
bot-block-skill-url-help = Empty: the block sends the answer below. With an address, it sends Open Builder's skill request there and passes on the answer; if that fails, the fallback block answers.
bot-block-hand-off = Connect to an agent (consultation plugin)
bot-block-hand-off-help = Reaching this block sends its answer, then connects the customer to an agent.
bot-block-event = Event API name
bot-block-event-help = Empty: no event sends the block. With a name (letters, digits, _), the Event API sends this block's answer by that name; {"{{"}data.KEY{"}}"} and {"{{"}params.KEY{"}}"} in the answer take the request's values.
bot-block-save = Save block
bot-block-delete = Delete block
bot-block-delete-confirm = Delete the block ‘{ $name }’? This cannot be undone.
bot-block-deleted = The block ‘{ $name }’ was deleted.
# $names are the blocks whose buttons lead to this one.
bot-block-delete-linked = Buttons or quick replies of { $names } lead to this block. Change them first, then delete it.
bot-block-delete-kept = The welcome and fallback blocks stay; change what they say instead.
bot-block-discard-confirm = The block has changes that are not saved. Discard them and open another block?
# $max-blocks is the most blocks a bot has.
bot-block-too-many = A chatbot has at most { $max-blocks } blocks.

## A block's answer

bot-response = Answer
# $max is the most outputs, $quick the most quick replies.
bot-response-help = Kakao i Open Builder's skill answer: 1 to { $max } outputs and at most { $quick } quick replies.
bot-tabs-label = How to edit the answer
bot-tab-form = Form
bot-tab-json = JSON
bot-form-unsupported = This answer holds parts the form does not edit (a carousel, a text card, …): edit it on the JSON tab.
bot-output-add = Add an output
# $n is the output's number.
bot-output-legend = Output { $n }
bot-output-type = Kind
bot-output-up-label = Move output { $n } up
bot-output-down-label = Move output { $n } down
bot-output-remove-label = Delete output { $n }
bot-remove = Delete
# $max is the longest text.
bot-text-help = At most { $max } characters. KakaoTalk folds a text over 500 characters behind ‘See all’.
# $max is the most items.
bot-items = Items (at most { $max })
bot-item-add = Add an item
bot-item-legend = Item { $n }
bot-item-remove-label = Delete item { $n }
# $max is the most buttons.
bot-buttons = Buttons (at most { $max })
bot-button-add = Add a button
bot-button-legend = Button { $n }
bot-button-remove-label = Delete button { $n }
bot-button-label = Label
bot-button-action = Action
bot-button-webLinkUrl = Link address
bot-button-messageText = Message sent
bot-button-phoneNumber = Phone number
bot-button-blockId = Block to go to
bot-button-choose-block = Choose a block
# $id is a block id no block has.
bot-button-missing-block = No such block ({ $id })
bot-action-webLink = Open a link
bot-action-message = Send a message
bot-action-phone = Call a number
bot-action-block = Go to a block
bot-action-operator = Connect to an agent
bot-quick = Quick replies
bot-quick-help = Buttons under the answer: each sends a message or goes to a block.
bot-quick-add = Add a quick reply
bot-quick-legend = Quick reply { $n }
bot-quick-remove-label = Delete quick reply { $n }
bot-json-label = Skill template (JSON)
bot-json-help = An object with outputs (the list of outputs) and quickReplies (the list of quick replies). Parts the form does not edit are edited here.
# $reason is the JSON reader's message.
bot-json-invalid = Not readable as JSON: { $reason }
bot-json-not-template = Not a skill template: it must be an object with a list of outputs.
bot-response-problems = What to correct in the answer
bot-preview = Preview
bot-preview-empty = No answer to send.
bot-preview-skill = The skill server's answer shows here.
# $label is the button's label, $text the message it sends.
bot-preview-tap-message = ‘{ $label }’ sends “{ $text }”.
# $block is the block's name.
bot-preview-tap-block = ‘{ $label }’ goes to the block ‘{ $block }’.
bot-preview-tap-operator = ‘{ $label }’ connects the customer to an agent.

## Kinds of output and the parts of a template, as refusals name them

bot-type-simpleText = Text
bot-type-simpleImage = Image
bot-type-basicCard = Basic card
bot-type-listCard = List card
bot-type-textCard = Text card
bot-type-commerceCard = Commerce card
bot-type-itemCard = Item card
bot-type-carousel = Carousel
bot-path-response = Answer
bot-path-answer = Answer
bot-path-outputs = Output
bot-path-quickReplies = Quick reply
bot-path-buttons = Button
bot-path-items = Item
bot-path-itemList = List
bot-path-thumbnails = Thumbnail
bot-path-thumbnail = Thumbnail image address
bot-path-text = Text
bot-path-title = Title
bot-path-description = Description
bot-path-imageUrl = Image address
bot-path-altText = Alternative text
bot-path-header = Header
bot-path-label = Label
bot-path-messageText = Message sent
bot-path-webLinkUrl = Link address
bot-path-phoneNumber = Phone number
bot-path-blockId = Block to go to
bot-path-price = Price
bot-path-currency = Currency
bot-path-name = Name
bot-path-utterances = Example utterance
bot-path-keywords = Keyword
bot-path-skill_url = Skill server address
bot-path-questions = Question
bot-path-category = Category
bot-path-enabled = On
bot-path-file = File
# $n is the row's number in the file (the header is row 1).
bot-path-rows = Row { $n }

## What is wrong (the server's refusals, in words)

# $count is how many characters there are, $max how many are allowed.
bot-err-too-long = { $count } characters; at most { $max } are allowed.
bot-err-too-many = { $count } entries; at most { $max } are allowed.
# $min is the fewest allowed.
bot-err-too-few = At least { $min } needed.
bot-err-required = Empty: this is needed.
bot-err-url = An address starting with http:// or https:// is needed.
# $id is the block id named.
bot-err-unknown-block = Leads to a block that does not exist ({ $id }).
bot-err-no-question = At least one question is needed.
bot-err-accuracy = A whole number from 0 to 100.
bot-err-fallbacks = A whole number from 0 to { $max }.
# $reason is the server's message.
bot-err-not-template = Not a skill template: { $reason }

## Knowledge base

bot-kb-title = Knowledge base
# $max-entries is the most entries.
bot-kb-lead = Frequent questions and their answers. When a customer's words are close enough to a question (at least the minimum answer accuracy), the chatbot sends its answer. At most { $max-entries } entries.
bot-kb-search = Search
bot-kb-search-placeholder = Find in categories, questions and answers
bot-kb-add = Add an entry
# $shown entries of $total are listed.
bot-kb-count = { $shown } of { $total } shown
bot-kb-col-category = Category
bot-kb-col-question = Question
bot-kb-col-answer = Answer
bot-kb-col-enabled = On
bot-kb-col-actions = Actions
# $count is how many more questions the entry has.
bot-kb-more-questions = and { $count } more
bot-kb-on = On
bot-kb-off = Off
# $question is the entry's first question.
bot-kb-enabled-label = ‘{ $question }’ on
bot-kb-edit = Edit
bot-kb-edit-label = Edit ‘{ $question }’
bot-kb-delete = Delete
bot-kb-delete-label = Delete ‘{ $question }’
bot-kb-delete-confirm = Delete the entry ‘{ $question }’? This cannot be undone.
bot-kb-deleted = The entry ‘{ $question }’ was deleted.
bot-kb-empty = No entries yet: add one, or import a file.
bot-kb-no-match = No entry contains those words.
bot-kb-too-many = The knowledge base holds at most { $max-entries } entries.
bot-entry-add-title = Add a knowledge-base entry
bot-entry-edit-title = Edit the knowledge-base entry
bot-entry-category = Category
bot-entry-category-help = At most { $max } characters; may be empty.
bot-entry-questions = Questions
bot-entry-questions-help = One a line, 1 to { $count }, each at most { $max } characters.
bot-entry-answer-kind = Kind of answer
bot-entry-answer-text = Text
bot-entry-answer-json = Skill template (JSON)
bot-entry-answer = Answer
bot-entry-answer-help = A text has at most { $max } characters. For cards or buttons, choose the skill template (JSON).
bot-entry-enabled = On
bot-entry-save = Save
bot-entry-cancel = Cancel

## Import and export

bot-import-title = Import from a file
# $mb is the largest file, in megabytes.
bot-import-help = A CSV (UTF-8) or Excel (xlsx) file. Its first row names the columns: 질문 (questions, one a line), 답변 (answer: a text or JSON), 분류 (category), 사용 (on: Y/N); the English names work too. At most { $mb } MB.
bot-import-file = File
bot-import-replace = Delete every entry and replace them with the file's
# $count is how many entries there are now.
bot-import-replace-confirm = Delete all { $count } entries of the knowledge base and replace them with the file's? This cannot be undone.
bot-import-submit = Import
bot-import-running = Importing…
bot-import-no-file = Choose a file to import.
bot-import-format = Only CSV and xlsx files can be imported.
bot-import-too-large = The file is too large (at most { $mb } MB).
# $count is how many entries were added.
bot-import-done = { $count } entries imported.
# $count is how many problems were found.
bot-import-refused = Nothing was imported: correct the { $count } problems below and import again.
bot-import-failed = Could not import: { $reason }
bot-export-title = Download
bot-export-help = Every entry, in a file the import reads back.
bot-export-csv = Download as CSV
bot-export-xlsx = Download as Excel (xlsx)

## Test console

bot-test-title = Test console
bot-test-lead = What the chatbot would do if a customer started a consultation with these words. Nothing is stored or sent.
bot-test-utterance = The customer's words
bot-test-submit = Try
bot-test-empty = Type what a customer says.
bot-test-failed = Could not try: { $reason }
bot-test-bot-off = The chatbot is off: it does not answer real consultations.
bot-test-candidates = Candidates
# $min is the minimum accuracy.
bot-test-min = The minimum answer accuracy is { $min }%: candidates below it do not answer.
bot-test-no-candidates = No similar question or example utterance.
bot-test-col-rank = Rank
bot-test-col-kind = Kind
bot-test-col-name = Name
bot-test-col-question = Matched question
bot-test-col-accuracy = Accuracy
bot-test-col-verdict = Verdict
bot-test-kind-block = Block
bot-test-kind-knowledge = Knowledge
# $accuracy is a percentage.
bot-test-accuracy = { $accuracy }%
bot-test-verdict-answers = This one answers
bot-test-verdict-above = Above the minimum
bot-test-verdict-below = Below the minimum
bot-test-outcome = Outcome
bot-test-outcome-reply = The chatbot's answer
bot-test-outcome-hand_off = Connect to an agent
bot-test-outcome-skill = Skill server call
bot-test-outcome-silent = No answer
# $name is the block's name, $by how the words reached it.
bot-test-source-block = The block ‘{ $name }’ ({ $by })
bot-test-by-start = start
bot-test-by-keyword = keyword
bot-test-by-example = example utterance
bot-test-by-button = button
# $question is the entry's question, $accuracy a percentage.
bot-test-source-knowledge = The knowledge base's ‘{ $question }’ (accuracy { $accuracy }%)
# $count is how many fallbacks in a row.
bot-test-source-fallback = The fallback block ({ $count } in a row)
bot-test-source-fallback-offer = The fallback block ({ $count } in a row, offering an agent)
# $url is the skill server's address.
bot-test-skill = The block ‘{ $name }’ asks { $url } for the answer.
bot-test-handoff-block = The block ‘{ $name }’ connects the customer to an agent.
bot-test-handoff-fallbacks = Not understood { $count } times in a row: connected to an agent.
bot-test-handoff-operator = The customer chose to talk to an agent.
bot-test-silent = Nothing is sent.
bot-block-plugin = Plugin
bot-block-plugin-none = None
bot-block-plugin-profile = Profile (name, phone, e-mail)
bot-block-plugin-kakao_sync = Kakao Sync sign-up
bot-block-plugin-location = Current location
bot-block-plugin-help = Asks the customer below the response. The web chat window shows a form (for the location, a button to send it); on KakaoTalk the results of the Open Builder block's plugin (parameters profile, kakao_sync) go into the customer's profile. Only plugins set up on the business page can be chosen.
