### The admin's parameter management page (/admin/parameters), its script (assets/admin.js),
### and the page an admin page shows to someone who is not the site's admin.

admin-title = 파라미터 관리
# Where the page is; $site is the site's name.
admin-crumb = { $site } · 서비스설정 › 고급 설정
admin-lead = 상담 시 필요한 고객 유입 정보를 매칭하여 설정합니다.
admin-intro = 파라미터는 채팅 URL 뒤에 붙이는 '변수'로, 고객이 채팅 버튼을 눌러 들어올 때 함께 전달되어 [채팅] › [고객정보]에 표시됩니다. 설치에는 개발자 작업이 필요합니다.
admin-toc = 이 페이지의 구역
admin-toc-urls = 채팅 URL
admin-save = 저장

## Fixed parameters.

admin-fixed-title = 고정 파라미터
admin-fixed-intro = 고정 파라미터 변수명을 쓰면 [고객정보] › 기본 정보와 상담방 정보에 자동으로 들어갑니다. 같은 변수가 다시 들어오면 가장 최근 값으로 바뀌고, 빈 값은 기존 값을 지우지 않습니다. 고정 파라미터는 채팅 URL을 복사한 뒤 직접 붙여 주세요.
admin-fixed-table = 고정 파라미터 표
admin-col-group = 값 구분
admin-col-variable = 변수
admin-col-name = 이름
admin-col-type = 데이터 타입
admin-col-length = 데이터 길이
admin-col-input = 입력 가능
admin-col-example = 데이터 샘플
admin-col-meaning = 설명
admin-input-yes = 예
admin-input-no = 아니요 (출력 전용)
admin-group-customer = 고객
admin-group-room = 대화방
admin-group-verification = 검증

# One message per fixed parameter: its name; .meaning, and .example where the sample is words.
admin-fixed-site_uid = 회원 고유 식별번호 (ID)
    .meaning = 회원을 식별하는 값(로그인 ID, 회원 번호 등). 같은 ID로 들어온 모든 채널의 상담이 하나의 고객정보로 연동됩니다. ID가 없으면 빈 값으로 보내세요(undefined 등은 무시됩니다).
admin-fixed-cus_extra_username = 고객 이름
    .example = 홍길동
    .meaning = 고객정보의 이름
admin-fixed-cus_extra_phone = 고객 전화번호
    .meaning = 고객정보의 '전화'(수정 가능). 본인 인증된 '휴대폰'과는 별개입니다.
admin-fixed-cus_extra_email = 고객 이메일
    .meaning = 고객정보의 이메일
# $max is the length a custom parameter keeps.
admin-fixed-user_parameter = 사용자변수
    .meaning = 커스텀 작업 시 자유롭게 활용 ({ $max }자가 넘는 값에 사용)
admin-fixed-category_id = 상담분류번호(대분류)
    .meaning = 상담 분류의 대분류 id (웹채팅 v2에서는 categoryID)
admin-fixed-division_id = 상담분류번호(중분류)
    .meaning = 상담 분류의 중분류 id (웹채팅 v2에서는 divisionID)
admin-fixed-category_name = 상담분류명(대분류)
    .example = 상품문의
    .meaning = 대분류 이름. 출력 전용(제목 메시지, 리포트)
admin-fixed-division_name = 상담분류명(중분류)
    .example = 일반상담
    .meaning = 중분류 이름. 출력 전용(제목 메시지, 리포트)
admin-fixed-bot_start = 챗봇으로 시작
    .meaning = true이면 상담원 대신 챗봇으로 상담을 시작합니다 (카카오톡: &bot_start=true)
admin-fixed-site_uid_hash = ID 서명
    .type = String (16진수)
    .meaning = site_uid를 사이트 시크릿으로 HMAC-SHA256 한 값(소문자 16진수). 일치하면 ID가 인증됩니다. 사이트 서버에서 계산하세요.

