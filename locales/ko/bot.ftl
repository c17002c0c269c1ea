### The chatbot: the admin page (/admin/bot; assets/bot-admin.js, bot-response.js, bot-knowledge.js).

nav-bot = 챗봇

bot-title = 챗봇
# $site is the site's name.
bot-crumb = { $site } · 관리
bot-lead = 상담을 먼저 받는 챗봇의 설정, 블록, 지식베이스를 관리하고 고객의 말에 어떻게 답할지 시험합니다.
bot-forbidden = 챗봇은 사이트 관리자만 관리할 수 있습니다.
bot-toc-label = 이 페이지의 구역

## Settings

bot-settings-title = 챗봇 설정
bot-note-off = 챗봇이 꺼져 있습니다. 켜기 전까지 모든 상담은 상담원에게 바로 갑니다.
bot-enabled = 사용
bot-enabled-help = 끄면 모든 상담이 예전처럼 상담원에게 바로 갑니다.
bot-first = 모든 상담을 챗봇이 먼저
bot-first-help = 끄면 채팅 URL에 bot_start=true가 있는 상담만 챗봇이 먼저 받습니다.
bot-min-accuracy = 최소 답변 정확도(%)
bot-min-accuracy-help-static = 지식베이스와 블록의 예시 발화는 이 정확도 이상일 때만 답합니다(0–100).
# $default is the accuracy measured best on labelled questions.
bot-min-accuracy-help = 지식베이스와 블록의 예시 발화는 이 정확도 이상일 때만 답합니다(0–100). 측정된 기본값은 { $default }%입니다.
bot-min-accuracy-reset-static = 기본값 쓰기
bot-min-accuracy-reset = 기본값 { $default }% 쓰기
bot-fallbacks = 연속 폴백 후 상담원 연결 제안
# $max is the largest number allowed.
bot-fallbacks-help = 챗봇이 연달아 이만큼 이해하지 못하면 상담원 연결을 제안합니다. 0이면 제안하지 않습니다(최대 { $max }번).
bot-handoff-label = 제안 버튼 문구
bot-handoff-label-help = 상담원 연결을 제안하는 바로가기 응답 버튼의 문구입니다(최대 { $max }자).
bot-settings-save = 설정 저장

## Statuses

bot-status-loading = 불러오는 중…
bot-status-saving = 저장하는 중…
bot-status-saved = 저장했습니다.
bot-status-refused = 저장하지 못했습니다. 표시된 항목을 고쳐 주세요.
bot-status-login-again = 로그인이 끝났습니다. 다시 로그인해 주세요.
bot-status-not-allowed = 사이트 관리자만 할 수 있습니다.
# $reason is what went wrong.
bot-status-failed = 저장하지 못했습니다: { $reason }
bot-status-load-failed = 불러오지 못했습니다: { $reason }

## Blocks

