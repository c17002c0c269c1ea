### What the messenger adapters send to customers or record in a room (Kakao, Naver).

# Answer to a customer message while the consultation waits for an agent.
channel-waiting = We are connecting you with an agent. Please wait a moment.
# Answer to a customer message once an agent has the consultation.
channel-received = Your message has been passed on to an agent.
# Recorded in the room when the customer leaves the chat.
channel-left = The customer left the chat.
# Recorded when the customer adds the channel as a friend, or removes it.
channel-friend-on = The customer added the channel as a friend.
channel-friend-off = The customer removed the channel from their friends.
# Recorded when the conversation's control moves; $control is the platform's word for the new holder.
channel-handover = Conversation control changed: { $control }
# An image the customer sent, recorded with its address.
channel-image = [Image] { $url }
# A file an agent sent to a messenger customer: its name and the link it opens from (a day).
channel-file = [File] { $name }
    { $url }
# The same when the server has no public address to link to.
channel-file-unlinked = [File] { $name } (ask the agent for another way to receive it.)

channel-rating-thanks = Thank you for your rating.
# The chatbot handed the customer to an agent (said in the consultation).
bot-handed-off = We are connecting you to an agent. Please wait a moment.
# The customer sent what a plugin's step asked for (the profile form, their location).
bot-plugin-received = Thank you, we have received it.
