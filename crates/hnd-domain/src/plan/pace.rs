//! How a target compares a figure with its value, and where a unit
//! stands on it: met, on track, behind or missed, and the pace still needed.

use super::indicators::{Indicator, Measure};
use super::period::{Cutoff, Period};
use crate::{Day, fold};

/// How a target compares the actual figure with its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparator {
    /// "từ … trở lên", "ít nhất", "≥".
    AtLeast,
    /// "không quá", "tối đa", "≤".
    AtMost,
    /// "=" written as such (a bare figure or "đạt X" is [`Comparator::AtLeast`]).
    Equal,
}

impl Comparator {
    pub fn parse(text: &str) -> Option<Comparator> {
        let t = fold(text);
        let t = t.trim();
        if t == "=" || t == "bang" || t == "dung" {
            return Some(Comparator::Equal);
        }
        // A bare figure, or "đạt", "phấn đấu đạt", "trên", "không dưới":
        // every target of the catalogue counts what more of is better, so
        // a plain "đạt 95%" is at least 95%, never exactly 95%.
        let at_least = ["tro len", "it nhat", "toi thieu", "dat", "tren", "khong duoi", "vuot"];
        if t.is_empty() || t == ">=" || t == "≥" || at_least.iter().any(|w| t.contains(w)) {
            return Some(Comparator::AtLeast);
        }
        if t == "<=" || t == "≤" || t.contains("khong qua") || t.contains("toi da") {
            return Some(Comparator::AtMost);
        }
        None
    }

    /// Whether `actual` meets a target of `value`.
    pub fn met(&self, actual: f64, value: f64) -> bool {
        match self {
            Comparator::AtLeast => actual >= value,
            Comparator::AtMost => actual <= value,
            Comparator::Equal => (actual - value).abs() < 1e-9,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Comparator::AtLeast => ">=",
            Comparator::AtMost => "<=",
            Comparator::Equal => "=",
        }
    }

    /// The sign a printed table shows: ≥, ≤, =.
    pub fn sign(&self) -> &'static str {
        match self {
            Comparator::AtLeast => "≥",
            Comparator::AtMost => "≤",
            Comparator::Equal => "=",
        }
    }
}

/// Where a unit stands on a target on a day of its period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Reached ("từ … trở lên" reached, or the period ended within the bound).
    Met,
    /// Not reached yet but where it should be by now: a figure that adds
    /// up is at least the target's share of the time gone by; a bound
    /// ("không quá", "=") holds so far.
    OnTrack,
    /// Short of where it should be by now.
    Behind,
    /// The period is over, or a bound that only grows is already broken.
    Missed,
    /// No figure to compare.
    Unknown,
}

impl Standing {
    pub fn code(self) -> &'static str {
        match self {
            Standing::Met => "met",
            Standing::OnTrack => "on_track",
            Standing::Behind => "behind",
            Standing::Missed => "missed",
            Standing::Unknown => "unknown",
        }
    }
}

/// A target's standing, and what is still needed each month (30.4 days)
/// to reach a "từ … trở lên" target by the end of the period.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pace {
    pub standing: Standing,
    pub per_month: Option<f64>,
}

/// The pace of `actual` against a target over `period` (statistical
/// cut-offs), on `today`.
pub fn pace(
    indicator: &Indicator,
    comparator: Comparator,
    target: f64,
    actual: Option<f64>,
    period: Period,
    today: Day,
) -> Pace {
    let Some(actual) = actual else {
        return Pace {
            standing: Standing::Unknown,
            per_month: None,
        };
    };
    let (from, to) = period.range(Cutoff::Statistical);
    let met = comparator.met(actual, target);
    let none = |standing| Pace {
        standing,
        per_month: None,
    };
    if today > to {
        return none(if met { Standing::Met } else { Standing::Missed });
    }
    match comparator {
        Comparator::AtLeast if met => none(Standing::Met),
        Comparator::AtLeast => {
            let days_left = (today.days_until(to) + 1).max(1) as f64;
            let per_month = (indicator.measure != Measure::Percent)
                .then(|| ((target - actual) / (days_left / 30.4).max(1.0)).ceil());
            let standing = if indicator.accumulates() && today >= from {
                let total = (from.days_until(to) + 1) as f64;
                let gone = (from.days_until(today) + 1) as f64;
                if actual >= target * gone / total {
                    Standing::OnTrack
                } else {
                    Standing::Behind
                }
            } else {
                Standing::Behind
            };
            Pace { standing, per_month }
        }
        _ if met => none(Standing::OnTrack),
        Comparator::AtMost if indicator.accumulates() => none(Standing::Missed),
        _ => none(Standing::Behind),
    }
}
