//! Consultation categories (R3.2) as the application uses them: the site's tree, which its
//! admin builds (add, rename, reorder, switch, choose the default); the classification agents
//! give a consultation (category, division, sub-label); and the title message a consultation
//! opens with, rendered from the site's template and sent to the customer the way an agent's
//! reply travels.
//!
//! An inflow's `category_id` / `division_id` are classified where they reach the
//! consultation, inside the store's inflow transaction (`store::rooms`), by
//! [`sangdam_core::category::classify`]; the warning it gives is recorded with the inflow.

use inflow::{Custom, TitleTemplate, Var};
use protocol::kakao::limits as kakao_limits;
use protocol::naver::limits as naver_limits;
use sangdam_core::category::{Edit, Node, Tree};
use sangdam_core::{Action, AuditAction, CategoryId, ConsultationId};
use serde_json::json;
use store::{AgentRecord, ConsultationRecord, Sender};

use crate::Services;
use crate::access::admin_only;
use crate::error::AppError;
use crate::events::Event;
use crate::webchat::MAX_MESSAGE_CHARS;

/// The longest title message: one text a Kakao skill response carries whole, which a Naver
/// text and a chat message hold too.
pub const TITLE_MAX_CHARS: usize = {
    let a = kakao_limits::SIMPLE_TEXT_MAX;
    let b = naver_limits::TEXT_MAX;
    let least = if a < b { a } else { b };
    if least < MAX_MESSAGE_CHARS {
        least
    } else {
        MAX_MESSAGE_CHARS
    }
};

/// What a title message may say of a consultation: its number, its classification, and the
/// values the customer's own inflows brought.
#[derive(Debug, Clone, Copy)]
pub struct TitleValues<'a> {
    pub consultation: ConsultationId,
    pub category: Option<CategoryId>,
    pub division: Option<CategoryId>,
    pub user_parameter: Option<&'a str>,
    pub custom: &'a Custom,
    /// The customer's name as their own inflow gave it (never the profile's).
    pub name: Option<&'a str>,
}

impl<'a> TitleValues<'a> {
    pub fn of(c: &'a ConsultationRecord, name: Option<&'a str>) -> Self {
        TitleValues {
            consultation: c.id,
            category: c.category_id,
            division: c.division_id,
            user_parameter: c.user_parameter.as_deref(),
            custom: &c.custom,
            name,
        }
    }
}

/// What a title message says: the template with the consultation's values (the names of its
/// category and division in `tree`), trimmed and cut to [`TITLE_MAX_CHARS`]. Empty: nothing
/// to send.
pub fn render_title(template: &TitleTemplate, tree: &Tree, v: &TitleValues<'_>) -> String {
    let id = |v: Option<CategoryId>| v.map(|v| v.to_string());
    let (category_id, division_id, consultation_id) =
        (id(v.category), id(v.division), v.consultation.to_string());
    let text = template.render(|var| match var {
        Var::CategoryName => v.category.and_then(|id| tree.name(id)),
        Var::DivisionName => v.division.and_then(|id| tree.name(id)),
        Var::CategoryId => category_id.as_deref(),
        Var::DivisionId => division_id.as_deref(),
        Var::CusExtraUsername => v.name,
        Var::UserParameter => v.user_parameter,
        Var::Custom(slot) => v.custom.get(&slot).map(String::as_str),
        Var::ConsultationId => Some(consultation_id.as_str()),
        // Not a title's variables (refused when the template is saved).
        _ => None,
    });
    text.trim().chars().take(TITLE_MAX_CHARS).collect()
}

impl Services {
    /// The site's tree, used and unused, for any account of the site (agents classify with
    /// it; the admin edits it).
    pub async fn category_tree(&self, agent: &AgentRecord) -> Result<Tree, AppError> {
        Ok(self.store.category_tree(agent.site_id).await?)
    }

    /// The admin adds a category (`parent` none) or a division of `parent`.
    pub async fn add_category(
        &self,
        agent: &AgentRecord,
        parent: Option<CategoryId>,
        name: &str,
    ) -> Result<Node, AppError> {
        admin_only(agent, "manages the consultation categories")?;
        let node = self
            .store
            .add_category(agent.site_id, parent, name, self.now())
            .await?;
        tracing::info!(site = %agent.site_id, agent = %agent.id, category = %node.id,
            "category added");
        self.audit(
            agent,
            AuditAction::CategoriesChanged,
            format!("category:{}", node.id),
            json!({"added": {"name": node.name, "parent": parent}}),
        )
        .await;
        Ok(node)
    }

    /// The admin renames a node, switches it on or off, or makes or unmakes it the default.
    pub async fn edit_category(
        &self,
        agent: &AgentRecord,
        id: CategoryId,
        edit: &Edit,
    ) -> Result<Tree, AppError> {
        admin_only(agent, "manages the consultation categories")?;
        let tree = self
            .store
            .edit_category(agent.site_id, id, edit, self.now())
            .await?;
        tracing::info!(site = %agent.site_id, agent = %agent.id, category = %id, ?edit,
            "category changed");
        self.audit(
            agent,
            AuditAction::CategoriesChanged,
            format!("category:{id}"),
            json!({"edited": {"name": edit.name, "used": edit.used, "default": edit.default}}),
        )
        .await;
        Ok(tree)
    }

    /// The admin moves a node among its siblings (0 first).
    pub async fn move_category(
        &self,
        agent: &AgentRecord,
        id: CategoryId,
        position: i64,
    ) -> Result<Tree, AppError> {
        admin_only(agent, "manages the consultation categories")?;
        let tree = self
            .store
            .move_category(agent.site_id, id, position, self.now())
            .await?;
        self.audit(
            agent,
            AuditAction::CategoriesChanged,
            format!("category:{id}"),
            json!({"moved": {"position": position}}),
        )
        .await;
        Ok(tree)
    }

