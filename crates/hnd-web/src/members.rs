//! The member register in the browser, one file a job: who may reach which
//! members and how one is shown (`view`), home and the list, the add form,
//! a member's page and its sections, transfers, removal, and the audit
//! pages.

mod audit;
mod form;
mod list;
mod page;
mod removal;
mod sections;
mod transfers;
mod view;

pub use audit::{audit_page, member_audit};
pub use form::{FieldErrors, create, new_form};
pub use list::{ListParams, home, list};
pub(crate) use page::{Typed, refused};
pub use page::{page_with_profile_form, show};
pub use removal::remove;
pub use sections::{CorrectTyped, EntryTyped, StepTyped};
pub use transfers::{cancel_transfer, confirm_transfer, incoming_transfers, transfer};
pub use view::{MemberView, scope, with_unit_names};