admin-channels-title = 채널별 쓰는 법
admin-channels-intro = 여러 파라미터는 카카오톡 채널은 &, 웹채팅 v2는 params= 뒤에 쉼표(,), 네이버 톡톡은 |로 구분합니다. 한글 값은 인코딩해서 넣으세요.
# The stand-ins for each channel's chat URL in the examples.
admin-example-kakao = 카카오톡채팅URL
admin-example-webchat_v2 = 웹채팅v2채팅URL
admin-example-naver = 네이버톡톡채팅URL
admin-example-webchat_v1 = 웹채팅v1채팅URL
# The placeholders of the example URLs (an integrator replaces them with the customer's values).
admin-example-uid = 고객ID
admin-example-name = 고객이름
admin-example-phone = 전화번호
admin-no-id-note = ID가 없는 고객은 site_uid를 빈 값으로 보내세요. undefined 같은 임의의 값은 'ID 없음'으로 처리되어 여러 고객이 하나로 합쳐지지 않습니다.

## Custom parameters.

admin-custom-title = 커스텀 파라미터
# $slots is how many custom slots there are; $max the length a value keeps.
admin-custom-intro = 고정 파라미터에 없는 값은 parameter1~parameter{ $slots }에 받습니다. 사용에 체크하고 설명을 입력하면, 설명이 상담원 화면과 리포트의 이름이 되고 채팅 URL에 자동으로 붙습니다. 값은 { $max }자까지 저장됩니다(더 긴 값은 user_parameter를 쓰세요).
admin-col-enabled = 사용
admin-col-description = 파라미터 설명
admin-slot-enabled = 사용
admin-slot-description = 설명
admin-slot-placeholder = 예: 유입경로
admin-save-custom = 커스텀 파라미터

## Chat URLs and the button source.

admin-urls-title = 채팅 URL 복사
admin-urls-intro = 사용 중인 커스텀 파라미터가 자리표시자로 붙어 있습니다. {"{"}…{"}"} 부분을 고객의 값으로 바꿔 주세요. 고정 파라미터는 복사한 뒤 직접 추가합니다.
admin-copy = 복사
admin-channel-kakao = 카카오톡 채널
admin-channel-webchat_v1 = 웹채팅 v1
admin-channel-webchat_v2 = 웹채팅 v2
admin-channel-naver = 네이버 톡톡
admin-url-hint-kakao-missing = 아래 '채널 주소'에 카카오톡 채널 채팅 URL을 저장하면 만들어집니다.
admin-url-hint-naver-missing = 아래 '채널 주소'에 네이버 톡톡 URL을 저장하면 만들어집니다.
admin-url-hint-kakao = 파라미터는 &로 구분합니다. 예: &site_uid={"{"}고객ID{"}"}
admin-url-hint-webchat_v1 = ID를 넘기려면 is_login=Y&uid={"{"}고객ID{"}"}로 바꾸세요. ID가 없으면 is_login=N&uid= 그대로 둡니다.
admin-url-hint-webchat_v2 = params= 뒤에 쉼표로 구분합니다. 예: site_uid=('고객ID')
admin-url-hint-naver = 파라미터는 |로 구분합니다. 예: |site_uid={"{"}고객ID{"}"}
admin-snippet-title = 웹채팅 v2 채팅 버튼 소스
admin-snippet-help = 페이지의 </body> 앞에 붙여 넣으세요. 쓰려는 파라미터 줄의 // 를 지우고 값을 넣으면 됩니다. 여러 파라미터는 쉼표로 구분됩니다.
# The comments inside the chat button source (what the integrator reads while pasting it).
snippet-comment-heading = 상담 채팅 버튼 (웹채팅 v2)
snippet-comment-fixed = 호스팅 쇼핑몰 연동 값입니다. 이 줄들은 수정하거나 지우지 마세요.
snippet-comment-do-not-edit = 수정 금지
snippet-comment-optional = 쓰려는 파라미터 줄 앞의 // 를 지우고 값을 넣으세요.
admin-copy-source = 소스 복사
admin-frames-title = 채팅 창을 띄울 수 있는 사이트
admin-frames-help = 채팅 버튼은 사이트 페이지 안에 채팅 창을 프레임으로 엽니다. 브라우저는 여기에 등록된 사이트에서만 채팅 창을 보여 줍니다(Sangdam 자체 페이지는 항상 가능). 한 줄에 하나씩 http:// 또는 https://와 호스트, 기본 포트가 아니면 포트까지만 경로 없이 입력하세요. 예: https://shop.example.com. 한글 도메인은 xn--로 시작하는 형태로 입력합니다. 최대 { $max-frame-origins }개까지 등록할 수 있습니다.
admin-frames-label = 사이트 주소(오리진)
admin-save-frames = 채팅 창을 띄울 수 있는 사이트
admin-bases-title = 채널 주소
admin-bases-help = 카카오톡 채널과 네이버 톡톡의 채팅 URL은 각 플랫폼에서 받은 주소를 넣어 주세요. 웹채팅 URL은 Sangdam이 만듭니다.
admin-kakao-base = 카카오톡 채널 채팅 URL
admin-naver-base = 네이버 톡톡 URL
admin-save-bases = 채널 주소

