//! A wallet's cards (R5.3): one payment card and up to two backups, tried in that order when
//! a charge fails; each person registers at most ten cards.

use serde::{Deserialize, Serialize};

use crate::error::BillingError;
use crate::ids::CardId;

/// The most cards one person registers.
pub const MAX_CARDS_PER_PERSON: usize = 10;
/// The most backup cards one wallet holds.
pub const MAX_BACKUP_CARDS: usize = 2;
/// The most payment cards one wallet holds.
pub const MAX_PAYMENT_CARDS: usize = 1;

/// A card's place in a wallet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CardSlot {
    /// Charged first.
    Payment,
    /// Tried when the cards before it fail, in the order they were added.
    Backup,
}

impl CardSlot {
    /// The stable snake_case code (the serde form too).
    pub const fn code(self) -> &'static str {
        match self {
            CardSlot::Payment => "payment",
            CardSlot::Backup => "backup",
        }
    }

    pub fn parse(code: &str) -> Option<CardSlot> {
        match code {
            "payment" => Some(CardSlot::Payment),
            "backup" => Some(CardSlot::Backup),
            _ => None,
        }
    }
}

/// A card as a wallet holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WalletCard {
    pub id: CardId,
    pub slot: CardSlot,
    /// When it took its slot (ms since the Unix epoch).
    pub added_at: i64,
    /// Whether it can be charged: a deleted or expired card cannot.
    pub usable: bool,
}

/// The cards a charge tries, in order: the payment card, then the backups in the order they
/// were added (then by lower id). Unusable cards are left out.
pub fn charge_order(cards: &[WalletCard]) -> Vec<CardId> {
    let mut usable: Vec<&WalletCard> = cards.iter().filter(|c| c.usable).collect();
    usable.sort_by_key(|c| (c.slot != CardSlot::Payment, c.added_at, c.id));
    usable.into_iter().map(|c| c.id).collect()
}

/// Whether a wallet's cards fit its slots. Only usable cards hold a slot: a deleted or expired
/// card is never charged again, so it does not keep a new card out.
pub fn check_slots(cards: &[WalletCard]) -> Result<(), BillingError> {
    let count = |slot| cards.iter().filter(|c| c.usable && c.slot == slot).count();
    if count(CardSlot::Payment) > MAX_PAYMENT_CARDS {
        return Err(BillingError::TooManyPaymentCards);
    }
    if count(CardSlot::Backup) > MAX_BACKUP_CARDS {
        return Err(BillingError::TooManyBackupCards);
    }
    Ok(())
}

/// Whether a person may hold `count_after_adding` registered cards.
pub fn check_person_cards(count_after_adding: usize) -> Result<(), BillingError> {
    if count_after_adding > MAX_CARDS_PER_PERSON {
        Err(BillingError::TooManyCards {
            max: MAX_CARDS_PER_PERSON,
        })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(id: i64, slot: CardSlot, added_at: i64, usable: bool) -> WalletCard {
        WalletCard {
            id: CardId::new(id),
            slot,
            added_at,
            usable,
        }
    }

    fn ids(order: Vec<CardId>) -> Vec<i64> {
        order.into_iter().map(CardId::get).collect()
    }

    #[test]
    fn the_payment_card_then_backups_by_age() {
        let cards = [
            card(5, CardSlot::Backup, 300, true),
            card(7, CardSlot::Backup, 100, true),
            card(9, CardSlot::Payment, 500, true),
        ];
        assert_eq!(ids(charge_order(&cards)), [9, 7, 5]);
    }

    #[test]
    fn backups_added_together_go_by_id() {
        let cards = [
            card(8, CardSlot::Backup, 100, true),
            card(3, CardSlot::Backup, 100, true),
        ];
        assert_eq!(ids(charge_order(&cards)), [3, 8]);
    }

    #[test]
    fn unusable_cards_are_not_tried() {
        let cards = [
            card(1, CardSlot::Payment, 0, false),
            card(2, CardSlot::Backup, 10, true),
            card(3, CardSlot::Backup, 5, false),
        ];
        assert_eq!(ids(charge_order(&cards)), [2]);
        assert!(charge_order(&[]).is_empty());
    }

    #[test]
    fn slots_are_limited() {
        let full = [
            card(1, CardSlot::Payment, 0, true),
            card(2, CardSlot::Backup, 0, true),
            card(3, CardSlot::Backup, 0, true),
        ];
        assert_eq!(check_slots(&full), Ok(()));
        let mut three_backups = full.to_vec();
        three_backups.push(card(4, CardSlot::Backup, 0, true));
        assert_eq!(
            check_slots(&three_backups),
            Err(BillingError::TooManyBackupCards)
        );
        let mut two_payment = full.to_vec();
        two_payment.push(card(4, CardSlot::Payment, 0, true));
        assert_eq!(
            check_slots(&two_payment),
            Err(BillingError::TooManyPaymentCards)
        );
        // An expired backup does not hold its slot.
        let mut expired = full.to_vec();
        expired[2].usable = false;
        expired.push(card(4, CardSlot::Backup, 0, true));
        assert_eq!(check_slots(&expired), Ok(()));
    }

    #[test]
    fn ten_cards_a_person() {
        assert_eq!(check_person_cards(MAX_CARDS_PER_PERSON), Ok(()));
        assert_eq!(check_person_cards(1), Ok(()));
        assert_eq!(
            check_person_cards(MAX_CARDS_PER_PERSON + 1),
            Err(BillingError::TooManyCards { max: 10 })
        );
    }

    #[test]
    fn slot_codes_round_trip() {
        for slot in [CardSlot::Payment, CardSlot::Backup] {
            assert_eq!(CardSlot::parse(slot.code()), Some(slot));
        }
        assert_eq!(CardSlot::parse("primary"), None);
    }
}
