//! Typed database ids, so a room id is never passed where a site id is expected.
//!
//! The store hands these out (they are its row ids); core only carries them. `new` accepts any
//! `i64` because the store is trusted; text from outside (a URL path, a form) goes through
//! `FromStr`, which accepts only what the store can have produced: a positive decimal number.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::CoreError;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(i64);

        impl $name {
            pub const fn new(id: i64) -> Self {
                $name(id)
            }

            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl FromStr for $name {
            type Err = CoreError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                parse_positive(s).map($name)
            }
        }

        /// A positive 64-bit integer in the API's documents.
        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
                    .minimum(Some(1))
                    .into()
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }
    };
}

id_type!(
    /// One business (tenant); every record belongs to one site.
    SiteId
);
id_type!(
    /// The conversation space of one customer key.
    RoomId
);
id_type!(
    /// One session inside a room, from inflow to close.
    ConsultationId
);
id_type!(
    /// The customer information agents see; may link many rooms.
    ProfileId
);
id_type!(
    /// A person answering consultations (agent, manager or admin).
    AgentId
);
id_type!(
    /// One chat message.
    MessageId
);
id_type!(
    /// One login of an account in one browser.
    SessionId
);
id_type!(
    /// One entry of a site's audit log.
    AuditId
);
id_type!(
    /// A download of a report, written in the background.
    ExportId
);
id_type!(
    /// An image or file sent in a consultation (R3.7).
    FileId
);
id_type!(
    /// A team of agents a manager leads (R3.6).
    GroupId
);
id_type!(
    /// The person who runs the installation, above every site.
    OperatorId
);
id_type!(
    /// A site's submission of its business for verification (R6.1).
    VerificationId
);
id_type!(
    /// A node of a site's category tree: a category, or a division of one (R3.2).
    CategoryId
);

/// Plain ASCII digits only: `i64::from_str` would also take `+7`, and a leading zero or a sign
/// would give one id several spellings (and so several cache keys, several URLs).
fn parse_positive(s: &str) -> Result<i64, CoreError> {
    let invalid = || CoreError::InvalidId(s.to_owned());
    if s.is_empty() || s.starts_with('0') || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    s.parse::<i64>().map_err(|_| invalid())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_positive_decimals() {
        assert_eq!("1".parse::<SiteId>(), Ok(SiteId::new(1)));
        assert_eq!("42".parse::<RoomId>().map(RoomId::get), Ok(42));
        assert_eq!(
            i64::MAX.to_string().parse::<MessageId>(),
            Ok(MessageId::new(i64::MAX))
        );
    }

    #[test]
    fn refuses_everything_else() {
        for bad in [
            "",
            "0",
            "-1",
            "+1",
            "01",
            " 1",
            "1 ",
            "1.0",
            "1e3",
            "abc",
            "١",
            "9223372036854775808",
        ] {
            assert_eq!(
                bad.parse::<ConsultationId>(),
                Err(CoreError::InvalidId(bad.to_owned())),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn displays_and_serialises_as_the_bare_number() {
        let id = ProfileId::new(7);
        assert_eq!(id.to_string(), "7");
        assert_eq!(serde_json::to_string(&id).ok().as_deref(), Some("7"));
        assert_eq!(serde_json::from_str::<ProfileId>("7").ok(), Some(id));
        assert_eq!(i64::from(AgentId::new(3)), 3);
    }

    #[test]
    fn ordered_by_number() {
        assert!(SiteId::new(2) < SiteId::new(10));
    }

    proptest! {
        #[test]
        fn display_then_parse_round_trips(n in 1..=i64::MAX) {
            prop_assert_eq!(SiteId::new(n).to_string().parse::<SiteId>(), Ok(SiteId::new(n)));
            prop_assert_eq!(AgentId::new(n).to_string().parse::<AgentId>(), Ok(AgentId::new(n)));
        }

        #[test]
        fn non_positive_never_parses(n in i64::MIN..=0) {
            prop_assert!(n.to_string().parse::<RoomId>().is_err());
        }

        #[test]
        fn arbitrary_text_parses_only_to_its_own_spelling(s in "\\PC{0,25}") {
            if let Ok(id) = s.parse::<MessageId>() {
                prop_assert_eq!(id.to_string(), s);
            }
        }
    }
}
