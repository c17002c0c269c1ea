### What the messenger adapters send to customers or record in a room (Kakao, Naver).

# Answer to a customer message while the consultation waits for an agent.
channel-waiting = 상담원 연결을 기다리고 있습니다. 잠시만 기다려 주세요.
# Answer to a customer message once an agent has the consultation.
channel-received = 메시지가 상담원에게 전달되었습니다.
# Recorded in the room when the customer leaves the chat.
channel-left = 고객이 채팅방을 나갔습니다.
# Recorded when the customer adds the channel as a friend, or removes it.
channel-friend-on = 고객이 친구로 추가했습니다.
channel-friend-off = 고객이 친구를 해제했습니다.
# Recorded when the conversation's control moves; $control is the platform's word for the new holder.
channel-handover = 대화 제어권 변경: { $control }
# An image the customer sent, recorded with its address.
channel-image = [이미지] { $url }
# A file an agent sent to a messenger customer: its name and the link it opens from (a day).
channel-file = [파일] { $name }
    { $url }
# The same when the server has no public address to link to.
channel-file-unlinked = [파일] { $name } (상담원에게 다른 방법으로 받을 수 있는지 문의해 주세요.)

channel-rating-thanks = 평가해 주셔서 감사합니다.
# The chatbot handed the customer to an agent (said in the consultation).
bot-handed-off = 상담원에게 연결해 드릴게요. 잠시만 기다려 주세요.
# The customer sent what a plugin's step asked for (the profile form, their location).
bot-plugin-received = 보내 주셔서 감사합니다. 잘 받았어요.
