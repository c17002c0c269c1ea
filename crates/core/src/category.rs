//! Consultation categories (R3.2): a site's two-level tree (category → division), what may
//! change in it, and how an inflow's `category_id` / `division_id` classify a consultation.
//!
//! The tree rules:
//! - a name has 1 to [`MAX_CATEGORY_NAME_CHARS`] characters (trimmed, counted in characters,
//!   no control characters) and is unique among its siblings;
//! - a division belongs to exactly one category, and a division has no divisions;
//! - nothing is ever deleted (consultations point at it): a node is switched to unused;
//!   switching a category off switches its divisions off, and a division cannot be switched on
//!   (nor added) under an unused category;
//! - siblings have the positions 0, 1, 2 … (the order agents and the admin see);
//! - the site's default category: at most one, a used category (a flag on the node, so the
//!   tree holds it). The default cannot be switched off; the admin chooses another, or none,
//!   first.
//!
//! Classifying an inflow ([`classify`]): a used category and a used division of it give both;
//! a division that is unknown, unused or of another category gives the category alone, with a
//! warning; an unknown or unused category gives the site's default category, with a warning;
//! a division alone gives its own category when that is used; nothing gives the default.
//!
//! Agents then change a consultation's category and division and give it a free-text
//! sub-label of at most [`MAX_SUB_LABEL_CHARS`] characters ([`reclassify`]), or send it back to
//! distribution into another category ([`send_back_to`]).

use inflow::{Warning, WarningCode};

use crate::error::CoreError;
use crate::ids::CategoryId;

/// Longest category or division name, in characters.
pub const MAX_CATEGORY_NAME_CHARS: usize = 15;
/// Longest sub-label an agent gives a consultation, in characters.
pub const MAX_SUB_LABEL_CHARS: usize = 8;

/// One node of a site's tree: a category (no parent) or a division of one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub id: CategoryId,
    /// The category a division belongs to; `None` for a category.
    pub parent: Option<CategoryId>,
    pub name: String,
    /// Its place among its siblings, from 0.
    pub position: i64,
    pub used: bool,
    /// Whether it is the site's default category.
    pub is_default: bool,
}

impl Node {
    pub fn is_category(&self) -> bool {
        self.parent.is_none()
    }
}

/// A site's whole tree, used and unused.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tree {
    /// Categories first, then divisions by category; each group by position.
    nodes: Vec<Node>,
}

impl Tree {
    pub fn new(mut nodes: Vec<Node>) -> Tree {
        nodes.sort_by_key(|n| (n.parent.map_or(0, CategoryId::get), n.position, n.id));
        Tree { nodes }
    }

    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    pub fn get(&self, id: CategoryId) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// The node of an id as an inflow writes it (any non-negative integer).
    fn find(&self, id: u64) -> Option<&Node> {
        i64::try_from(id)
            .ok()
            .and_then(|id| self.get(CategoryId::new(id)))
    }

    /// The categories, in order.
    pub fn categories(&self) -> impl Iterator<Item = &Node> {
        self.siblings(None)
    }

    /// The divisions of `category`, in order.
    pub fn divisions(&self, category: CategoryId) -> impl Iterator<Item = &Node> {
        self.siblings(Some(category))
    }

    fn siblings(&self, parent: Option<CategoryId>) -> impl Iterator<Item = &Node> {
        self.nodes.iter().filter(move |n| n.parent == parent)
    }

    /// The site's default category (always a used one).
    pub fn default_category(&self) -> Option<&Node> {
        self.nodes
            .iter()
            .find(|n| n.is_default && n.is_category() && n.used)
    }

    /// The name of a node.
    pub fn name(&self, id: CategoryId) -> Option<&str> {
        self.get(id).map(|n| n.name.as_str())
    }

    /// The tree with `changed` nodes replacing theirs.
    fn with(&self, changed: &[Node]) -> Tree {
        let nodes = self
            .nodes
            .iter()
            .map(|n| changed.iter().find(|c| c.id == n.id).unwrap_or(n).clone())
            .collect();
        Tree::new(nodes)
    }

    /// The nodes of `self` that differ from `before`'s.
    fn changed_since(&self, before: &Tree) -> Vec<Node> {
        self.nodes
            .iter()
            .filter(|n| before.get(n.id) != Some(*n))
            .cloned()
            .collect()
    }
}

fn has_control(s: &str) -> bool {
    s.chars().any(char::is_control)
}

