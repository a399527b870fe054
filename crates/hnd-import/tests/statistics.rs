//! An import leaves the engine's statistics up to date: the planner knows
//! how many members there are without a manual `ANALYZE`.

use hnd_domain::{Day, Lang};
use hnd_store::{Backend, Change, Store};

hnd_store::both_backends!(an_import_refreshes_the_statistics);

/// Members as the engine's statistics count them (0 when it has none).
async fn members_in_statistics(store: &Store) -> i64 {
    let sql = match store.backend() {
        Backend::Sqlite => "SELECT COALESCE(MAX(CAST(stat AS INTEGER)), 0) FROM sqlite_stat1 WHERE tbl = 'members'",
        Backend::Postgres => "SELECT GREATEST(reltuples, 0)::bigint FROM pg_class WHERE oid = 'members'::regclass",
    };
    hnd_store::testing::number(store, sql).await.unwrap()
}

async fn an_import_refreshes_the_statistics(store: Store) {
    let who = Change::new("kiểm thử", "kiểm thử");
    let day = Day::parse("01/03/2026").unwrap();
    store.bootstrap(false, &who).await.unwrap();
    let branch = hnd_store::testing::branch("00004-A", "Chi hội A", "00004");
    store.create_units(vec![branch], day, &who, "create").await.unwrap();
    assert_eq!(members_in_statistics(&store).await, 0);

    let dir = std::env::temp_dir().join(format!("hnd-statistics-{}-{:?}", std::process::id(), store.backend()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("hoi-vien.csv");
    let mut csv = String::from("Họ và tên,Ngày sinh,Giới tính,\"Mã chi hội, tổ hội\"\n");
    let (family, middle, given) = (
        ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng"],
        ["Văn", "Thị", "Đức", "Minh", "Ngọc", "Quang"],
        ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khoa", "Lan", "Mai", "Nam"],
    );
    let mut rows = 0;
    for (i, f) in family.iter().enumerate() {
        for (j, m) in middle.iter().enumerate() {
            for (k, g) in given.iter().enumerate() {
                let year = 1960 + (i * 7 + j * 3 + k) % 40;
                csv.push_str(&format!("{f} {m} {g},{year},Nam,00004-A\n"));
                rows += 1;
            }
        }
    }
    std::fs::write(&file, csv).unwrap();
    let summary = hnd_import::import_members(
        &store,
        &file,
        &dir.join("loi.csv"),
        day,
        &|_| who.clone(),
        Lang::Vi,
        &|_, _| true,
        &mut |_| {},
        &hnd_import::ImportOptions::OPERATOR,
    )
    .await
    .unwrap();
    assert_eq!(summary.created, rows);
    assert_eq!(members_in_statistics(&store).await, rows as i64);
    let _ = std::fs::remove_dir_all(dir);
}
