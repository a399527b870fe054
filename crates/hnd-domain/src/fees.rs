//! Membership fees (hội phí): each province sets the fee per member and
//! year and how it is shared between the levels (the branch that collects
//! it, the commune, the province, the Central Committee); a branch records
//! who paid. Amounts are whole đồng, never fractions.

use crate::i18n::{Lang, t};

/// The most a fee may be: a typing slip (an extra zero or three) is
/// refused rather than recorded.
pub const MAX_FEE: i64 = 10_000_000;

/// The fee of a province for a year and its shares, in đồng.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct FeeRate {
    pub amount: i64,
    /// Kept by the branch that collects it.
    pub branch: i64,
    /// Sent to the commune (cơ sở Hội).
    pub base: i64,
    /// Sent to the province.
    pub province: i64,
    /// Sent to the Central Committee.
    pub central: i64,
}

/// The names of a rate's parts, as forms, the API and the command line
/// give them.
pub const RATE_FIELDS: [&str; 5] = ["amount", "branch", "base", "province", "central"];

impl FeeRate {
    /// A rate from its amount and shares, which must add up to it.
    pub fn new(amount: i64, branch: i64, base: i64, province: i64, central: i64) -> Result<FeeRate, FeeError> {
        let rate = FeeRate {
            amount,
            branch,
            base,
            province,
            central,
        };
        for (field, value) in RATE_FIELDS.into_iter().zip(rate.parts()) {
            if !(0..=MAX_FEE).contains(&value) || (field == "amount" && value == 0) {
                return Err(FeeError::BadAmount {
                    field,
                    value: value.to_string(),
                });
            }
        }
        let shared = branch + base + province + central;
        if shared != amount {
            return Err(FeeError::SharesDoNotAdd { amount, shared });
        }
        Ok(rate)
    }

    /// A rate from what a person typed: amounts as written in Vietnamese
    /// ("24.000", "24 000", "24000 đ"), in the order of [`RATE_FIELDS`].
    pub fn parse(typed: [&str; 5]) -> Result<FeeRate, FeeError> {
        let mut parts = [0i64; 5];
        for ((field, text), part) in RATE_FIELDS.into_iter().zip(typed).zip(parts.iter_mut()) {
            *part = parse_dong(text).ok_or_else(|| FeeError::BadAmount {
                field,
                value: text.trim().to_string(),
            })?;
        }
        let [amount, branch, base, province, central] = parts;
        FeeRate::new(amount, branch, base, province, central)
    }

    /// The amount and the shares, in the order of [`RATE_FIELDS`].
    pub fn parts(&self) -> [i64; 5] {
        [self.amount, self.branch, self.base, self.province, self.central]
    }
}

/// Whole đồng as a person writes them: digits grouped by dots or spaces,
/// an optional "đ", "đồng" or "VND" after; an empty text is 0.
pub fn parse_dong(text: &str) -> Option<i64> {
    let folded = crate::fold(text);
    let digits = folded
        .trim()
        .trim_end_matches("vnd")
        .trim_end_matches("dong")
        .trim_end_matches('d')
        .trim();
    if digits.is_empty() {
        return Some(0);
    }
    let bare: String = digits.chars().filter(|c| *c != '.' && *c != ' ').collect();
    if bare.is_empty() || bare.len() > 12 || !bare.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    bare.parse().ok()
}

/// The years a fee may be set or paid for.
pub fn fee_year(year: i32, this_year: i32) -> Result<i32, FeeError> {
    if (2000..=this_year + 1).contains(&year) {
        Ok(year)
    } else {
        Err(FeeError::BadYear { year })
    }
}

/// Rules of the fees that a change can break; nothing is saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeeError {
    #[error("bad {field}: {value}")]
    BadAmount { field: &'static str, value: String },
    #[error("shares add up to {shared}, not {amount}")]
    SharesDoNotAdd { amount: i64, shared: i64 },
    #[error("no fee set for {year} in {province}")]
    NoRate { province: String, year: i32 },
    #[error("member {member} has paid for {year} already")]
    PaidAlready { member: i64, name: String, year: i32 },
    #[error("member {member} is {status}")]
    NotPaying { member: i64, name: String, status: String },
    #[error("{code} is not a province")]
    NotAProvince { code: String },
    #[error("year {year}")]
    BadYear { year: i32 },
}

impl FeeError {
    pub fn message(&self, lang: Lang) -> String {
        use FeeError::*;
        match self {
            BadAmount { field, value } => {
                let field = t(lang, &format!("fee.field.{field}"), &[]);
                t(lang, "fee.bad_amount", &[("field", &field), ("value", value)])
            }
            SharesDoNotAdd { amount, shared } => t(
                lang,
                "fee.shares_do_not_add",
                &[
                    ("amount", &crate::fmt::int(*amount, lang)),
                    ("shared", &crate::fmt::int(*shared, lang)),
                ],
            ),
            NoRate { province, year } => t(lang, "fee.no_rate", &[("province", province), ("year", year)]),
            PaidAlready { name, year, .. } => t(lang, "fee.paid_already", &[("name", name), ("year", year)]),
            NotPaying { name, status, .. } => {
                let status = t(lang, &format!("member.status.{status}"), &[]);
                t(lang, "fee.not_paying", &[("name", name), ("status", &status)])
            }
            NotAProvince { code } => t(lang, "fee.not_a_province", &[("code", code)]),
            BadYear { year } => t(lang, "fee.bad_year", &[("year", year)]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_read_as_people_write_them() {
        assert_eq!(parse_dong("24.000"), Some(24_000));
        assert_eq!(parse_dong(" 24 000 đ"), Some(24_000));
        assert_eq!(parse_dong("12000 đồng"), Some(12_000));
        assert_eq!(parse_dong("6.000 VND"), Some(6_000));
        assert_eq!(parse_dong(""), Some(0));
        assert_eq!(parse_dong("12,5"), None);
        assert_eq!(parse_dong("-100"), None);
        assert_eq!(parse_dong("mười nghìn"), None);
    }

    #[test]
    fn shares_must_add_up_to_the_fee() {
        let rate = FeeRate::parse(["24.000", "12.000", "6.000", "4.000", "2.000"]).unwrap();
        assert_eq!(rate.parts(), [24_000, 12_000, 6_000, 4_000, 2_000]);
        assert_eq!(
            FeeRate::new(24_000, 12_000, 6_000, 4_000, 1_000),
            Err(FeeError::SharesDoNotAdd {
                amount: 24_000,
                shared: 23_000
            })
        );
        assert!(matches!(
            FeeRate::new(0, 0, 0, 0, 0),
            Err(FeeError::BadAmount { field: "amount", .. })
        ));
        assert!(matches!(
            FeeRate::new(MAX_FEE + 1, MAX_FEE + 1, 0, 0, 0),
            Err(FeeError::BadAmount { .. })
        ));
        let refused = FeeRate::new(24_000, 12_000, 6_000, 4_000, 1_000).unwrap_err();
        assert_eq!(
            refused.message(Lang::Vi),
            "Các phần chia cộng lại được 23.000 đồng, không bằng mức hội phí 24.000 đồng."
        );
    }

    #[test]
    fn years_are_bounded() {
        assert_eq!(fee_year(2026, 2026), Ok(2026));
        assert_eq!(fee_year(2027, 2026), Ok(2027));
        assert!(fee_year(2028, 2026).is_err());
        assert!(fee_year(1999, 2026).is_err());
    }
}
