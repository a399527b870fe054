//! Plans as types: reporting periods with their cut-offs, task deadlines
//! as the seeds write them, target comparators, and the indicator
//! catalogue.

mod deadline;
mod document;
mod indicators;
mod pace;
mod period;
#[cfg(test)]
mod tests;

pub use deadline::Deadline;
pub use document::{PlanKind, PlanStatus, issuer, plan_number, printed_number, running_number};
pub use indicators::{AddedSource, CATALOGUE, Indicator, Measure, Source, all_indicators, indicator, register};
pub use pace::{Comparator, Pace, Standing, pace};
pub use period::{Cutoff, Period, PlanTextError};
