//! Rules on the days people enter: how far ahead an event may be dated,
//! that a birth is not in the future, how old an applicant must be.
//!
//! Pure functions: "today" is always a parameter (the clock is read at the
//! edge, by the store's write paths; tests pass a fixed day). The limits
//! are settings an operator may change (`hnd settings set KEY VALUE`, kept
//! in the `settings` table); [`DateRules::default`] holds the defaults.
//!
//! Decided, field by field:
//! - member events (apply, admit, transfer sent, confirmed or cancelled,
//!   removal, death, leave, return, reinstatement, card) and tree edits
//!   (create, rename, move, merge, split, dissolve, a unit's founding day)
//!   may be dated at most [`DateRules::event_days_ahead`] days after today
//!   (30 by default: a decision often takes effect at the start of next
//!   month);
//! - a birth may not lie after today (plus [`DateRules::birth_days_ahead`],
//!   0 by default); a birth known only by its year may not be after this
//!   year;
//! - profile days that record what already happened (CCCD issued, card
//!   issued, joined the Party, made full member, a position's start) are
//!   refused after today by the profile's own parser
//!   ([`crate::profile::Profile::parse`]); an insurance expiry is
//!   legitimately in the future and is not limited;
//! - an applicant is at least [`DateRules::min_age`] years old (18 by
//!   default: the charter of the Vietnam Farmers' Union admits Vietnamese
//!   citizens from 18 years of age) on the day of application. A birth
//!   known only by its year counts as 1 January of that year (the clerk
//!   does not know more, and the person is not refused on a guess).

use crate::i18n::t;
use crate::{BirthDate, Day, Lang};

/// The setting holding how many days ahead an event may be dated.
pub const EVENT_DAYS_AHEAD: &str = "dates.event_days_ahead";
/// The setting holding how many days ahead a birth may be dated.
pub const BIRTH_DAYS_AHEAD: &str = "dates.birth_days_ahead";
/// The setting holding an applicant's minimum age.
pub const MIN_AGE: &str = "members.min_age";

/// Every setting: key, lowest and highest value allowed.
pub const SETTINGS: [(&str, i64, i64); 3] = [
    (EVENT_DAYS_AHEAD, 0, 366),
    (BIRTH_DAYS_AHEAD, 0, 366),
    (MIN_AGE, 14, 100),
];

/// The limits in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRules {
    /// Days after today an event may be dated.
    pub event_days_ahead: i64,
    /// Days after today a birth may be dated.
    pub birth_days_ahead: i64,
    /// An applicant's minimum age in whole years on the day of application.
    pub min_age: i64,
}

impl Default for DateRules {
    fn default() -> DateRules {
        DateRules {
            event_days_ahead: 30,
            birth_days_ahead: 0,
            min_age: 18,
        }
    }
}

/// A day or a setting refused by these rules.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateRuleError {
    #[error("{date} is more than {days} days ahead")]
    TooFarAhead { date: Day, latest: Day, days: i64 },
    #[error("birth {birth} is in the future")]
    BirthInFuture { birth: String, latest: Day },
    #[error("born {birth}, {age} years old on {on}, under {min_age}")]
    TooYoung {
        birth: String,
        on: Day,
        age: i64,
        min_age: i64,
    },
    #[error("no setting {key}")]
    UnknownSetting { key: String },
    #[error("setting {key}: bad value {value}")]
    BadSetting {
        key: String,
        value: String,
        min: i64,
        max: i64,
    },
}

impl DateRuleError {
    pub fn message(&self, lang: Lang) -> String {
        use DateRuleError::*;
        match self {
            TooFarAhead { date, latest, days } => t(
                lang,
                "date.too_far_ahead",
                &[("date", date), ("latest", latest), ("days", days)],
            ),
            BirthInFuture { birth, latest } => t(lang, "date.birth_in_future", &[("birth", birth), ("latest", latest)]),
            TooYoung {
                birth,
                on,
                age,
                min_age,
            } => t(
                lang,
                "date.too_young",
                &[("birth", birth), ("on", on), ("age", age), ("min_age", min_age)],
            ),
            UnknownSetting { key } => {
                let keys: Vec<&str> = SETTINGS.iter().map(|(k, _, _)| *k).collect();
                t(lang, "setting.unknown", &[("key", key), ("keys", &keys.join(", "))])
            }
            BadSetting { key, value, min, max } => t(
                lang,
                "setting.bad_value",
                &[("key", key), ("value", value), ("min", min), ("max", max)],
            ),
        }
    }
}

