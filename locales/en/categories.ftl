### Consultation categories: their section of the parameter page (assets/categories.js) and
### their card in the agent console (assets/console-category.js).

## The parameter page.

categories-title = Consultation categories
categories-intro = Consultations are sorted in two levels, categories and their divisions. A chat URL whose category_id and division_id carry the ids below files its consultation there. Agents change a consultation's category and add a sub-label.
# $max-category-name is the longest name.
categories-rules = Names have up to { $max-category-name } characters and differ at each level. Categories are never deleted (earlier consultations point at them): switch them off. Switching a category off switches its divisions off, and no division is added or switched on under a category that is off.
categories-tree = Categories
categories-empty = No categories yet. Add a category below.
# $id is the id a chat URL carries.
categories-id = ID { $id }
categories-default-badge = Default
categories-unused-badge = Off
categories-new-category = New category name
categories-add-category = Add category
# $category is the category's name.
categories-new-division = New division name for { $category }
categories-add-division = Add division
categories-divisions = Divisions of { $category }
categories-used = In use
# $name is the category's or division's name.
categories-used-label = { $name } in use
categories-default = Default category
categories-default-label = Make { $name } the default category
categories-no-default = No default category
categories-default-help = Consultations that arrive without a category, or with one that does not exist or is off, are filed under the default category, and agents see a warning.
categories-up = Up
categories-down = Down
categories-up-label = Move { $name } up
categories-down-label = Move { $name } down
categories-rename = Rename
categories-rename-label = New name for { $name }
categories-save-name = Save name
categories-cancel = Cancel
categories-saved = Saved.
categories-added = { $name } added.

## The title message.

categories-title-message = Title message
categories-title-intro = The first message of every consultation, sent to the customer when it opens. It shows in the chat window and the console, and goes to KakaoTalk and Naver TalkTalk customers too.
categories-title-label = Title message template
# $max-title is the longest template.
categories-title-help = Variables in brackets become the consultation's values; other brackets stay as they are. For example [[category_name]/[division_name]] consultation received → [Products/General] consultation received. Up to { $max-title } characters; empty sends none.
categories-title-placeholder = [[category_name]/[division_name]] consultation received
categories-title-vars = Variables you can use
categories-save-title = Title message
# Beside the template, by the error's code; $values names the variables refused.
categories-err-unknown_template_variable = A title message cannot use: { $values }
categories-err-template_too_long = At most { $max-title } characters.
categories-err-invalid_template = No control characters other than line breaks.

## The console's card.

console-category-title = Classification
console-category-category = Category
console-category-division = Division
console-category-sub-label = Sub-label
console-category-choose = None
# $name is a category or division that is switched off.
console-category-unused = { $name } (off)
# $max is the longest sub-label.
console-category-sub-label-hint = Up to { $max } characters
console-category-change = Change classification
console-category-cancel = Cancel
console-category-save = Save classification
console-category-saved = Classification saved.
# $reason is the server's answer.
console-category-failed = The classification was not saved: { $reason }
console-category-take-first = The agent holding the consultation, managers and the admin change its classification.

## Inflow warnings of the classification.

console-warn-unknown = Unknown category
console-warn-unused = Category not in use
console-warn-mismatch = Division of another category

## The site's customer tags: their section of the parameter page (assets/site-tags.js).

categories-tags-title = Customer tags
categories-tags-intro = The tags agents put on customers most often. The tag field of the agent console suggests these first; agents may still type tags that are not listed. A tag taken off this list stays on the customers who have it.
categories-tags-label = Tag list (one a line)
categories-tags-help = A tag may not contain commas nor start with #. A tag listed twice is kept once.
categories-tags-save = customer tags
categories-tags-loading = Loading the tag list…
categories-tags-saved = Saved. { $count } tags
categories-tags-err = Too many tags, a tag too long, or a character a tag may not contain.
