use super::*;

/// The tree most tests use (the default category is 1):
///
/// ```text
/// 1 상품문의 (used, default)   11 일반상담 (used)   12 교환반품 (unused)
/// 2 배송문의 (used)            21 배송지연 (used)
/// 3 이벤트   (unused)          31 지난행사 (unused)
/// ```
fn tree() -> Tree {
    let node = |id: i64, parent: Option<i64>, name: &str, position, used, is_default| Node {
        id: CategoryId::new(id),
        parent: parent.map(CategoryId::new),
        name: name.to_owned(),
        position,
        used,
        is_default,
    };
    Tree::new(vec![
        node(21, Some(2), "배송지연", 0, true, false),
        node(3, None, "이벤트", 2, false, false),
        node(12, Some(1), "교환반품", 1, false, false),
        node(1, None, "상품문의", 0, true, true),
        node(31, Some(3), "지난행사", 0, false, false),
        node(11, Some(1), "일반상담", 0, true, false),
        node(2, None, "배송문의", 1, true, false),
    ])
}

fn id(n: i64) -> CategoryId {
    CategoryId::new(n)
}

fn without_default() -> Tree {
    let nodes = tree()
        .nodes()
        .iter()
        .map(|n| Node {
            is_default: false,
            ..n.clone()
        })
        .collect();
    Tree::new(nodes)
}