bot-blocks-title = 블록
bot-blocks-lead = 웰컴 블록은 상담을 시작할 때, 폴백 블록은 챗봇이 이해하지 못했을 때 답합니다. 일반 블록은 예시 발화와 비슷한 말이나 키워드가 들어간 말에 답합니다.
bot-blocks-list = 블록 목록
bot-kind-welcome = 웰컴
bot-kind-fallback = 폴백
bot-kind-general = 일반
bot-badge-hand-off = 상담원 연결
bot-badge-event = 이벤트: { $name }
bot-badge-skill = 스킬
bot-block-new = 새 블록 추가
bot-block-new-title = 새 블록
# $name is the block's name.
bot-block-edit-title = ‘{ $name }’ 블록 편집
bot-block-kind-help-welcome = 웰컴 블록: 상담을 시작할 때 보내는 첫 인사입니다. 삭제할 수 없습니다.
bot-block-kind-help-fallback = 폴백 블록: 챗봇이 이해하지 못했을 때 보냅니다. 삭제할 수 없습니다.
bot-block-kind-help-general = 일반 블록: 예시 발화와 비슷한 말이나 키워드가 들어간 말에 답합니다.
bot-block-name = 이름
# $max is the longest name.
bot-block-name-help = 최대 { $max }자.
bot-block-utterances = 예시 발화
# $count is how many, $max how long each may be.
bot-block-utterances-help = 한 줄에 하나씩, 최대 { $count }개, 각 { $max }자까지 씁니다. 고객의 말이 예시와 비슷하면 이 블록이 답합니다.
bot-block-keywords = 키워드
bot-block-keywords-help = 쉼표나 줄바꿈으로 나눕니다(최대 { $count }개, 각 { $max }자). 고객의 말에 키워드가 들어 있으면 이 블록이 답합니다(띄어쓰기는 무시).
bot-block-skill-url = 스킬 서버 주소
bot-block-skill-url-help = 비워 두면 아래 응답으로 답합니다. 주소를 넣으면 오픈빌더와 같은 스킬 요청을 보내 받은 답을 보내고, 실패하면 폴백 블록이 답합니다.
bot-block-hand-off = 상담원 연결 (상담 플러그인)
bot-block-hand-off-help = 이 블록에 닿으면 응답을 보낸 뒤 고객을 상담원에게 연결합니다.
bot-block-event = 이벤트 API 이름
bot-block-event-help = 비워 두면 이벤트로 보내지 않습니다. 이름(영문, 숫자, _)을 넣으면 이벤트 API가 그 이름으로 이 블록의 응답을 보냅니다. 응답에 {"{{"}data.키{"}}"}와 {"{{"}params.키{"}}"}를 쓰면 요청의 값이 들어갑니다.
bot-block-save = 블록 저장
bot-block-delete = 블록 삭제
bot-block-delete-confirm = ‘{ $name }’ 블록을 삭제할까요? 되돌릴 수 없습니다.
bot-block-deleted = ‘{ $name }’ 블록을 삭제했습니다.
# $names are the blocks whose buttons lead to this one.
bot-block-delete-linked = { $names } 블록의 버튼이나 바로가기 응답이 이 블록으로 이어집니다. 그 버튼을 먼저 바꾼 뒤 삭제하세요.
bot-block-delete-kept = 웰컴 블록과 폴백 블록은 삭제할 수 없습니다. 대신 내용을 바꾸세요.
bot-block-discard-confirm = 저장하지 않은 블록 변경이 있습니다. 버리고 다른 블록을 열까요?
# $max-blocks is the most blocks a bot has.
bot-block-too-many = 블록은 최대 { $max-blocks }개까지 만들 수 있습니다.

## A block's answer