/// A category or division name as it is stored: trimmed, 1 to [`MAX_CATEGORY_NAME_CHARS`]
/// characters, no control characters.
pub fn check_name(given: &str) -> Result<String, CoreError> {
    let name = given.trim();
    if name.is_empty() {
        return Err(CoreError::InvalidCategoryName("a name is required".into()));
    }
    let chars = name.chars().count();
    if chars > MAX_CATEGORY_NAME_CHARS {
        return Err(CoreError::CategoryNameTooLong { chars });
    }
    if has_control(name) {
        return Err(CoreError::InvalidCategoryName(
            "a name contains a control character".into(),
        ));
    }
    Ok(name.to_owned())
}

/// A sub-label as it is stored: trimmed, at most [`MAX_SUB_LABEL_CHARS`] characters, no
/// control characters; empty is none.
pub fn check_sub_label(given: Option<&str>) -> Result<Option<String>, CoreError> {
    let label = given.map(str::trim).unwrap_or_default();
    if label.is_empty() {
        return Ok(None);
    }
    let chars = label.chars().count();
    if chars > MAX_SUB_LABEL_CHARS {
        return Err(CoreError::SubLabelTooLong { chars });
    }
    if has_control(label) {
        return Err(CoreError::InvalidSubLabel);
    }
    Ok(Some(label.to_owned()))
}

/// A node to add, as it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNode {
    pub parent: Option<CategoryId>,
    pub name: String,
    /// After its siblings.
    pub position: i64,
    pub used: bool,
}

fn refuse_duplicate(
    tree: &Tree,
    parent: Option<CategoryId>,
    name: &str,
    except: Option<CategoryId>,
) -> Result<(), CoreError> {
    if tree
        .siblings(parent)
        .any(|n| n.name == name && Some(n.id) != except)
    {
        return Err(CoreError::DuplicateCategoryName(name.to_owned()));
    }
    Ok(())
}

/// The category `id` names for `field`: one of the tree, and a category.
fn category_of<'t>(
    tree: &'t Tree,
    id: CategoryId,
    field: &'static str,
) -> Result<&'t Node, CoreError> {
    let node = tree.get(id).ok_or(CoreError::UnknownCategory {
        field,
        id: id.get(),
    })?;
    if !node.is_category() {
        return Err(CoreError::NotACategory {
            field,
            id: id.get(),
        });
    }
    Ok(node)
}

/// Adds a category (`parent` none) or a division of `parent`, used, after its siblings.
pub fn plan_add(tree: &Tree, parent: Option<CategoryId>, name: &str) -> Result<NewNode, CoreError> {
    let name = check_name(name)?;
    if let Some(p) = parent {
        let category = category_of(tree, p, "parent_id")?;
        if !category.used {
            return Err(CoreError::CategoryUnused {
                field: "parent_id",
                id: p.get(),
            });
        }
    }
    refuse_duplicate(tree, parent, &name, None)?;
    let position = i64::try_from(tree.siblings(parent).count()).unwrap_or(i64::MAX);
    Ok(NewNode {
        parent,
        name,
        position,
        used: true,
    })
}

/// What an edit of one node asks for; `None` leaves a part as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Edit {
    pub name: Option<String>,
    pub used: Option<bool>,
    /// Make it the default category (`true`), or stop it being the default (`false`).
    pub default: Option<bool>,
}

/// The nodes an edit of `id` changes, as they become (none when it changes nothing). The parts
/// apply in the order that lets one edit do what a person means by it: the default given up,
/// the name, the switch, the default taken — so `{used: false, default: false}` switches the
/// default off, and `{used: true, default: true}` switches an unused category on and makes it
/// the default.
pub fn plan_edit(tree: &Tree, id: CategoryId, edit: &Edit) -> Result<Vec<Node>, CoreError> {
    let node = tree.get(id).ok_or(CoreError::UnknownCategory {
        field: "id",
        id: id.get(),
    })?;
    let mut now = tree.clone();
    if edit.default == Some(false) && node.is_default {
        now = now.with(&[Node {
            is_default: false,
            ..node.clone()
        }]);
    }
    if let Some(name) = &edit.name {
        let name = check_name(name)?;
        if name != node.name {
            refuse_duplicate(&now, node.parent, &name, Some(id))?;
            let mut renamed = now.get(id).cloned().unwrap_or_else(|| node.clone());
            renamed.name = name;
            now = now.with(&[renamed]);
        }
    }
    if let Some(used) = edit.used {
        now = now.with(&switch(&now, id, used)?);
    }
    if edit.default == Some(true) {
        now = now.with(&make_default(&now, id)?);
    }
    Ok(now.changed_since(tree))
}