fn ahead(day: Day, days: i64) -> Day {
    day.plus_days(days)
}

impl DateRules {
    /// Sets `key` to `value` (a whole number within the setting's bounds).
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), DateRuleError> {
        let Some(&(key, min, max)) = SETTINGS.iter().find(|(k, _, _)| *k == key.trim()) else {
            return Err(DateRuleError::UnknownSetting { key: key.to_string() });
        };
        let n: i64 = value
            .trim()
            .parse()
            .ok()
            .filter(|n| (min..=max).contains(n))
            .ok_or_else(|| DateRuleError::BadSetting {
                key: key.to_string(),
                value: value.to_string(),
                min,
                max,
            })?;
        match key {
            EVENT_DAYS_AHEAD => self.event_days_ahead = n,
            BIRTH_DAYS_AHEAD => self.birth_days_ahead = n,
            _ => self.min_age = n,
        }
        Ok(())
    }

    /// Every setting with its value, in [`SETTINGS`] order.
    pub fn list(&self) -> Vec<(&'static str, i64)> {
        vec![
            (EVENT_DAYS_AHEAD, self.event_days_ahead),
            (BIRTH_DAYS_AHEAD, self.birth_days_ahead),
            (MIN_AGE, self.min_age),
        ]
    }

    /// The last day an event may be dated on, today being `today`.
    pub fn latest_event(&self, today: Day) -> Day {
        ahead(today, self.event_days_ahead)
    }

    /// An event (member event or tree edit) dated `date`.
    pub fn check_event(&self, date: Day, today: Day) -> Result<(), DateRuleError> {
        let latest = self.latest_event(today);
        if date > latest {
            return Err(DateRuleError::TooFarAhead {
                date,
                latest,
                days: self.event_days_ahead,
            });
        }
        Ok(())
    }

    /// A birth: not after today (plus the birth margin).
    pub fn check_birth(&self, birth: BirthDate, today: Day) -> Result<(), DateRuleError> {
        let latest = ahead(today, self.birth_days_ahead);
        let late = match birth {
            BirthDate::Day(d) => d > latest,
            BirthDate::Year(y) => y > latest.year(),
        };
        if late {
            return Err(DateRuleError::BirthInFuture {
                birth: birth.to_string(),
                latest,
            });
        }
        Ok(())
    }

    /// An applicant born `birth` applying on `on`.
    pub fn check_age(&self, birth: BirthDate, on: Day) -> Result<(), DateRuleError> {
        let age = age_on(birth, on);
        if age < self.min_age {
            return Err(DateRuleError::TooYoung {
                birth: birth.to_string(),
                on,
                age: age.max(0),
                min_age: self.min_age,
            });
        }
        Ok(())
    }

    /// Everything a row of a bulk load (an import) must satisfy: the day of
    /// the load, the birth, and the age: on the day of the load for an
    /// applicant; for a row entered as already admitted on `admitted`, that
    /// day at most the margin ahead and the age counted in years (year of
    /// admission less year of birth), since the registers of past
    /// admissions often keep no more than the year.
    pub fn check_loaded(
        &self,
        birth: BirthDate,
        loaded: Day,
        admitted: Option<Day>,
        today: Day,
    ) -> Result<(), DateRuleError> {
        self.check_event(loaded, today)?;
        self.check_birth(birth, today)?;
        match admitted {
            None => self.check_age(birth, loaded),
            Some(admitted) => {
                self.check_event(admitted, today)?;
                let age = (admitted.year() - birth.year()) as i64;
                if age < self.min_age {
                    return Err(DateRuleError::TooYoung {
                        birth: birth.to_string(),
                        on: admitted,
                        age: age.max(0),
                        min_age: self.min_age,
                    });
                }
                Ok(())
            }
        }
    }
}