## Messenger webhooks and their channel keys.

admin-webhooks-title = 메신저 웹훅
admin-webhooks-intro = 카카오 i 오픈빌더의 스킬 URL과 네이버 톡톡 파트너센터의 웹훅 URL에 아래 주소를 그대로 넣으세요. 주소 끝의 key(채널 키)가 없거나 틀린 요청은 거절되어(401) 아무것도 저장되거나 전달되지 않습니다. 키가 알려졌다면 재발급하세요.
admin-webhooks-reveal = 주소 보기
admin-webhooks-hide = 숨기기
admin-webhook-kakao = 카카오 오픈빌더 스킬 URL
admin-webhook-kakao-hint = 오픈빌더 › 스킬 › 스킬 서버 URL에 붙여 넣습니다(헤더 X-Sangdam-Channel-Key로 키를 보내도 됩니다).
admin-webhook-naver = 네이버 톡톡 웹훅 URL
admin-webhook-naver-hint = 톡톡 파트너센터 › 개발자도구 › 챗봇 API › Webhook URL에 붙여 넣습니다.
admin-webhook-rotate = 키 재발급
admin-webhook-grace = 이전 키 유지
admin-webhook-grace-none = 즉시 폐기
admin-webhook-grace-hour = 1시간
admin-webhook-grace-day = 1일
admin-webhook-grace-week = 7일
admin-webhook-previous = 이전 키는 { $until }까지 받습니다.
admin-webhook-rotate-confirm = { $platform } 채널 키를 재발급할까요? 새 주소를 플랫폼 설정에 넣어야 하며, 이전 주소는 선택한 기간이 지나면 거절됩니다.
admin-webhook-rotated = 재발급했습니다. 새 주소를 플랫폼 설정에 붙여 넣으세요.

## ID verification.

admin-identity-title = ID 인증
admin-identity-intro = 채팅 URL의 site_uid는 누구나 바꿔 넣을 수 있습니다. 사이트 서버가 site_uid_hash(사이트 시크릿으로 만든 site_uid의 HMAC-SHA256, 소문자 16진수)를 함께 보내면 인증된 ID로 표시됩니다. 인증되지 않은 ID로 들어온 고객에게는 이전 상담 내용이 보이지 않습니다.
admin-secret-title = 사이트 시크릿
admin-secret-hidden = 숨겨져 있습니다
admin-secret-reveal = 보기
admin-secret-hide = 숨기기
admin-secret-rotate = 재발급
admin-secret-help = 사이트 서버에만 보관하세요. 재발급하면 이전 시크릿으로 만든 해시는 즉시 인증되지 않습니다.
admin-secret-rotate-confirm = 사이트 시크릿을 재발급할까요? 이전 시크릿으로 만든 site_uid_hash는 즉시 검증되지 않습니다. 사이트 서버의 시크릿도 바꿔야 합니다.
admin-require-verified = 인증된 ID만 사용
admin-require-verified-help = 켜면 site_uid_hash가 맞지 않는 site_uid는 쓰지 않습니다(고객정보에 연동되지 않고 경고로 남습니다). 끄면 연동하되 상담원에게 '미인증'으로 표시합니다.
admin-sentinels = 'ID 없음'으로 볼 값
admin-sentinels-help = site_uid가 이 값이면 ID가 없는 것으로 봅니다(대소문자 무시). 한 줄에 하나 또는 쉼표로 구분, { $max-sentinels }개까지, 각 { $max-sentinel-chars }자까지.
admin-save-identity = ID 인증
admin-hash-title = site_uid_hash 계산 (테스트용)
admin-hash-compute = 계산
admin-hash-help = 현재 사이트 시크릿으로 계산합니다. 입력한 그대로(공백 포함) 계산합니다.