bot-response = 응답
# $max is the most outputs, $quick the most quick replies.
bot-response-help = 카카오 i 오픈빌더의 스킬 응답 형식입니다. 출력은 1–{ $max }개, 바로가기 응답은 최대 { $quick }개입니다.
bot-tabs-label = 응답 편집 방식
bot-tab-form = 구성
bot-tab-json = JSON
bot-form-unsupported = 이 응답에는 구성 편집기가 다루지 않는 요소(캐러셀, 텍스트 카드 등)가 있어 JSON 탭에서만 편집할 수 있습니다.
bot-output-add = 출력 추가
# $n is the output's number.
bot-output-legend = 출력 { $n }
bot-output-type = 종류
bot-output-up-label = 출력 { $n } 위로 이동
bot-output-down-label = 출력 { $n } 아래로 이동
bot-output-remove-label = 출력 { $n } 삭제
bot-remove = 삭제
# $max is the longest text.
bot-text-help = 최대 { $max }자. 카카오톡에서는 500자가 넘으면 ‘전체 보기’ 뒤로 접힙니다.
# $max is the most items.
bot-items = 항목(최대 { $max }개)
bot-item-add = 항목 추가
bot-item-legend = 항목 { $n }
bot-item-remove-label = 항목 { $n } 삭제
# $max is the most buttons.
bot-buttons = 버튼(최대 { $max }개)
bot-button-add = 버튼 추가
bot-button-legend = 버튼 { $n }
bot-button-remove-label = 버튼 { $n } 삭제
bot-button-label = 문구
bot-button-action = 동작
bot-button-webLinkUrl = 링크 주소
bot-button-messageText = 보낼 메시지
bot-button-phoneNumber = 전화번호
bot-button-blockId = 이동할 블록
bot-button-choose-block = 블록을 고르세요
# $id is a block id no block has.
bot-button-missing-block = 없는 블록 ({ $id })
bot-action-webLink = 링크 열기
bot-action-message = 메시지 보내기
bot-action-phone = 전화 걸기
bot-action-block = 블록으로 이동
bot-action-operator = 상담원 연결
bot-quick = 바로가기 응답
bot-quick-help = 답 아래에 보이는 버튼입니다. 누르면 메시지를 보내거나 블록으로 이동합니다.
bot-quick-add = 바로가기 응답 추가
bot-quick-legend = 바로가기 응답 { $n }
bot-quick-remove-label = 바로가기 응답 { $n } 삭제
bot-json-label = 스킬 템플릿(JSON)
bot-json-help = outputs(출력 목록)와 quickReplies(바로가기 응답 목록)를 가진 객체입니다. 구성 편집기가 다루지 않는 요소도 여기서 편집합니다.
# $reason is the JSON reader's message.
bot-json-invalid = JSON으로 읽을 수 없습니다: { $reason }
bot-json-not-template = 스킬 템플릿이 아닙니다. outputs 목록을 가진 객체여야 합니다.
bot-response-problems = 응답에서 고칠 곳
bot-preview = 미리보기
bot-preview-empty = 보낼 응답이 없습니다.
bot-preview-skill = 스킬 서버가 보내는 답이 여기에 보입니다.
# $label is the button's label, $text the message it sends.
bot-preview-tap-message = ‘{ $label }’ 버튼: “{ $text }” 메시지를 보냅니다.
# $block is the block's name.
bot-preview-tap-block = ‘{ $label }’ 버튼: ‘{ $block }’ 블록으로 이동합니다.
bot-preview-tap-operator = ‘{ $label }’ 버튼: 상담원에게 연결합니다.

## Kinds of output and the parts of a template, as refusals name them

bot-type-simpleText = 텍스트
bot-type-simpleImage = 이미지
bot-type-basicCard = 기본 카드
bot-type-listCard = 리스트 카드
bot-type-textCard = 텍스트 카드
bot-type-commerceCard = 커머스 카드
bot-type-itemCard = 아이템 카드
bot-type-carousel = 캐러셀
bot-path-response = 응답
bot-path-answer = 답변
bot-path-outputs = 출력
bot-path-quickReplies = 바로가기 응답
bot-path-buttons = 버튼
bot-path-items = 항목
bot-path-itemList = 목록
bot-path-thumbnails = 썸네일
bot-path-thumbnail = 썸네일 이미지 주소
bot-path-text = 본문
bot-path-title = 제목
bot-path-description = 설명
bot-path-imageUrl = 이미지 주소
bot-path-altText = 대체 텍스트
bot-path-header = 머리글
bot-path-label = 문구
bot-path-messageText = 보낼 메시지
bot-path-webLinkUrl = 링크 주소
bot-path-phoneNumber = 전화번호
bot-path-blockId = 이동할 블록
bot-path-price = 가격
bot-path-currency = 통화
bot-path-name = 이름
bot-path-utterances = 예시 발화
bot-path-keywords = 키워드
bot-path-skill_url = 스킬 서버 주소
bot-path-questions = 질문
bot-path-category = 분류
bot-path-enabled = 사용
bot-path-file = 파일
# $n is the row's number in the file (the header is row 1).
bot-path-rows = { $n }행

## What is wrong (the server's refusals, in words)

# $count is how many characters there are, $max how many are allowed.
bot-err-too-long = { $count }자입니다. 최대 { $max }자까지 쓸 수 있습니다.
bot-err-too-many = { $count }개입니다. 최대 { $max }개까지입니다.
# $min is the fewest allowed.
bot-err-too-few = 최소 { $min }개가 있어야 합니다.
bot-err-required = 비어 있습니다. 꼭 넣어야 합니다.
bot-err-url = http:// 또는 https://로 시작하는 주소여야 합니다.
# $id is the block id named.
bot-err-unknown-block = 없는 블록({ $id })으로 이어집니다.
bot-err-no-question = 질문이 하나 이상 있어야 합니다.
bot-err-accuracy = 0에서 100 사이의 정수여야 합니다.
bot-err-fallbacks = 0에서 { $max } 사이의 정수여야 합니다.
# $reason is the server's message.
bot-err-not-template = 스킬 템플릿 형식이 아닙니다: { $reason }

