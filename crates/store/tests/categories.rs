//! A site's category tree in the store, on both backends: each change applied and read back
//! as the tree rules say, a refused one changing nothing, one site's tree never another's.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use inflow::Settings;
use sangdam_core::CategoryId;
use sangdam_core::category::{Edit, Tree};
use store::testing::TestDb;
use store::{Backend, Store, StoreError};

fn names(tree: &Tree) -> Vec<(String, Option<i64>, i64, bool, bool)> {
    tree.nodes()
        .iter()
        .map(|n| {
            (
                n.name.clone(),
                n.parent.map(CategoryId::get),
                n.position,
                n.used,
                n.is_default,
            )
        })
        .collect()
}

/// The tree's changes on both backends: each applied and read back as the rules say, a
/// refused one changing nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tree_changes_in_transactions() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(db) = TestDb::fresh(backend).await else {
            continue;
        };
        let store = Store::connect(&db.url).await.unwrap();
        let site = store
            .create_site("s", "secret", &Settings::default(), 1)
            .await
            .unwrap()
            .id;
        let other = store
            .create_site("o", "secret", &Settings::default(), 1)
            .await
            .unwrap()
            .id;
        let a = store.add_category(site, None, "상품문의", 2).await.unwrap();
        let b = store
            .add_category(site, None, " 배송문의 ", 2)
            .await
            .unwrap();
        let a1 = store
            .add_category(site, Some(a.id), "일반상담", 2)
            .await
            .unwrap();
        assert_eq!((b.name.as_str(), b.position), ("배송문의", 1));
        assert_eq!(a1.parent, Some(a.id));
        // Another site's tree is its own: the same names, and no parent from here.
        store
            .add_category(other, None, "상품문의", 2)
            .await
            .unwrap();
        let refused = store.add_category(other, Some(a.id), "x", 2).await;
        assert!(matches!(refused, Err(StoreError::Rule(_))), "{refused:?}");

        let edit = |used, default| Edit {
            name: None,
            used,
            default,
        };
        store
            .edit_category(site, a.id, &edit(None, Some(true)), 3)
            .await
            .unwrap();
        let tree = store.move_category(site, b.id, 0, 4).await.unwrap();
        assert_eq!(
            names(&tree),
            [
                ("배송문의".to_owned(), None, 0, true, false),
                ("상품문의".to_owned(), None, 1, true, true),
                ("일반상담".to_owned(), Some(a.id.get()), 0, true, false),
            ]
        );
        // The default moves in one transaction (the index allows one at a time).
        let tree = store
            .edit_category(site, b.id, &edit(None, Some(true)), 5)
            .await
            .unwrap();
        assert_eq!(tree.default_category().map(|n| n.id), Some(b.id));
        // Off takes the divisions along; a refused edit changes nothing.
        let tree = store
            .edit_category(site, a.id, &edit(Some(false), None), 6)
            .await
            .unwrap();
        assert!(
            tree.nodes()
                .iter()
                .filter(|n| n.id != b.id)
                .all(|n| !n.used)
        );
        let before = store.category_tree(site).await.unwrap();
        let refused = store
            .edit_category(site, a1.id, &edit(Some(true), None), 7)
            .await;
        assert!(matches!(refused, Err(StoreError::Rule(_))), "{refused:?}");
        assert_eq!(store.category_tree(site).await.unwrap(), before);
        // A node of another site is none of this one's.
        let theirs = store.category_tree(other).await.unwrap().nodes()[0].id;
        assert!(matches!(
            store.move_category(site, theirs, 0, 8).await,
            Err(StoreError::NotFound("category"))
        ));
        store.close().await;
        db.remove().await;
    }
}