/// Switching `id` on or off: the nodes that change.
fn switch(tree: &Tree, id: CategoryId, used: bool) -> Result<Vec<Node>, CoreError> {
    let Some(node) = tree.get(id) else {
        return Err(CoreError::UnknownCategory {
            field: "id",
            id: id.get(),
        });
    };
    if node.used == used {
        return Ok(Vec::new());
    }
    let mut changed = vec![Node {
        used,
        ..node.clone()
    }];
    match (node.parent, used) {
        (None, false) => {
            if node.is_default {
                return Err(CoreError::CategoryIsDefault(id.get()));
            }
            changed.extend(tree.divisions(id).filter(|d| d.used).map(|d| Node {
                used: false,
                ..d.clone()
            }));
        }
        (Some(parent), true) => {
            if !tree.get(parent).is_some_and(|p| p.used) {
                return Err(CoreError::CategoryUnused {
                    field: "used",
                    id: parent.get(),
                });
            }
        }
        // A category switched on keeps its divisions as they are (off): the admin chooses
        // which to bring back. A division switched off is only itself.
        (None, true) | (Some(_), false) => {}
    }
    Ok(changed)
}

/// Making `id` the default category: it, and the former default.
fn make_default(tree: &Tree, id: CategoryId) -> Result<Vec<Node>, CoreError> {
    let node = category_of(tree, id, "default")?;
    if !node.used {
        return Err(CoreError::CategoryUnused {
            field: "default",
            id: id.get(),
        });
    }
    let mut changed: Vec<Node> = tree
        .nodes
        .iter()
        .filter(|n| n.is_default && n.id != id)
        .map(|n| Node {
            is_default: false,
            ..n.clone()
        })
        .collect();
    if !node.is_default {
        changed.push(Node {
            is_default: true,
            ..node.clone()
        });
    }
    Ok(changed)
}

/// Moving `id` to `position` among its siblings (0 first): the nodes whose position changes.
pub fn plan_move(tree: &Tree, id: CategoryId, position: i64) -> Result<Vec<Node>, CoreError> {
    let node = tree.get(id).ok_or(CoreError::UnknownCategory {
        field: "id",
        id: id.get(),
    })?;
    let mut siblings: Vec<&Node> = tree.siblings(node.parent).collect();
    let last = i64::try_from(siblings.len()).unwrap_or(i64::MAX) - 1;
    if !(0..=last).contains(&position) {
        return Err(CoreError::InvalidPosition { position, last });
    }
    siblings.retain(|n| n.id != id);
    let at = usize::try_from(position).unwrap_or(siblings.len());
    siblings.insert(at.min(siblings.len()), node);
    Ok(siblings
        .into_iter()
        .zip(0..)
        .filter(|(n, p)| n.position != *p)
        .map(|(n, position)| Node {
            position,
            ..n.clone()
        })
        .collect())
}

/// How an inflow classifies its consultation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classification {
    pub category: Option<CategoryId>,
    pub division: Option<CategoryId>,
    /// Whether the inflow's own ids chose the category (rather than the default, or nothing):
    /// an inflow joining an open consultation changes its classification only then.
    pub chosen: bool,
    /// What did not go in as written.
    pub warning: Option<Warning>,
}

impl Classification {
    fn fallback(tree: &Tree, warning: Option<Warning>) -> Classification {
        Classification {
            category: tree.default_category().map(|n| n.id),
            division: None,
            chosen: false,
            warning,
        }
    }
}

/// What the consultation gets instead, for a warning's sentence.
fn instead(tree: &Tree) -> String {
    match tree.default_category() {
        Some(d) => format!("the consultation takes the default category {:?}", d.name),
        None => "the consultation has no category (the site has no default category)".to_owned(),
    }
}