## Knowledge base

bot-kb-title = 지식베이스
# $max-entries is the most entries.
bot-kb-lead = 자주 묻는 질문과 답변입니다. 고객의 말이 질문과 충분히 비슷하면(최소 답변 정확도 이상) 답변을 보냅니다. 최대 { $max-entries }개 항목.
bot-kb-search = 검색
bot-kb-search-placeholder = 분류, 질문, 답변에서 찾기
bot-kb-add = 항목 추가
# $shown entries of $total are listed.
bot-kb-count = { $total }개 중 { $shown }개 표시
bot-kb-col-category = 분류
bot-kb-col-question = 질문
bot-kb-col-answer = 답변
bot-kb-col-enabled = 사용
bot-kb-col-actions = 관리
# $count is how many more questions the entry has.
bot-kb-more-questions = 외 { $count }개
bot-kb-on = 사용
bot-kb-off = 사용 안 함
# $question is the entry's first question.
bot-kb-enabled-label = ‘{ $question }’ 사용
bot-kb-edit = 편집
bot-kb-edit-label = ‘{ $question }’ 편집
bot-kb-delete = 삭제
bot-kb-delete-label = ‘{ $question }’ 삭제
bot-kb-delete-confirm = ‘{ $question }’ 항목을 삭제할까요? 되돌릴 수 없습니다.
bot-kb-deleted = ‘{ $question }’ 항목을 삭제했습니다.
bot-kb-empty = 아직 항목이 없습니다. 항목을 추가하거나 파일에서 가져오세요.
bot-kb-no-match = 찾는 말이 들어간 항목이 없습니다.
bot-kb-too-many = 지식베이스에는 최대 { $max-entries }개 항목까지 넣을 수 있습니다.
bot-entry-add-title = 지식베이스 항목 추가
bot-entry-edit-title = 지식베이스 항목 편집
bot-entry-category = 분류
bot-entry-category-help = 최대 { $max }자. 비워 두어도 됩니다.
bot-entry-questions = 질문
bot-entry-questions-help = 한 줄에 하나씩, 1–{ $count }개, 각 { $max }자까지.
bot-entry-answer-kind = 답변 형식
bot-entry-answer-text = 텍스트
bot-entry-answer-json = 스킬 템플릿(JSON)
bot-entry-answer = 답변
bot-entry-answer-help = 텍스트는 최대 { $max }자. 카드나 버튼이 필요하면 스킬 템플릿(JSON)을 고르세요.
bot-entry-enabled = 사용
bot-entry-save = 저장
bot-entry-cancel = 취소

## Import and export

bot-import-title = 파일에서 가져오기
# $mb is the largest file, in megabytes.
bot-import-help = CSV(UTF-8) 또는 엑셀(xlsx) 파일을 가져옵니다. 첫 행은 열 이름입니다: 질문(한 줄에 하나), 답변(텍스트나 JSON), 분류, 사용(Y/N). 최대 { $mb }MB.
bot-import-file = 파일
bot-import-replace = 기존 항목을 모두 지우고 파일의 항목으로 바꾸기
# $count is how many entries there are now.
bot-import-replace-confirm = 지식베이스의 항목 { $count }개를 모두 지우고 파일의 항목으로 바꿀까요? 되돌릴 수 없습니다.
bot-import-submit = 가져오기
bot-import-running = 가져오는 중…
bot-import-no-file = 가져올 파일을 고르세요.
bot-import-format = CSV나 xlsx 파일만 가져올 수 있습니다.
bot-import-too-large = 파일이 너무 큽니다(최대 { $mb }MB).
# $count is how many entries were added.
bot-import-done = { $count }개 항목을 가져왔습니다.
# $count is how many problems were found.
bot-import-refused = 가져오지 않았습니다. 아래 { $count }곳을 고친 뒤 다시 가져오세요.
bot-import-failed = 가져오지 못했습니다: { $reason }
bot-export-title = 내려받기
bot-export-help = 가져오기로 다시 읽을 수 있는 형식으로 모든 항목을 내려받습니다.
bot-export-csv = CSV로 내려받기
bot-export-xlsx = 엑셀(xlsx)로 내려받기

