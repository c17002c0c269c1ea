//! Live signals of a consultation: who is typing (published, never stored) and read marks
//! (stored, then published), which give the chat window its "read" marks and the console its
//! unread counts.

use sangdam_core::{Action, ConsultationId, MessageId};
use store::{AgentRecord, ConsultationRecord, Reader, StoreError, VisitorRecord};

use crate::Services;
use crate::error::AppError;
use crate::events::{Event, Side};

fn not_of_it(e: StoreError) -> AppError {
    match e {
        StoreError::NotFound(_) => AppError::NotFound("message"),
        other => other.into(),
    }
}

impl Services {
    /// An agent who may handle the consultation (its holder, a manager, the admin) has read
    /// it up to message `up_to`. Answers the consultation as it now is.
    pub async fn agent_read(
        &self,
        agent: &AgentRecord,
        id: ConsultationId,
        up_to: i64,
    ) -> Result<ConsultationRecord, AppError> {
        let c = self.consultation_for(agent, id, Action::Handle).await?;
        match self
            .store
            .mark_read(c.id, Reader::Agent, up_to)
            .await
            .map_err(not_of_it)?
        {
            Some(moved) => {
                self.publish([read_event(&moved, Side::Agent, up_to)]);
                Ok(moved)
            }
            None => Ok(c),
        }
    }

    /// The customer's window has shown every message up to `up_to`, one it sees.
    pub async fn customer_read(&self, v: &VisitorRecord, up_to: i64) -> Result<(), AppError> {
        let m = match self.store.message(MessageId::new(up_to)).await {
            Ok(m) if Self::visitor_sees(v, &m) => m,
            Ok(_) => return Err(AppError::NotFound("message")),
            Err(e) => return Err(not_of_it(e)),
        };
        if let Some(moved) = self
            .store
            .mark_read(m.consultation_id, Reader::Customer, up_to)
            .await
            .map_err(not_of_it)?
        {
            self.publish([read_event(&moved, Side::Customer, up_to)]);
        }
        Ok(())
    }

    /// An agent who may handle the open consultation starts or stops typing in it.
    pub async fn agent_typing(
        &self,
        agent: &AgentRecord,
        id: ConsultationId,
        typing: bool,
    ) -> Result<(), AppError> {
        let c = self.consultation_for(agent, id, Action::Handle).await?;
        if c.state.is_open() {
            self.publish([Event::Typing {
                site_id: c.site_id,
                room_id: c.room_id,
                consultation_id: c.id,
                side: Side::Agent,
                agent_id: Some(agent.id),
                agent_name: Some(agent.display_name.clone()),
                typing,
            }]);
        }
        Ok(())
    }

    /// The customer starts or stops typing in their window's open consultation (nothing when
    /// none is open yet: the first message opens it).
    pub async fn customer_typing(&self, v: &VisitorRecord, typing: bool) -> Result<(), AppError> {
        let Some(c) = self.store.open_consultation(v.room_id).await? else {
            return Ok(());
        };
        if !v.verified && v.consultation_id != Some(c.id) {
            return Ok(());
        }
        self.publish([Event::Typing {
            site_id: c.site_id,
            room_id: c.room_id,
            consultation_id: c.id,
            side: Side::Customer,
            agent_id: None,
            agent_name: None,
            typing,
        }]);
        Ok(())
    }
}

fn read_event(c: &ConsultationRecord, side: Side, up_to: i64) -> Event {
    Event::Read {
        site_id: c.site_id,
        room_id: c.room_id,
        consultation_id: c.id,
        side,
        up_to,
    }
}
