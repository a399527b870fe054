//! The Farmers' Union (Hội Nông dân Việt Nam) as types and rules.
//!
//! Nothing here does I/O: the storage, the web and the command line build
//! on these types, so a value that exists is a valid one.

pub mod access;
pub mod admin;
pub mod bodies;
pub mod date;
pub mod dates;
pub mod error;
pub mod fees;
pub mod fmt;
pub mod fold;
pub mod i18n;
pub mod person;
pub mod plan;
pub mod profile;
pub mod report;
pub mod strength;
pub mod unit;

pub use access::{Action, Body, Grant, Principal, Role};
pub use date::{BadDay, Day};
pub use dates::{DateRuleError, DateRules};
pub use error::{AccountError, HolderPlace, MemberError, OrgError, PlanError};
pub use fees::{FeeError, FeeRate};
pub use fold::fold;
pub use i18n::Lang;
pub use person::{BirthDate, Cccd, Ethnicity, HouseholdCategory, HouseholdRole, Phone, Sex};
pub use report::{ReportError, ReportForm, ReportStatus, ReportStep};
pub use unit::{BadUnitText, Kind, Level, UnitCode, UnitName};
