//! Access to a unit on a past day: one rule on every route that shows a
//! unit as of a day (the tree page, the dashboard, the API's unit):
//! today's grants on today's tree; a unit that no longer exists is judged
//! on its successors today.

mod common;

use common::{day, fixture};
use hnd_store::{Change, Store};

hnd_store::both_backends!(past_days_are_judged_on_todays_tree_on_every_route);

async fn past_days_are_judged_on_todays_tree_on_every_route(store: Store) {
    let f = fixture(store).await;
    let store = &f.server.store;
    let who = Change::new("kiểm thử", "sắp xếp chi hội");
    // Since 01/06/2026 the branch of 00004 belongs to 00008, and 00004's
    // other branch was merged into 00008's.
    store
        .move_unit("00004-CH01", "00008", day("01/06/2026"), &who)
        .await
        .unwrap();
    store
        .merge(&["00004-X".to_string()], "00008-CH01", day("01/06/2026"), &who)
        .await
        .unwrap();

    let mut compared = Vec::new();
    for login in ["xa4", "xa8", "admin", "truong"] {
        let mut web = f.server.signed_in(login).await;
        let token = store.create_api_token(login, "kiểm thử").await.unwrap();
        let auth = format!("Bearer {token}");
        let mut api = f.server.client();
        for code in ["00004-CH01", "00004-X", "00004", "00008"] {
            for as_of in ["15/01/2026", "01/07/2026"] {
                let page = web.get(&format!("/org/{code}?as_of={as_of}")).await.status;
                let dash = web.get(&format!("/dashboard?unit={code}&as_of={as_of}")).await.status;
                let unit = api
                    .request(
                        "GET",
                        &format!("/api/v1/units/{code}?as_of={as_of}"),
                        &[("Authorization", &auth)],
                        b"",
                    )
                    .await
                    .status;
                compared.push((login, code, as_of, page, dash, unit));
            }
        }
    }
    let expect = |login: &str, code: &str, as_of: &str| -> u16 {
        // 00004-X ended on 01/06/2026: no page of it on 01/07/2026.
        if code == "00004-X" && as_of == "01/07/2026" {
            return 404;
        }
        let allowed = match (login, code) {
            ("admin", _) => true,
            // Today the branch is 00008's; the merged branch's successor too.
            ("xa8", "00004-CH01" | "00004-X" | "00008") => true,
            ("xa4", "00004") => true,
            // The branch head's grant follows the branch into 00008.
            ("truong", "00004-CH01") => true,
            _ => false,
        };
        if allowed { 200 } else { 403 }
    };
    for (login, code, as_of, page, dash, unit) in &compared {
        let want = expect(login, code, as_of);
        assert_eq!(
            (*page, *unit),
            (want, want),
            "{login} {code} as of {as_of}: page {page}, API {unit}"
        );
        // The dashboard asks for the right to view members, which the
        // branch head holds on its branch only, like the tree.
        assert_eq!(*dash, want, "{login} {code} as of {as_of}: dashboard {dash}");
    }
}