/// `(id, field changed)` rows of a change, to compare with a table: what each changed node
/// now is, as `(id, name, position, used, is_default)`.
type Row = (i64, &'static str, i64, bool, bool);

fn rows(changed: &[Node]) -> Vec<(i64, String, i64, bool, bool)> {
    let mut out: Vec<_> = changed
        .iter()
        .map(|n| (n.id.get(), n.name.clone(), n.position, n.used, n.is_default))
        .collect();
    out.sort();
    out
}

fn want(rows: &[Row]) -> Vec<(i64, String, i64, bool, bool)> {
    let mut out: Vec<_> = rows
        .iter()
        .map(|&(id, name, position, used, is_default)| {
            (id, name.to_owned(), position, used, is_default)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn the_tree_is_in_order() {
    let t = tree();
    let names = |it: &mut dyn Iterator<Item = &Node>| -> Vec<String> {
        it.map(|n| n.name.clone()).collect()
    };
    assert_eq!(
        names(&mut t.categories()),
        ["상품문의", "배송문의", "이벤트"]
    );
    assert_eq!(names(&mut t.divisions(id(1))), ["일반상담", "교환반품"]);
    assert_eq!(names(&mut t.divisions(id(2))), ["배송지연"]);
    assert!(t.divisions(id(11)).next().is_none());
    assert_eq!(t.default_category().map(|n| n.id), Some(id(1)));
    assert_eq!(without_default().default_category(), None);
    assert_eq!(t.name(id(21)), Some("배송지연"));
    assert_eq!(t.name(id(99)), None);
    // A default flag on an unused category (never stored so) is no default.
    let odd = Tree::new(vec![Node {
        id: id(5),
        parent: None,
        name: "x".into(),
        position: 0,
        used: false,
        is_default: true,
    }]);
    assert_eq!(odd.default_category(), None);
}

#[test]
fn names_are_one_to_fifteen_characters() {
    let fifteen = "가".repeat(MAX_CATEGORY_NAME_CHARS);
    let cases: Vec<(String, Result<&str, &str>)> = vec![
        ("상품문의".into(), Ok("상품문의")),
        ("  배송 문의 ".into(), Ok("배송 문의")),
        (fifteen.clone(), Ok(fifteen.as_str())),
        (format!(" {fifteen} "), Ok(fifteen.as_str())),
        // Counted in characters: fifteen Hangul syllables are 45 bytes.
        ("a".repeat(15), Ok("aaaaaaaaaaaaaaa")),
        ("가".repeat(16), Err("category_name_too_long")),
        ("a".repeat(16), Err("category_name_too_long")),
        (String::new(), Err("invalid_category_name")),
        ("   ".into(), Err("invalid_category_name")),
        ("a\tb".into(), Err("invalid_category_name")),
        ("a\u{7}".into(), Err("invalid_category_name")),
        ("a\nb".into(), Err("invalid_category_name")),
    ];
    for (given, expected) in cases {
        let got = check_name(&given);
        match expected {
            Ok(name) => assert_eq!(got, Ok(name.to_owned()), "{given:?}"),
            Err(code) => assert_eq!(got.map_err(|e| e.code()), Err(code), "{given:?}"),
        }
    }
    assert_eq!(
        check_name(&"가".repeat(16)),
        Err(CoreError::CategoryNameTooLong { chars: 16 })
    );
}

#[test]
fn sub_labels_are_at_most_eight_characters() {
    type Case = (
        Option<&'static str>,
        Result<Option<&'static str>, &'static str>,
    );
    let cases: [Case; 9] = [
        (None, Ok(None)),
        (Some(""), Ok(None)),
        (Some("   "), Ok(None)),
        (Some("VIP"), Ok(Some("VIP"))),
        (Some(" 재문의 "), Ok(Some("재문의"))),
        (Some("가나다라마바사아"), Ok(Some("가나다라마바사아"))),
        (Some("가나다라마바사아자"), Err("sub_label_too_long")),
        (Some("123456789"), Err("sub_label_too_long")),
        (Some("a\u{0}b"), Err("invalid_sub_label")),
    ];
    for (given, expected) in cases {
        let got = check_sub_label(given).map_err(|e| e.code());
        assert_eq!(got, expected.map(|o| o.map(str::to_owned)), "{given:?}");
    }
}

#[test]
fn adding_follows_the_tree_rules() {
    let t = tree();
    // (parent, name, what is added as (parent, name, position) or the refusal's code)
    type Case = (
        Option<i64>,
        &'static str,
        Result<(Option<i64>, &'static str, i64), &'static str>,
    );
    let cases: [Case; 11] = [
        (None, "결제문의", Ok((None, "결제문의", 3))),
        (None, " 결제문의 ", Ok((None, "결제문의", 3))),
        (Some(1), "불량", Ok((Some(1), "불량", 2))),
        (Some(2), "파손", Ok((Some(2), "파손", 1))),
        // Names are unique among siblings, whether used or not; elsewhere they may repeat.
        (None, "상품문의", Err("duplicate_category_name")),
        (None, "이벤트", Err("duplicate_category_name")),
        (Some(1), "교환반품", Err("duplicate_category_name")),
        (Some(2), "일반상담", Ok((Some(2), "일반상담", 1))),
        // Two levels only, under a used category that exists.
        (Some(11), "세부", Err("not_a_category")),
        (Some(3), "새행사", Err("category_unused")),
        (Some(99), "세부", Err("unknown_category")),
    ];
    for (parent, name, expected) in cases {
        let got = plan_add(&t, parent.map(id), name)
            .map(|n| (n.parent.map(CategoryId::get), n.name, n.position, n.used))
            .map_err(|e| e.code());
        let expected = expected.map(|(p, n, pos)| (p, n.to_owned(), pos, true));
        assert_eq!(got, expected, "{parent:?} {name:?}");
    }
    assert_eq!(
        plan_add(&t, None, &"가".repeat(16)).map_err(|e| e.code()),
        Err("category_name_too_long")
    );
    assert_eq!(
        plan_add(&t, Some(id(99)), "x"),
        Err(CoreError::UnknownCategory {
            field: "parent_id",
            id: 99
        })
    );
    // The first node of an empty tree.
    assert_eq!(
        plan_add(&Tree::default(), None, "첫분류").map(|n| n.position),
        Ok(0)
    );
}

#[test]
fn every_edit_changes_what_the_rules_say() {
    let t = tree();
    let edit = |name: Option<&str>, used: Option<bool>, default: Option<bool>| Edit {
        name: name.map(str::to_owned),
        used,
        default,
    };
    type Case = (i64, Edit, Result<Vec<Row>, &'static str>);
    let cases: Vec<Case> = vec![
        // Nothing asked, or what already is: no change.
        (1, edit(None, None, None), Ok(vec![])),
        (
            1,
            edit(Some("상품문의"), Some(true), Some(true)),
            Ok(vec![]),
        ),
        (2, edit(None, None, Some(false)), Ok(vec![])),
        (3, edit(None, Some(false), None), Ok(vec![])),
        // Renaming.
        (
            2,
            edit(Some(" 배송 "), None, None),
            Ok(vec![(2, "배송", 1, true, false)]),
        ),
        (
            11,
            edit(Some("일반"), None, None),
            Ok(vec![(11, "일반", 0, true, false)]),
        ),
        (
            2,
            edit(Some("상품문의"), None, None),
            Err("duplicate_category_name"),
        ),
        (
            11,
            edit(Some("교환반품"), None, None),
            Err("duplicate_category_name"),
        ),
        (2, edit(Some(""), None, None), Err("invalid_category_name")),
        (
            2,
            edit(Some("가나다라마바사아자차카타파하가나"), None, None),
            Err("category_name_too_long"),
        ),
        // A category switched off takes its used divisions with it.
        (
            2,
            edit(None, Some(false), None),
            Ok(vec![
                (2, "배송문의", 1, false, false),
                (21, "배송지연", 0, false, false),
            ]),
        ),
        // … unless it is the default, which is given up first.
        (1, edit(None, Some(false), None), Err("category_is_default")),
        (
            1,
            edit(None, Some(false), Some(false)),
            Ok(vec![
                (1, "상품문의", 0, false, false),
                (11, "일반상담", 0, false, false),
            ]),
        ),
        // A category switched on comes back alone; its divisions stay off.
        (
            3,
            edit(None, Some(true), None),
            Ok(vec![(3, "이벤트", 2, true, false)]),
        ),
        // A division switched on needs its category in use.
        (
            12,
            edit(None, Some(true), None),
            Ok(vec![(12, "교환반품", 1, true, false)]),
        ),
        (31, edit(None, Some(true), None), Err("category_unused")),
        (
            21,
            edit(None, Some(false), None),
            Ok(vec![(21, "배송지연", 0, false, false)]),
        ),
        // The default: one used category; the former default gives it up.
        (
            2,
            edit(None, None, Some(true)),
            Ok(vec![
                (1, "상품문의", 0, true, false),
                (2, "배송문의", 1, true, true),
            ]),
        ),
        (
            1,
            edit(None, None, Some(false)),
            Ok(vec![(1, "상품문의", 0, true, false)]),
        ),
        (3, edit(None, None, Some(true)), Err("category_unused")),
        (11, edit(None, None, Some(true)), Err("not_a_category")),
        (
            3,
            edit(Some("행사"), Some(true), Some(true)),
            Ok(vec![
                (1, "상품문의", 0, true, false),
                (3, "행사", 2, true, true),
            ]),
        ),
        (
            3,
            edit(None, Some(false), Some(true)),
            Err("category_unused"),
        ),
        (99, edit(None, Some(true), None), Err("unknown_category")),
    ];
    for (node, e, expected) in cases {
        let got = plan_edit(&t, id(node), &e)
            .map(|c| rows(&c))
            .map_err(|e| e.code());
        assert_eq!(got, expected.map(|r| want(&r)), "{node} {e:?}");
    }
}

#[test]
fn at_most_one_default_after_any_edit() {
    let t = tree();
    for node in t.nodes() {
        for used in [None, Some(true), Some(false)] {
            for default in [None, Some(true), Some(false)] {
                let e = Edit {
                    name: None,
                    used,
                    default,
                };
                if let Ok(changed) = plan_edit(&t, node.id, &e) {
                    let after = t.with(&changed);
                    let defaults: Vec<_> = after.nodes().iter().filter(|n| n.is_default).collect();
                    assert!(defaults.len() <= 1, "{node:?} {e:?}");
                    assert!(
                        defaults.iter().all(|d| d.used && d.is_category()),
                        "{node:?} {e:?}"
                    );
                    // No used division under an unused category.
                    for d in after.nodes().iter().filter(|n| !n.is_category() && n.used) {
                        let parent = d.parent.and_then(|p| after.get(p));
                        assert!(parent.is_some_and(|p| p.used), "{node:?} {e:?}: {d:?}");
                    }
                }
            }
        }
    }
}

#[test]
fn moving_renumbers_the_siblings() {
    let t = tree();
    // (node, to, the positions that change as (id, position), or the refusal's code)
    type Case = (i64, i64, Result<&'static [(i64, i64)], &'static str>);
    let cases: [Case; 10] = [
        (1, 0, Ok(&[])),
        (1, 1, Ok(&[(1, 1), (2, 0)])),
        (1, 2, Ok(&[(1, 2), (2, 0), (3, 1)])),
        (3, 0, Ok(&[(1, 1), (2, 2), (3, 0)])),
        (2, 2, Ok(&[(2, 2), (3, 1)])),
        (12, 0, Ok(&[(11, 1), (12, 0)])),
        (21, 0, Ok(&[])),
        (1, 3, Err("invalid_position")),
        (21, 1, Err("invalid_position")),
        (1, -1, Err("invalid_position")),
    ];
    for (node, to, expected) in cases {
        let got = plan_move(&t, id(node), to)
            .map(|c| {
                let mut p: Vec<_> = c.iter().map(|n| (n.id.get(), n.position)).collect();
                p.sort_unstable();
                p
            })
            .map_err(|e| e.code());
        assert_eq!(got, expected.map(<[_]>::to_vec), "{node} → {to}");
    }
    assert_eq!(
        plan_move(&t, id(1), 3),
        Err(CoreError::InvalidPosition {
            position: 3,
            last: 2
        })
    );
    assert_eq!(
        plan_move(&t, id(99), 0).map_err(|e| e.code()),
        Err("unknown_category")
    );
}

/// What a classification came to: (category, division, chosen, warning as (param, code)).
type Outcome = (
    Option<i64>,
    Option<i64>,
    bool,
    Option<(&'static str, &'static str)>,
);

fn outcome(c: &Classification) -> Outcome {
    (
        c.category.map(CategoryId::get),
        c.division.map(CategoryId::get),
        c.chosen,
        c.warning.as_ref().map(|w| {
            let param: &'static str = if w.param == "category_id" {
                "category_id"
            } else {
                "division_id"
            };
            (param, w.code.as_str())
        }),
    )
}

/// Every kind of category id an inflow may bring, against every kind of division id.
#[test]
fn every_inflow_classifies_as_the_rules_say() {
    let t = tree();
    const C: &str = "category_id";
    const D: &str = "division_id";
    // Division ids, in the columns' order: none, used of 1, unused of 1, used of 2, unused of
    // (unused) 3, a category's id, unknown.
    let divisions = [
        None,
        Some(11),
        Some(12),
        Some(21),
        Some(31),
        Some(1),
        Some(99),
    ];
    let default = |w: Option<(&'static str, &'static str)>| (Some(1), None, false, w);
    #[rustfmt::skip]
    let table: [(Option<u64>, [Outcome; 7]); 6] = [
        // Nothing, or a division alone: the division's own category when usable.
        (None, [
            default(None),
            (Some(1), Some(11), true, None),
            default(Some((D, "unused"))),
            (Some(2), Some(21), true, None),
            default(Some((D, "unused"))),
            default(Some((D, "unknown"))),
            default(Some((D, "unknown"))),
        ]),
        // A used category: with its used division, else alone.
        (Some(1), [
            (Some(1), None, true, None),
            (Some(1), Some(11), true, None),
            (Some(1), None, true, Some((D, "unused"))),
            (Some(1), None, true, Some((D, "mismatch"))),
            (Some(1), None, true, Some((D, "mismatch"))),
            (Some(1), None, true, Some((D, "unknown"))),
            (Some(1), None, true, Some((D, "unknown"))),
        ]),
        // An unused category: the default, whatever the division.
        (Some(3), [default(Some((C, "unused"))); 7]),
        // A division's id given as the category, an unknown one, one no tree can hold.
        (Some(11), [default(Some((C, "unknown"))); 7]),
        (Some(99), [default(Some((C, "unknown"))); 7]),
        (Some(u64::MAX), [default(Some((C, "unknown"))); 7]),
    ];
    for (category, row) in table {
        for (division, want) in divisions.iter().zip(row) {
            let division = division.map(|d: i64| d as u64);
            let got = classify(&t, category, division);
            assert_eq!(
                outcome(&got),
                want,
                "category {category:?}, division {division:?}"
            );
        }
    }
    // The other used category with its own division.
    assert_eq!(
        outcome(&classify(&t, Some(2), Some(21))),
        (Some(2), Some(21), true, None)
    );
}

#[test]
fn without_a_default_a_fallback_is_no_category() {
    let t = without_default();
    let cases: [(Option<u64>, Option<u64>, Outcome); 5] = [
        (None, None, (None, None, false, None)),
        (Some(1), None, (Some(1), None, true, None)),
        (
            Some(99),
            None,
            (None, None, false, Some(("category_id", "unknown"))),
        ),
        (
            Some(3),
            Some(31),
            (None, None, false, Some(("category_id", "unused"))),
        ),
        (
            None,
            Some(12),
            (None, None, false, Some(("division_id", "unused"))),
        ),
    ];
    for (c, d, want) in cases {
        assert_eq!(outcome(&classify(&t, c, d)), want, "{c:?} {d:?}");
    }
    let empty = Tree::default();
    assert_eq!(
        outcome(&classify(&empty, None, None)),
        (None, None, false, None)
    );
    assert_eq!(
        outcome(&classify(&empty, Some(7), Some(8))),
        (None, None, false, Some(("category_id", "unknown")))
    );
}

#[test]
fn warnings_say_what_happened_instead() {
    let t = tree();
    let detail = |c, d| {
        classify(&t, c, d)
            .warning
            .map(|w| w.detail)
            .unwrap_or_default()
    };
    assert_eq!(
        detail(Some(99), None),
        "category_id 99 names no category of this site; the consultation takes the default \
         category \"상품문의\""
    );
    assert_eq!(
        detail(Some(3), Some(31)),
        "category_id 3 is a category not in use; the consultation takes the default category \
         \"상품문의\" (division_id 31 is not used either)"
    );
    assert_eq!(
        detail(Some(1), Some(21)),
        "division_id 21 is a division of another category, not of \"상품문의\"; the \
         consultation takes the category \"상품문의\" alone"
    );
    assert_eq!(
        classify(&without_default(), Some(99), None)
            .warning
            .map(|w| w.detail),
        Some(
            "category_id 99 names no category of this site; the consultation has no category \
             (the site has no default category)"
                .into()
        )
    );
}

#[test]
fn agents_reclassify_within_the_used_tree() {
    let t = tree();
    type Case = (
        (Option<i64>, Option<i64>),
        Option<i64>,
        Option<i64>,
        Option<&'static str>,
        Result<(Option<i64>, Option<i64>, Option<&'static str>), &'static str>,
    );
    let none = (None, None);
    let cases: [Case; 15] = [
        (none, None, None, None, Ok((None, None, None))),
        (
            none,
            Some(1),
            None,
            Some("VIP"),
            Ok((Some(1), None, Some("VIP"))),
        ),
        (none, Some(1), Some(11), None, Ok((Some(1), Some(11), None))),
        // A division alone brings its category.
        (none, None, Some(21), None, Ok((Some(2), Some(21), None))),
        (
            none,
            Some(2),
            Some(11),
            None,
            Err("division_not_of_category"),
        ),
        (none, Some(11), None, None, Err("not_a_category")),
        (none, None, Some(1), None, Err("not_a_division")),
        (none, Some(99), None, None, Err("unknown_category")),
        (none, None, Some(99), None, Err("unknown_category")),
        (none, Some(3), None, None, Err("category_unused")),
        (none, Some(1), Some(12), None, Err("category_unused")),
        (
            none,
            Some(1),
            None,
            Some("가나다라마바사아자"),
            Err("sub_label_too_long"),
        ),
        // What the consultation already has stays allowed after it is switched off.
        (
            (Some(3), Some(31)),
            Some(3),
            Some(31),
            Some("x"),
            Ok((Some(3), Some(31), Some("x"))),
        ),
        (
            (Some(3), None),
            Some(3),
            Some(31),
            None,
            Err("category_unused"),
        ),
        (
            (Some(1), Some(12)),
            Some(1),
            Some(12),
            None,
            Ok((Some(1), Some(12), None)),
        ),
    ];
    for (current, category, division, label, expected) in cases {
        let got = reclassify(
            &t,
            (current.0.map(id), current.1.map(id)),
            category.map(id),
            division.map(id),
            label,
        )
        .map(|c| {
            (
                c.category.map(CategoryId::get),
                c.division.map(CategoryId::get),
                c.sub_label,
            )
        })
        .map_err(|e| e.code());
        let expected = expected.map(|(c, d, l)| (c, d, l.map(str::to_owned)));
        assert_eq!(
            got, expected,
            "{current:?} {category:?} {division:?} {label:?}"
        );
    }
}

#[test]
fn refusals_name_their_field() {
    let t = tree();
    let field =
        |e: Result<NewNode, CoreError>| e.err().and_then(|e| e.field_name().map(str::to_owned));
    assert_eq!(
        field(plan_add(&t, Some(id(3)), "x")).as_deref(),
        Some("parent_id")
    );
    assert_eq!(field(plan_add(&t, None, "")).as_deref(), Some("name"));
    let e = reclassify(&t, (None, None), Some(id(3)), None, None).err();
    assert_eq!(
        e.as_ref().and_then(CoreError::field_name),
        Some("category_id")
    );
    let e = reclassify(&t, (None, None), None, None, Some("가나다라마바사아자")).err();
    assert_eq!(
        e.as_ref().and_then(CoreError::field_name),
        Some("sub_label")
    );
}

#[test]
fn a_consultation_sent_back_goes_into_the_chosen_category() {
    let t = tree();
    type Case = (
        (Option<i64>, Option<i64>),
        Option<i64>,
        Option<i64>,
        Result<(Option<i64>, Option<i64>), &'static str>,
    );
    let goods = (Some(1), Some(11));
    let cases: [Case; 12] = [
        // Nothing chosen: it stays as it is, also in a category switched off since.
        (goods, None, None, Ok((Some(1), Some(11)))),
        ((Some(3), Some(31)), None, None, Ok((Some(3), Some(31)))),
        // Another category alone: its division cannot come along.
        (goods, Some(2), None, Ok((Some(2), None))),
        (goods, Some(2), Some(21), Ok((Some(2), Some(21)))),
        // The same category alone keeps the division, even one switched off since.
        (goods, Some(1), None, Ok((Some(1), Some(11)))),
        ((Some(1), Some(12)), Some(1), None, Ok((Some(1), Some(12)))),
        // A division alone brings its category.
        ((None, None), None, Some(21), Ok((Some(2), Some(21)))),
        (goods, Some(2), Some(11), Err("division_not_of_category")),
        (goods, Some(21), None, Err("not_a_category")),
        (goods, None, Some(2), Err("not_a_division")),
        (goods, Some(99), None, Err("unknown_category")),
        (goods, Some(3), None, Err("category_unused")),
    ];
    for (current, category, division, expected) in cases {
        let got = send_back_to(
            &t,
            (current.0.map(id), current.1.map(id)),
            category.map(id),
            division.map(id),
        )
        .map(|(c, d)| (c.map(CategoryId::get), d.map(CategoryId::get)))
        .map_err(|e| e.code());
        assert_eq!(got, expected, "{current:?} {category:?} {division:?}");
    }
}