    /// Whoever may handle a consultation (its holder, managers, the admin) sets its category,
    /// division and sub-label, also after it closed (reports read them). The change is
    /// recorded and published like any change of the consultation.
    pub async fn classify_consultation(
        &self,
        agent: &AgentRecord,
        id: ConsultationId,
        category: Option<CategoryId>,
        division: Option<CategoryId>,
        sub_label: Option<&str>,
    ) -> Result<ConsultationRecord, AppError> {
        let c = self.consultation_for(agent, id, Action::Handle).await?;
        let c = self
            .store
            .classify_consultation(c.id, agent.id, category, division, sub_label, self.now())
            .await?;
        self.publish([Event::consultation(&c)]);
        Ok(c)
    }

    /// Sends the site's title message into a consultation that just opened, if the site has
    /// one. A failure is logged, never the customer's: their consultation is open either way.
    pub(crate) async fn send_title(&self, c: &ConsultationRecord) {
        if let Err(e) = self.title_message(c).await {
            tracing::warn!(consultation = %c.id, error = %e, "the title message was not sent");
        }
    }

    /// The customer's name as their own inflows into `c` gave it, the latest first; never the
    /// profile's: a customer whose ID is unverified must not read the name another arrival
    /// stored.
    pub(crate) async fn customer_own_name(
        &self,
        c: &ConsultationRecord,
    ) -> Result<Option<String>, AppError> {
        Ok(self
            .store
            .inflows_of_consultation(c.id)
            .await?
            .iter()
            .rev()
            .find_map(|i| {
                i.parameters["fields"]["cus_extra_username"]
                    .as_str()
                    .map(str::to_owned)
            }))
    }

    /// Stores the title message as a system message of the consultation: the chat window
    /// and the console receive it live; a Kakao user with the next skill response, a Naver user
    /// through the outbox (as agents' replies go).
    async fn title_message(&self, c: &ConsultationRecord) -> Result<(), AppError> {
        let site = self.store.site(c.site_id).await?;
        let Some(source) = site.title_template.as_deref() else {
            return Ok(());
        };
        let template = TitleTemplate::parse(source)
            .map_err(|e| AppError::Internal(format!("the stored title template: {e}")))?;
        let vars = template.variables();
        let tree = if vars.contains(&Var::CategoryName) || vars.contains(&Var::DivisionName) {
            self.store.category_tree(c.site_id).await?
        } else {
            Tree::default()
        };
        let name = if vars.contains(&Var::CusExtraUsername) {
            self.customer_own_name(c).await?
        } else {
            None
        };
        let text = render_title(&template, &tree, &TitleValues::of(c, name.as_deref()));
        if text.is_empty() {
            return Ok(());
        }
        self.write_to_customer(c, Sender::System, None, &text)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use inflow::Slot;

    use super::*;

    fn custom() -> Custom {
        let mut custom = Custom::new();
        custom.insert(Slot::new(1).unwrap(), "네이버".into());
        custom
    }

    fn values<'a>(custom: &'a Custom, name: Option<&'a str>) -> TitleValues<'a> {
        TitleValues {
            consultation: ConsultationId::new(42),
            category: Some(CategoryId::new(1)),
            division: Some(CategoryId::new(11)),
            user_parameter: Some("ORD-1"),
            custom,
            name,
        }
    }

    fn tree() -> Tree {
        let node = |id, parent: Option<i64>, name: &str| Node {
            id: CategoryId::new(id),
            parent: parent.map(CategoryId::new),
            name: name.into(),
            position: 0,
            used: true,
            is_default: false,
        };
        Tree::new(vec![
            node(1, None, "상품문의"),
            node(11, Some(1), "일반상담"),
        ])
    }

    #[test]
    fn titles_say_the_classification_and_the_customers_own_values() {
        let t = |s: &str| TitleTemplate::parse(s).unwrap();
        let custom = custom();
        let cases = [
            (
                "[[category_name]/[division_name]] 상담이 접수되었습니다",
                Some("홍길동"),
                "[상품문의/일반상담] 상담이 접수되었습니다",
            ),
            (
                "[cus_extra_username]님, 상담번호 [consultation_id] ([category_id]-[division_id])",
                Some("홍길동"),
                "홍길동님, 상담번호 42 (1-11)",
            ),
            (
                "주문 [user_parameter] · [parameter1] · [parameter2]",
                None,
                "주문 ORD-1 · 네이버 ·",
            ),
            ("  [cus_extra_username]  ", None, ""),
        ];
        for (source, name, want) in cases {
            assert_eq!(
                render_title(&t(source), &tree(), &values(&custom, name)),
                want,
                "{source}"
            );
        }
        let none = TitleValues {
            category: None,
            division: None,
            ..values(&custom, None)
        };
        assert_eq!(
            render_title(&t("[[category_name]/[division_name]] 접수"), &tree(), &none),
            "[/] 접수"
        );
    }

    #[test]
    fn titles_fit_a_messenger_text() {
        assert_eq!(TITLE_MAX_CHARS, 1000);
        let custom = custom();
        let long = "가".repeat(200);
        let v = TitleValues {
            user_parameter: Some(&long),
            ..values(&custom, None)
        };
        let source = "[user_parameter]".repeat(10);
        let text = render_title(&TitleTemplate::parse(&source).unwrap(), &tree(), &v);
        assert_eq!(text.chars().count(), TITLE_MAX_CHARS);
    }
}
