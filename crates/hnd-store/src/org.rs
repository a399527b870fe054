//! The organisation tree: reading it as of any day, and the operations
//! that change it (each a dated event with author and reason). One file a
//! job: the types, reading, resolving what a change names, writing.

mod names;
mod read;
mod resolve;
mod types;
mod write;

pub(crate) use names::NameCache;
pub use names::UnitHit;
pub(crate) use resolve::resolve_code_at;
pub use types::{Change, LevelCounts, Lineage, LineageLink, NewUnit, OrgEvent, SplitPart, Unit, UnitDetails};
pub(crate) use write::bootstrap_unit;
