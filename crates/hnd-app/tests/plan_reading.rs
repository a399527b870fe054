//! A plan's text read as users have it: typed years ago in a TCVN3 or VNI
//! font, or saved by Windows as "Unicode" (UTF-16) text, it reads as the
//! same plan as its UTF-8 text, on both engines.

use hnd_app::{Actor, App, read_plan_document};
use hnd_domain::Lang;
use hnd_store::Store;

hnd_store::both_backends!(old_fonts_and_utf16_read_as_the_plan);

const PLAN: &str = "KẾ HOẠCH\nCông tác Hội năm 2026\nI. CHỈ TIÊU\n\
1. Kết nạp mới từ 7.000 hội viên trở lên.\n\
2. Phấn đấu 95% hội viên tham gia bảo hiểm y tế.\n\
II. NHIỆM VỤ\n1. Rà soát danh sách hội viên. Giao Ban Tổ chức chủ trì, phối hợp với Văn phòng; thời gian trong quý II/2026.\n";

async fn old_fonts_and_utf16_read_as_the_plan(store: Store) {
    let app = App::new(store);
    let actor = Actor::operator("kiểm thử", Lang::Vi);
    let read = |bytes: Vec<u8>| {
        let (app, actor) = (&app, &actor);
        async move { read_plan_document(app, actor, None, &bytes).await.unwrap() }
    };
    let utf8 = read(PLAN.as_bytes().to_vec()).await;
    let summary = |d: &hnd_ingest::Draft| {
        let targets: Vec<_> = d.targets.iter().map(|t| (t.indicator.clone(), t.value)).collect();
        let tasks: Vec<_> = d.tasks.iter().map(|t| (t.title.clone(), t.lead.clone())).collect();
        (d.title.clone(), targets, tasks)
    };
    let want = summary(&utf8);
    assert_eq!(want.1.len(), 2, "{want:?}");
    assert_eq!(want.2[0].1, "Ban Tổ chức");
    for legacy in [hnd_import::Legacy::Tcvn3, hnd_import::Legacy::Vni] {
        let old = hnd_import::encode_legacy(PLAN, legacy);
        assert_ne!(old, PLAN);
        assert_eq!(summary(&read(old.into_bytes()).await), want, "{}", legacy.name());
    }
    let mut le = vec![0xFF, 0xFE];
    le.extend(PLAN.encode_utf16().flat_map(u16::to_le_bytes));
    assert_eq!(summary(&read(le).await), want, "UTF-16LE");
    let mut be = vec![0xFE, 0xFF];
    be.extend(PLAN.encode_utf16().flat_map(u16::to_be_bytes));
    assert_eq!(summary(&read(be).await), want, "UTF-16BE");
}