## Consultation-info URL.

admin-template-title = 상담정보 URL
admin-template-intro = 상담원이 상담방에서 여는 링크입니다(예: 자사 CRM의 회원 화면). 변수는 [ ]로 묶어 쓰고, 값은 인코딩되어 들어갑니다.
admin-template-label = 상담정보 URL 템플릿
admin-template-help = 비워 두고 저장하면 링크를 쓰지 않습니다. 쓸 수 있는 변수는 아래에 있습니다.
admin-vars-title = 사용할 수 있는 변수
admin-save-template = 상담정보 URL

## Said by the script.

admin-status-saved = 저장되었습니다.
admin-status-saving = 저장 중…
admin-status-not-saved = 저장하지 못했습니다. 표시된 항목을 고쳐 주세요.
# $reason is the server's answer.
admin-status-failed = 요청이 실패했습니다: { $reason }
admin-status-login-again = 로그인이 만료되었습니다. 다시 로그인해 주세요.
admin-status-not-allowed = 관리자만 변경할 수 있습니다.
admin-status-copied = 복사되었습니다.
admin-status-selected = 선택되었습니다. Ctrl+C(⌘C)로 복사하세요.
admin-status-nothing-to-copy = 복사할 내용이 없습니다.
admin-status-rotated = 새 시크릿이 발급되었습니다. 이전 시크릿으로 만든 해시는 더 이상 인증되지 않습니다.
# Before the hash the helper computed; $uid is the site_uid it was computed for.
admin-status-hash-for = { $uid }의 site_uid_hash:

## Beside a refused field, by the error's code; $values names what was refused.

admin-err-description_required = 사용하는 파라미터에는 설명을 입력해야 합니다.
admin-err-description_too_long = 설명은 { $max-description }자까지 입력할 수 있습니다.
admin-err-invalid_description = 설명에 쓸 수 없는 문자가 있습니다.
admin-err-sentinel_too_long = 값 하나는 { $max-sentinel-chars }자까지입니다: { $values }
admin-err-too_many_sentinels = 값은 { $max-sentinels }개까지 입력할 수 있습니다.
admin-err-invalid_sentinel = 쓸 수 없는 문자가 있습니다.
admin-err-unknown_template_variable = 알 수 없는 변수입니다: { $values }
admin-err-template_not_http = http:// 또는 https://로 시작해야 합니다.
admin-err-template_variable_in_host = 변수는 경로, 쿼리, 프래그먼트에만 쓸 수 있습니다. 주소(호스트)는 고정해 주세요.
admin-err-template_too_long = { $max-url }자를 넘을 수 없습니다.
admin-err-invalid_template = 쓸 수 없는 문자가 있습니다.
admin-err-invalid_url = http:// 또는 https://로 시작하는 공백 없는 주소를 입력하세요.
admin-err-url_too_long = { $max-url }자를 넘을 수 없습니다.
admin-err-invalid_frame_origin = 사이트 주소가 아닙니다: { $values }. http:// 또는 https://와 호스트(및 포트)만 입력하세요. 예: https://shop.example.com
admin-err-too_many_frame_origins = 사이트는 최대 { $max-frame-origins }개까지 등록할 수 있습니다.
admin-err-invalid_site_uid = site_uid를 입력하세요.
admin-err-too_long = site_uid는 { $max-site-uid }자까지입니다.

## What an admin page says to someone logged in who is not the site's admin.

admin-forbidden-title = 권한이 없습니다
admin-forbidden-back = 상담 콘솔로 돌아가기
admin-forbidden-parameters = 파라미터 관리는 사이트 관리자만 할 수 있습니다.
