//! The profile columns of the member sheet: loaded with the members an
//! import creates, never over a profile in the register, exported the
//! same way, personal ones masked for who may not see them.

use hnd_domain::{Day, Lang};
use hnd_store::{Change, MemberQuery, Store};

hnd_store::both_backends!(profile_columns_come_in_and_go_out);

async fn profile_columns_come_in_and_go_out(store: Store) {
    let who = Change::new("kiểm thử", "kiểm thử");
    let day = Day::parse("01/03/2026").unwrap();
    store.bootstrap(false, &who).await.unwrap();
    let branch = hnd_store::testing::branch("00004-A", "Chi hội A", "00004");
    store.create_units(vec![branch], day, &who, "create").await.unwrap();
    let dir = std::env::temp_dir().join(format!(
        "hnd-profile-columns-{}-{:?}",
        std::process::id(),
        store.backend()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("ho-so.csv");
    std::fs::write(
        &file,
        "Họ và tên,Ngày sinh,Giới tính,\"Mã chi hội, tổ hội\",Nghề nghiệp,BHYT,Đảng viên\n\
         Trần Thị Có,1975,Nữ,00004-A,trồng trọt,có,không\n\
         Lê Văn Trống,1980,Nam,00004-A,,,\n",
    )
    .unwrap();
    let import = |file: std::path::PathBuf| {
        let (store, who, dir) = (store.clone(), who.clone(), dir.clone());
        async move {
            hnd_import::import_members(
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
            .unwrap()
        }
    };
    assert_eq!(import(file.clone()).await.created, 2);
    let query = MemberQuery {
        scope: "00004".into(),
        limit: 10,
        ..Default::default()
    };
    let (found, _) = store.find_members(&query).await.unwrap();
    let co = found.iter().find(|m| m.full_name == "Trần Thị Có").unwrap().id;
    let trong = found.iter().find(|m| m.full_name == "Lê Văn Trống").unwrap().id;
    let profile = store.member_profile(co).await.unwrap();
    assert_eq!(profile.profile.bhyt, Some(true));
    assert!(profile.updated_by.is_some());
    assert!(
        store.member_profile(trong).await.unwrap().updated_by.is_none(),
        "empty cells: no profile"
    );

    // A profile kept in the register is not overwritten by importing again.
    let mut changed = profile.profile.clone();
    changed.bhyt = Some(false);
    store.set_member_profile(co, &changed, &who).await.unwrap();
    assert_eq!(import(file).await.unchanged, 2);
    assert_eq!(store.member_profile(co).await.unwrap().profile.bhyt, Some(false));

    let out = dir.join("xuat.csv");
    hnd_import::export_members(&store, &out, &query, true).await.unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.contains("Trần Thị Có,1975,Nữ,,,,,,00004-A,,,Trồng trọt,,Không,,Không,"),
        "{text}"
    );
    hnd_import::export_members(&store, &out, &query, false).await.unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.contains(",00004-A,,,Trồng trọt,,•••,•••,•••,•••"),
        "masked: {text}"
    );
    assert!(text.contains("Lê Văn Trống,1980,Nam,,,,,,00004-A,,,,,,,,"), "{text}");
    std::fs::remove_dir_all(&dir).ok();
}
