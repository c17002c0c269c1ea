### Consultation categories: their section of the parameter page (assets/categories.js) and
### their card in the agent console (assets/console-category.js).

## The parameter page.

categories-title = 상담 분류
categories-intro = 상담을 대분류와 중분류 두 단계로 나눕니다. 채팅 URL의 category_id와 division_id에 아래 ID를 넣으면 상담이 그 분류로 접수됩니다. 상담원은 상담마다 분류를 바꾸고 소분류를 적을 수 있습니다.
# $max-category-name is the longest name.
categories-rules = 이름은 { $max-category-name }자까지이고 같은 단계에서 겹칠 수 없습니다. 분류는 지우지 않고 사용을 끕니다(지난 상담이 가리키므로). 대분류를 끄면 그 중분류도 꺼지고, 꺼진 대분류에는 중분류를 켜거나 더할 수 없습니다.
categories-tree = 분류 목록
categories-empty = 아직 분류가 없습니다. 아래에서 대분류를 추가하세요.
# $id is the id a chat URL carries.
categories-id = ID { $id }
categories-default-badge = 기본
categories-unused-badge = 사용 안 함
categories-new-category = 새 대분류 이름
categories-add-category = 대분류 추가
# $category is the category's name.
categories-new-division = { $category }의 새 중분류 이름
categories-add-division = 중분류 추가
categories-divisions = { $category }의 중분류
categories-used = 사용
# $name is the category's or division's name.
categories-used-label = { $name } 사용
categories-default = 기본 분류
categories-default-label = { $name }을(를) 기본 분류로
categories-no-default = 기본 분류 없음
categories-default-help = 분류 없이, 또는 없거나 꺼진 분류로 들어온 상담은 기본 분류로 접수되고, 상담원에게 경고로 보입니다.
categories-up = 위로
categories-down = 아래로
categories-up-label = { $name } 위로
categories-down-label = { $name } 아래로
categories-rename = 이름 바꾸기
categories-rename-label = { $name }의 새 이름
categories-save-name = 이름 저장
categories-cancel = 취소
categories-saved = 저장했습니다.
categories-added = { $name }을(를) 추가했습니다.

## The title message.

categories-title-message = 제목 메시지
categories-title-intro = 상담이 접수될 때 상담의 첫 메시지로 고객에게 보내는 안내입니다. 채팅창과 상담 콘솔에 보이고, 카카오톡과 네이버 톡톡 고객에게도 전송됩니다.
categories-title-label = 제목 메시지 템플릿
# $max-title is the longest template.
categories-title-help = 대괄호로 묶은 변수가 상담의 값으로 바뀌고, 변수가 아닌 대괄호는 그대로 보입니다. 예: [[category_name]/[division_name]] 상담이 접수되었습니다 → [상품문의/일반상담] 상담이 접수되었습니다. { $max-title }자까지, 비워 두면 보내지 않습니다.
categories-title-placeholder = [[category_name]/[division_name]] 상담이 접수되었습니다
categories-title-vars = 쓸 수 있는 변수
categories-save-title = 제목 메시지
# Beside the template, by the error's code; $values names the variables refused.
categories-err-unknown_template_variable = 제목 메시지에 쓸 수 없는 변수입니다: { $values }
categories-err-template_too_long = { $max-title }자를 넘을 수 없습니다.
categories-err-invalid_template = 줄바꿈 외의 제어 문자는 쓸 수 없습니다.

## The console's card.

console-category-title = 상담 분류
console-category-category = 대분류
console-category-division = 중분류
console-category-sub-label = 소분류
console-category-choose = 선택 안 함
# $name is a category or division that is switched off.
console-category-unused = { $name } (사용 안 함)
# $max is the longest sub-label.
console-category-sub-label-hint = { $max }자까지
console-category-change = 분류 바꾸기
console-category-cancel = 취소
console-category-save = 분류 저장
console-category-saved = 분류를 저장했습니다.
# $reason is the server's answer.
console-category-failed = 분류를 저장하지 못했습니다: { $reason }
console-category-take-first = 상담을 맡은 상담원과 매니저, 관리자가 분류를 바꿀 수 있습니다.

## Inflow warnings of the classification.

console-warn-unknown = 없는 분류
console-warn-unused = 사용하지 않는 분류
console-warn-mismatch = 다른 대분류의 중분류

## The site's customer tags: their section of the parameter page (assets/site-tags.js).

categories-tags-title = 고객 태그
categories-tags-intro = 상담원이 고객에게 붙이는 태그 가운데 자주 쓰는 것을 정해 둡니다. 상담 콘솔의 태그 입력 칸에서 이 목록이 먼저 제안되고, 상담원은 목록에 없는 태그도 직접 입력할 수 있습니다. 목록에서 빼도 이미 고객에게 붙은 태그는 그대로 남습니다.
categories-tags-label = 태그 목록 (한 줄에 하나)
categories-tags-help = 태그에는 쉼표를 쓸 수 없고 #으로 시작할 수 없습니다. 같은 태그는 한 번만 남습니다.
categories-tags-save = 고객 태그
categories-tags-loading = 태그 목록을 불러오는 중…
categories-tags-saved = 저장되었습니다. 태그 { $count }개
categories-tags-err = 태그가 너무 많거나, 너무 길거나, 쓸 수 없는 문자가 들어 있습니다.