## Test console

bot-test-title = 테스트 콘솔
bot-test-lead = 고객이 상담을 시작하며 이렇게 말하면 챗봇이 무엇을 할지 보여 줍니다. 아무것도 저장하지 않고 고객에게도 보내지 않습니다.
bot-test-utterance = 고객의 말
bot-test-submit = 시험하기
bot-test-empty = 고객의 말을 넣으세요.
bot-test-failed = 시험하지 못했습니다: { $reason }
bot-test-bot-off = 챗봇이 꺼져 있어 실제 상담에는 답하지 않습니다.
bot-test-candidates = 후보
# $min is the minimum accuracy.
bot-test-min = 최소 답변 정확도는 { $min }%입니다. 이보다 낮은 후보로는 답하지 않습니다.
bot-test-no-candidates = 비슷한 질문이나 예시 발화가 없습니다.
bot-test-col-rank = 순위
bot-test-col-kind = 종류
bot-test-col-name = 이름
bot-test-col-question = 맞춘 질문
bot-test-col-accuracy = 정확도
bot-test-col-verdict = 판정
bot-test-kind-block = 블록
bot-test-kind-knowledge = 지식
# $accuracy is a percentage.
bot-test-accuracy = { $accuracy }%
bot-test-verdict-answers = 이 후보가 답합니다
bot-test-verdict-above = 기준 이상
bot-test-verdict-below = 기준 미달
bot-test-outcome = 결과
bot-test-outcome-reply = 챗봇의 답
bot-test-outcome-hand_off = 상담원 연결
bot-test-outcome-skill = 스킬 서버 호출
bot-test-outcome-silent = 답하지 않음
# $name is the block's name, $by how the words reached it.
bot-test-source-block = ‘{ $name }’ 블록 ({ $by })
bot-test-by-start = 시작
bot-test-by-keyword = 키워드
bot-test-by-example = 예시 발화
bot-test-by-button = 버튼
# $question is the entry's question, $accuracy a percentage.
bot-test-source-knowledge = 지식베이스의 ‘{ $question }’ (정확도 { $accuracy }%)
# $count is how many fallbacks in a row.
bot-test-source-fallback = 폴백 블록 (연속 { $count }번째)
bot-test-source-fallback-offer = 폴백 블록 (연속 { $count }번째, 상담원 연결 제안)
# $url is the skill server's address.
bot-test-skill = ‘{ $name }’ 블록이 { $url }에 답을 요청합니다.
bot-test-handoff-block = ‘{ $name }’ 블록에서 상담원에게 연결합니다.
bot-test-handoff-fallbacks = 연속 { $count }번 이해하지 못해 상담원에게 연결합니다.
bot-test-handoff-operator = 고객이 상담원 연결을 골랐습니다.
bot-test-silent = 아무 답도 보내지 않습니다.
bot-block-plugin = 플러그인
bot-block-plugin-none = 사용 안 함
bot-block-plugin-profile = 프로필 (이름, 전화번호, 이메일)
bot-block-plugin-kakao_sync = 카카오싱크 간편가입
bot-block-plugin-location = 현재 위치
bot-block-plugin-help = 응답 아래에서 고객에게 물어봅니다. 웹 채팅 창에는 입력 양식(위치는 위치 보내기 버튼)이 나오고, 카카오톡에서는 오픈빌더 블록의 플러그인 결과(파라미터 profile, kakao_sync)를 받아 고객정보에 넣습니다. 비즈니스 페이지에서 설정해 둔 플러그인만 고를 수 있습니다.
