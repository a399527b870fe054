//! The application layer of `hnd`: every operation written once.
//!
//! An operation is one method of [`App`]. It takes the [`Actor`] (a user
//! with grants, or the operator at the command line) and typed input, and
//! runs the same steps whatever the channel:
//!
//! 1. resolve what the request names (a member, a unit) to its place in
//!    today's tree;
//! 2. ask the one policy (`hnd_domain::access`) whether the actor may;
//! 3. validate the input;
//! 4. write the change and its audit entry in one transaction (the store
//!    writes the entry a [`hnd_store::Change`] carries before it commits);
//! 5. return a typed result or an [`AppError`].
//!
//! The web pages, the JSON API and the command line are adapters: they
//! parse their input, call the operation and render what it returns.

mod accounts;
mod actor;
mod error;
mod fees;
mod figures;
mod files;
mod households;
mod import_mappings;
mod member_input;
mod members;
mod org;
mod plan_life;
mod plan_reading;
mod plans;
mod profiles;
mod report_document;
mod report_flow;
mod reports;
mod tasks;

pub use actor::{Actor, Channel};
pub use error::{AppError, ErrorKind, FigureProblem, kind_of};
pub use figures::{FAR_FROM_LAST, Grid, GridRow, entry_grid, indicator_name};
pub use files::MemberFile;
pub use households::may_view_household;
pub use import_mappings::MAPPING_NAME_MAX;
pub use member_input::{AddMember, FieldErrors, NewMemberText};
pub use members::{AddedMember, Admitted, EndKind, Step};
pub use org::Codes;
pub use plan_life::{PlanText, PlanView, readable_plan};
pub use plan_reading::{ReviewedPlan, ReviewedTarget, ReviewedTask, first_review, read_plan_document};
pub use plans::NewTarget;
pub use profiles::{Personal, ProfileSaved, profile_detail};
pub use report_document::report_document;
pub use report_flow::{BelowReport, ReportView, form_period};
pub use reports::period_of;
pub use tasks::{Names, TaskReport, TaskText, readable_plans, readable_task};

use hnd_store::Store;

/// The operations of one installation, over its store.
#[derive(Clone)]
pub struct App {
    store: Store,
}

impl App {
    pub fn new(store: Store) -> App {
        App { store }
    }

    /// The store, for reads that are not yet operations of their own.
    pub fn store(&self) -> &Store {
        &self.store
    }
}
