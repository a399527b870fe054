//! The member register (sổ hội viên): members, their events, and the
//! membership intervals every "as of a day" count is read from. One file
//! a job: the types, what every change writes (`history`), the steps of a
//! member's life, transfers, reading and searching, counts, the counts bulk
//! work maintains itself, bulk loads, and the member page read at once.

mod bulk;
mod counts;
mod find;
mod history;
mod lifecycle;
mod maintained;
mod page;
mod search;
mod transfers;
mod types;
mod words;

pub use bulk::{LoadOutcome, MemberRow};
pub use counts::MemberCounts;
pub(crate) use history::{Event, MEMBER_SIDE_TABLES, cccd_holders, check_forward, member_row, record};
pub(crate) use maintained::{ProvinceMove, bulk_marker, write_province_moves};
pub use page::MemberPage;
pub use types::{Added, CccdHolder, LikelyDuplicate, Member, MemberEvent, MemberQuery, NewMember};
pub(crate) use words::rewrite_words;