/// Whole years from `birth` to `on` (a birth by year alone counts as 1
/// January of that year).
pub fn age_on(birth: BirthDate, on: Day) -> i64 {
    let born = match birth {
        BirthDate::Day(d) => d,
        BirthDate::Year(y) => match Day::from_ymd(y, 1, 1) {
            Some(d) => d,
            None => return 0,
        },
    };
    let (bm, bd) = born.month_day();
    let (om, od) = on.month_day();
    let mut age = (on.year() - born.year()) as i64;
    if (om, od) < (bm, bd) {
        age -= 1;
    }
    age
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Day {
        Day::parse(s).unwrap()
    }

    #[test]
    fn events_at_most_the_margin_ahead() {
        let rules = DateRules::default();
        let today = d("02/12/2026");
        assert!(rules.check_event(d("01/01/2027"), today).is_ok());
        assert!(rules.check_event(d("01/01/2020"), today).is_ok());
        assert_eq!(
            rules.check_event(d("01/01/2035"), today),
            Err(DateRuleError::TooFarAhead {
                date: d("01/01/2035"),
                latest: d("01/01/2027"),
                days: 30
            })
        );
        let strict = DateRules {
            event_days_ahead: 0,
            ..rules
        };
        assert!(strict.check_event(today, today).is_ok());
        assert!(strict.check_event(d("03/12/2026"), today).is_err());
    }

    #[test]
    fn births_not_in_the_future() {
        let rules = DateRules::default();
        let today = d("02/12/2026");
        assert!(rules.check_birth(BirthDate::Day(today), today).is_ok());
        assert!(rules.check_birth(BirthDate::Day(d("03/12/2026")), today).is_err());
        assert!(rules.check_birth(BirthDate::Year(2026), today).is_ok());
        assert!(rules.check_birth(BirthDate::Year(2030), today).is_err());
    }

    #[test]
    fn applicants_of_the_charter_age_on_the_day_they_apply() {
        let rules = DateRules::default();
        let applied = d("02/12/2026");
        assert!(rules.check_age(BirthDate::Day(d("02/12/2008")), applied).is_ok());
        assert_eq!(
            rules.check_age(BirthDate::Day(d("03/12/2008")), applied),
            Err(DateRuleError::TooYoung {
                birth: "03/12/2008".into(),
                on: applied,
                age: 17,
                min_age: 18
            })
        );
        assert!(rules.check_age(BirthDate::Year(2008), applied).is_ok());
        assert!(rules.check_age(BirthDate::Year(2009), applied).is_err());
        assert!(rules.check_age(BirthDate::Day(d("01/01/2020")), applied).is_err());
        // An imported member admitted long ago is checked in that year.
        let loaded = |birth, admitted| rules.check_loaded(birth, applied, admitted, applied);
        assert!(loaded(BirthDate::Year(1990), Some(d("01/01/2000"))).is_err());
        assert!(loaded(BirthDate::Day(d("31/12/1982")), Some(d("01/01/2000"))).is_ok());
        assert!(loaded(BirthDate::Year(2010), None).is_err());
        assert!(loaded(BirthDate::Year(2030), None).is_err());
        assert!(loaded(BirthDate::Year(1970), Some(d("01/01/2035"))).is_err());
    }

    #[test]
    fn settings_within_bounds() {
        let mut rules = DateRules::default();
        rules.set(MIN_AGE, "16").unwrap();
        rules.set(EVENT_DAYS_AHEAD, " 0 ").unwrap();
        assert_eq!(
            rules.list(),
            vec![(EVENT_DAYS_AHEAD, 0), (BIRTH_DAYS_AHEAD, 0), (MIN_AGE, 16)]
        );
        assert!(matches!(rules.set(MIN_AGE, "6"), Err(DateRuleError::BadSetting { .. })));
        assert!(matches!(rules.set("x", "1"), Err(DateRuleError::UnknownSetting { .. })));
        assert!(!rules.set("x", "1").unwrap_err().message(Lang::Vi).is_empty());
    }
}
