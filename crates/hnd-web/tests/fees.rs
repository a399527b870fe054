//! The fees page as its users work it: the province sets the year's fee
//! (a sum that does not add up is refused beside the form, what was typed
//! kept), a commune officer ticks who paid in a branch, the totals and
//! shares read back up the tree, and a second payment is refused.

mod common;

use common::fixture;
use hnd_store::Store;

hnd_store::both_backends!(a_branch_records_its_fees_and_the_tree_reads_them);

async fn a_branch_records_its_fees_and_the_tree_reads_them(store: Store) {
    let f = fixture(store).await;
    let year = hnd_domain::Day::today().year().to_string();
    let binh = f.members["Trần Văn Bình"].to_string();
    let mut admin = f.server.signed_in("admin").await;
    let csrf = admin.csrf().await;
    let rate = |amount: &str, branch: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("unit", "01".to_string()),
            ("year", year.clone()),
            ("amount", amount.to_string()),
            ("branch", branch.to_string()),
            ("base", "6.000".to_string()),
            ("province", "4.000".to_string()),
            ("central", "2.000".to_string()),
        ]
    };
    let as_refs = |v: &[(&'static str, String)]| v.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();

    // Shares that do not add up to the fee: refused where the form is,
    // what was typed kept, nothing set.
    let fields = as_refs(&rate("24.000", "11.000"));
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = admin.post_form("/fees/rate", &fields).await;
    assert_eq!(r.status, 422);
    let page = r.text();
    assert!(page.contains("23.000") && page.contains("24.000"), "{page}");
    assert!(page.contains("value=\"11.000\""), "typed values kept: {page}");
    // Right: set, and shown.
    let fields = as_refs(&rate("24.000", "12.000"));
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = admin.post_form("/fees/rate", &fields).await;
    assert_eq!(r.status, 303, "{}", r.text());
    let page = admin.get(&format!("/fees?unit=01&year={year}&done=rate")).await.text();
    assert!(page.contains("24.000 đ") && page.contains("12.000 đ"), "{page}");

    // The commune officer of 00008 ticks Bình in his branch.
    let mut xa8 = f.server.signed_in("xa8").await;
    let csrf8 = xa8.csrf().await;
    let page = xa8.get(&format!("/fees?unit=00008-CH01&year={year}")).await.text();
    assert!(page.contains(&format!("id=\"pay-{binh}\"")), "{page}");
    let pay = [
        ("csrf", csrf8.as_str()),
        ("unit", "00008-CH01"),
        ("year", year.as_str()),
        ("id", binh.as_str()),
        ("date", ""),
    ];
    let r = xa8.post_form("/fees/pay", &pay).await;
    assert_eq!(r.status, 303, "{}", r.text());
    let page = xa8.get(&format!("/fees?unit=00008-CH01&year={year}")).await.text();
    assert!(!page.contains(&format!("id=\"pay-{binh}\"")), "paid: no box any more");
    // Up the tree: the commune's row counts one payment of 24.000, of
    // which 12.000 stays in the branch.
    let page = xa8.get(&format!("/fees?unit=00008&year={year}")).await.text();
    let total = &page[page.find("id=\"fees-total\"").expect("a total row")..];
    assert!(total.contains(">24.000<") && total.contains(">12.000<"), "{total}");
    // The member's page keeps the payment.
    let page = xa8.get(&format!("/members/{binh}")).await.text();
    let fees = &page[page.find("id=\"member-fees\"").expect("the member's fees")..];
    assert!(fees.contains("24.000 đ"), "{fees}");
    // Paid twice: refused, with the member's name.
    let r = xa8.post_form("/fees/pay", &pay).await;
    assert_eq!(r.status, 422);
    assert!(r.text().contains("Trần Văn Bình"), "{}", r.text());

    // Another commune's officer may not record or read there.
    let mut xa4 = f.server.signed_in("xa4").await;
    assert_eq!(xa4.get(&format!("/fees?unit=00008-CH01&year={year}")).await.status, 403);
}