/// Classifies a consultation by an inflow's `category_id` and `division_id` (see the module's
/// rules).
pub fn classify(tree: &Tree, category_id: Option<u64>, division_id: Option<u64>) -> Classification {
    let division = division_id.map(|d| (d, tree.find(d).filter(|n| !n.is_category())));
    let Some(category_id) = category_id else {
        return match division {
            None => Classification::fallback(tree, None),
            Some((given, found)) => {
                let parent = found.and_then(|d| d.parent).and_then(|p| tree.get(p));
                match (found, parent) {
                    (Some(d), Some(c)) if d.used && c.used => Classification {
                        category: Some(c.id),
                        division: Some(d.id),
                        chosen: true,
                        warning: None,
                    },
                    _ => {
                        let (code, why) = match found {
                            None => (WarningCode::Unknown, "names no division of this site"),
                            Some(d) if !d.used => (WarningCode::Unused, "is a division not in use"),
                            Some(_) => (WarningCode::Unused, "is of a category not in use"),
                        };
                        let detail = format!("division_id {given} {why}; {}", instead(tree));
                        Classification::fallback(
                            tree,
                            Some(Warning::new("division_id", code, detail)),
                        )
                    }
                }
            }
        };
    };
    let category = tree.find(category_id).filter(|n| n.is_category());
    let Some(category) = category.filter(|c| c.used) else {
        let (code, why) = match category {
            None => (WarningCode::Unknown, "names no category of this site"),
            Some(_) => (WarningCode::Unused, "is a category not in use"),
        };
        let also = match division {
            Some((d, _)) => format!(" (division_id {d} is not used either)"),
            None => String::new(),
        };
        let detail = format!("category_id {category_id} {why}; {}{also}", instead(tree));
        return Classification::fallback(tree, Some(Warning::new("category_id", code, detail)));
    };
    let chosen = |division: Option<CategoryId>, warning: Option<Warning>| Classification {
        category: Some(category.id),
        division,
        chosen: true,
        warning,
    };
    match division {
        None => chosen(None, None),
        Some((_, Some(d))) if d.parent == Some(category.id) && d.used => chosen(Some(d.id), None),
        Some((given, found)) => {
            let (code, why) = match found {
                None => (
                    WarningCode::Unknown,
                    "names no division of this site".to_owned(),
                ),
                Some(d) if d.parent != Some(category.id) => (
                    WarningCode::Mismatch,
                    format!(
                        "is a division of another category, not of {:?}",
                        category.name
                    ),
                ),
                Some(_) => (WarningCode::Unused, "is a division not in use".to_owned()),
            };
            let detail = format!(
                "division_id {given} {why}; the consultation takes the category {:?} alone",
                category.name
            );
            chosen(None, Some(Warning::new("division_id", code, detail)))
        }
    }
}

/// A consultation's classification as an agent sets it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Classified {
    pub category: Option<CategoryId>,
    pub division: Option<CategoryId>,
    pub sub_label: Option<String>,
}

/// An agent sets a consultation's category, division and sub-label (all three; none clears
/// one). A division alone gives its own category. A category or division that is not in use
/// is refused unless it is the one the consultation already has (switching a category off
/// later does not lock its consultations' other fields).
pub fn reclassify(
    tree: &Tree,
    current: (Option<CategoryId>, Option<CategoryId>),
    category: Option<CategoryId>,
    division: Option<CategoryId>,
    sub_label: Option<&str>,
) -> Result<Classified, CoreError> {
    let sub_label = check_sub_label(sub_label)?;
    let division = match division {
        None => None,
        Some(id) => {
            let d = tree.get(id).ok_or(CoreError::UnknownCategory {
                field: "division_id",
                id: id.get(),
            })?;
            if d.is_category() {
                return Err(CoreError::NotADivision(id.get()));
            }
            if !d.used && current.1 != Some(id) {
                return Err(CoreError::CategoryUnused {
                    field: "division_id",
                    id: id.get(),
                });
            }
            Some(d)
        }
    };
    let category = match (category, division) {
        (None, None) => None,
        (None, Some(d)) => d.parent,
        (Some(c), _) => Some(c),
    };
    if let Some(c) = category {
        let node = category_of(tree, c, "category_id")?;
        if !node.used && current.0 != Some(c) {
            return Err(CoreError::CategoryUnused {
                field: "category_id",
                id: c.get(),
            });
        }
        if let Some(d) = division
            && d.parent != Some(c)
        {
            return Err(CoreError::DivisionNotOfCategory {
                division: d.id.get(),
                category: c.get(),
            });
        }
    }
    Ok(Classified {
        category,
        division: division.map(|d| d.id),
        sub_label,
    })
}

/// Where a consultation its holder sends back to distribution goes: into `category` and
/// `division`, checked as [`reclassify`] checks an agent's choice. A category chosen without a
/// division keeps the consultation's division when it is the category the consultation has,
/// and takes none otherwise (a division belongs to one category). Neither chosen: it stays as
/// it is. Answers the category and division it goes into; its sub-label is not part of it.
pub fn send_back_to(
    tree: &Tree,
    current: (Option<CategoryId>, Option<CategoryId>),
    category: Option<CategoryId>,
    division: Option<CategoryId>,
) -> Result<(Option<CategoryId>, Option<CategoryId>), CoreError> {
    if category.is_none() && division.is_none() {
        return Ok(current);
    }
    let division = match (category, division) {
        (Some(c), None) if Some(c) == current.0 => current.1,
        _ => division,
    };
    let to = reclassify(tree, current, category, division, None)?;
    Ok((to.category, to.division))
}

#[cfg(test)]
mod tests;
