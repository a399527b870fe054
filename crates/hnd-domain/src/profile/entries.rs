//! The entries of a profile that repeat (positions, titles, ratings) and
//! the photo, as an input gives them.

use super::{
    AwardLevel, Errors, FieldError, Position, Rating, TitleKind, Year, any_day, listed, parse_yes_no, past_day,
    short_text,
};
use crate::{Day, UnitCode};

/// A position to record: held from a day, until a day or still.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRole {
    pub position: Position,
    /// The unit where it is held (a branch, a commune union…).
    pub unit: Option<UnitCode>,
    pub from: Day,
    pub to: Option<Day>,
}

impl NewRole {
    pub fn parse(position: &str, unit: &str, from: &str, to: &str) -> Result<NewRole, Vec<FieldError>> {
        let today = Day::today();
        let mut errors = Errors::default();
        let position = errors.keep(required("position", position, Position::parse));
        let unit = errors.keep(listed("unit", unit, |s| UnitCode::parse(s).ok())).flatten();
        let from = match errors.keep(past_day("from", from, today)) {
            Some(None) => errors.keep(Err(FieldError::new("from", "profile.why.required", ""))),
            other => other.flatten(),
        };
        let to = errors.keep(any_day("to", to)).flatten();
        if let (Some(from), Some(to)) = (from, to)
            && to < from
        {
            errors
                .0
                .push(FieldError::new("to", "profile.why.before_from", &to.to_string()));
        }
        match (position, from) {
            (Some(position), Some(from)) if errors.0.is_empty() => Ok(NewRole {
                position,
                unit,
                from,
                to,
            }),
            _ => Err(errors.0),
        }
    }
}

fn required<T>(field: &'static str, s: &str, parse: fn(&str) -> Option<T>) -> Result<T, FieldError> {
    listed(field, s, parse)?.ok_or_else(|| FieldError::new(field, "profile.why.required", ""))
}

/// A title or award of a year, given at a level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTitle {
    pub year: Year,
    pub level: AwardLevel,
    pub kind: TitleKind,
    /// The decision or wording ("Bằng khen của UBND tỉnh, QĐ 123/QĐ-UBND").
    pub note: Option<String>,
}

impl NewTitle {
    pub fn parse(year: &str, level: &str, kind: &str, note: &str) -> Result<NewTitle, Vec<FieldError>> {
        let mut errors = Errors::default();
        let year = errors.keep(required("year", year, Year::parse));
        let level = errors.keep(required("level", level, AwardLevel::parse));
        let kind = errors.keep(required("kind", kind, TitleKind::parse));
        let note = errors.keep(short_text("note", note)).flatten();
        match (year, level, kind) {
            (Some(year), Some(level), Some(kind)) if errors.0.is_empty() => Ok(NewTitle {
                year,
                level,
                kind,
                note,
            }),
            _ => Err(errors.0),
        }
    }
}

/// A member's rating for a year, and whether the branch proposed them
/// to the Party that year as an outstanding member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRating {
    pub year: Year,
    pub rating: Rating,
    pub proposed_to_party: bool,
}

impl NewRating {
    pub fn parse(year: &str, rating: &str, proposed: &str) -> Result<NewRating, Vec<FieldError>> {
        let mut errors = Errors::default();
        let year = errors.keep(required("year", year, Year::parse));
        let rating = errors.keep(required("rating", rating, Rating::parse));
        let proposed = errors.keep(
            parse_yes_no(proposed).ok_or_else(|| FieldError::new("proposed_to_party", "profile.why.yes_no", proposed)),
        );
        match (year, rating, proposed) {
            (Some(year), Some(rating), Some(proposed)) if errors.0.is_empty() => Ok(NewRating {
                year,
                rating,
                proposed_to_party: proposed.unwrap_or(false),
            }),
            _ => Err(errors.0),
        }
    }
}

/// The largest photo taken.
pub const MAX_PHOTO_BYTES: usize = 2 * 1024 * 1024;

/// A member's photo: JPEG or PNG (by its first bytes, whatever the file
/// is called), at most 2 MB.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Photo {
    content_type: &'static str,
    bytes: Vec<u8>,
}

impl Photo {
    pub fn parse(bytes: Vec<u8>) -> Result<Photo, FieldError> {
        let content_type = if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            "image/jpeg"
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            "image/png"
        } else {
            return Err(FieldError::new("photo", "profile.why.photo_type", ""));
        };
        if bytes.len() > MAX_PHOTO_BYTES {
            return Err(FieldError::new("photo", "profile.why.photo_size", ""));
        }
        Ok(Photo { content_type, bytes })
    }

    pub fn content_type(&self) -> &'static str {
        self.content_type
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}
