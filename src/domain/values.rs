//! Parse, don't validate: values that enter the domain are checked once, at
//! the edge, and carried as types that cannot hold a bad value.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult, UserErrorCode};

/// Longest name of anything (compound, person, building, …), in characters.
pub const MAX_NAME_LEN: usize = 100;
/// Longest free text (agenda, minutes), in characters.
pub const MAX_TEXT_LEN: usize = 20_000;
/// Longest phone number as typed, spaces included, in characters: the
/// longest number accepted (`0755-12345678`) is 13, with room for spaces.
pub const MAX_PHONE_LEN: usize = 20;
/// Longest code of a unit of the register (an administrative division
/// code, 12 digits at most, or a grid code), in characters.
pub const MAX_CODE_LEN: usize = 32;
/// Longest postal address, in characters.
pub const MAX_ADDRESS_LEN: usize = 200;

/// A trimmed, non-blank name of at most `MAX_NAME_LEN` characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name(String);

impl Name {
    /// Parses the input at `field`.
    pub fn parse(raw: &str, field: &str) -> AppResult<Self> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(AppError::invalid(
                field,
                UserErrorCode::Required,
                "must not be blank",
            ));
        }
        if s.chars().count() > MAX_NAME_LEN {
            return Err(AppError::invalid(
                field,
                UserErrorCode::TooLong,
                format!("must be at most {MAX_NAME_LEN} characters"),
            ));
        }
        if s.chars().any(char::is_control) {
            return Err(AppError::invalid(
                field,
                UserErrorCode::Invalid,
                "must not contain control characters",
            ));
        }
        Ok(Self(s.to_owned()))
    }

    /// The name, borrowed.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name.
    pub fn into_inner(self) -> String {
        self.0
    }
}

/// Free text of at most `MAX_TEXT_LEN` characters (may be empty).
pub fn parse_text(raw: &str, field: &str) -> AppResult<String> {
    parse_bounded(raw, field, MAX_TEXT_LEN)
}

/// Text of at most `max` characters, counted as given (before trimming),
/// trimmed; refused at `field` past `max`.
pub fn parse_bounded(raw: &str, field: &str, max: usize) -> AppResult<String> {
    if raw.chars().count() > max {
        return Err(AppError::invalid(
            field,
            UserErrorCode::TooLong,
            format!("must be at most {max} characters"),
        ));
    }
    Ok(raw.trim().to_owned())
}

/// A code of a unit of the register as given (its format is the issuing
/// office's), trimmed, of at most `MAX_CODE_LEN` characters.
pub fn parse_code(raw: &str, field: &str) -> AppResult<String> {
    parse_bounded(raw, field, MAX_CODE_LEN)
}

/// A postal address of at most `MAX_ADDRESS_LEN` characters, trimmed; a
/// blank one is none.
pub fn parse_address(raw: &str, field: &str) -> AppResult<Option<String>> {
    Ok(Some(parse_bounded(raw, field, MAX_ADDRESS_LEN)?).filter(|a| !a.is_empty()))
}

/// Free text as `parse_text` reads it, refused at `field` with `what` (what
/// to say) when blank.
pub fn required_text(raw: &str, field: &str, what: &str) -> AppResult<String> {
    let text = parse_text(raw, field)?;
    if text.is_empty() {
        return Err(AppError::invalid(field, UserErrorCode::Required, what));
    }
    Ok(text)
}

/// A phone number: a mainland mobile number (11 digits starting 1[3-9]) or
/// a landline of 7–12 digits with an optional area code and hyphen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    /// Parses the input at `field`: a mobile number, a local landline
    /// number of 7–8 digits, or a landline with its area code (0 and 2–3
    /// digits), optionally separated by a hyphen.
    pub fn parse(raw: &str, field: &str) -> AppResult<Self> {
        // Spaces are dropped below, so the length is bounded as typed.
        if raw.chars().count() > MAX_PHONE_LEN {
            return Err(AppError::invalid(
                field,
                UserErrorCode::TooLong,
                format!("a phone number is at most {MAX_PHONE_LEN} characters"),
            ));
        }
        let s: String = raw.trim().chars().filter(|c| *c != ' ').collect();
        let is_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        let mobile = s.len() == 11
            && is_digits(&s)
            && s.starts_with('1')
            && matches!(s.as_bytes()[1], b'3'..=b'9');
        let local = |t: &str| is_digits(t) && (7..=8).contains(&t.len()) && !t.starts_with('0');
        let area = |t: &str| is_digits(t) && (3..=4).contains(&t.len()) && t.starts_with('0');
        let landline = match s.split_once('-') {
            Some((a, l)) => area(a) && local(l),
            None => {
                local(&s)
                    || (s.starts_with('0')
                        && (1..=3)
                            .any(|n| s.len() > n + 1 && area(&s[..n + 1]) && local(&s[n + 1..])))
            }
        };
        if mobile || landline {
            Ok(Self(s))
        } else {
            Err(AppError::invalid(
                field,
                UserErrorCode::Invalid,
                "not a phone number (an 11-digit mobile number or a landline such as 010-12345678)",
            ))
        }
    }

    /// The number.
    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A resident identity card number (公民身份号码): 17 digits and a check
/// character, verified by the ISO 7064 MOD 11-2 rule of GB 11643.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdNumber(String);

impl IdNumber {
    /// Parses the input at `field`.
    pub fn parse(raw: &str, field: &str) -> AppResult<Self> {
        let s = raw.trim().to_ascii_uppercase();
        let bad = || {
            AppError::invalid(
                field,
                UserErrorCode::Invalid,
                "not a valid 18-character identity number",
            )
        };
        let bytes = s.as_bytes();
        if bytes.len() != 18 || !bytes[..17].iter().all(u8::is_ascii_digit) {
            return Err(bad());
        }
        const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        const CHECK: &[u8; 11] = b"10X98765432";
        let sum: u32 = bytes[..17]
            .iter()
            .zip(WEIGHTS)
            .map(|(b, w)| u32::from(b - b'0') * w)
            .sum();
        if bytes[17] != CHECK[(sum % 11) as usize] {
            return Err(bad());
        }
        Ok(Self(s))
    }

    /// The number.
    pub fn into_inner(self) -> String {
        self.0
    }
}

/// Masks a phone number for callers not entitled to it: `138****5678`.
pub fn mask_phone(phone: &str) -> String {
    mask(phone, 3, 4)
}

/// Masks an identity number: `110105**********1X` keeps the region code and the check pair.
pub fn mask_id_number(id: &str) -> String {
    mask(id, 6, 2)
}

fn mask(s: &str, keep_head: usize, keep_tail: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= keep_head + keep_tail {
        return "*".repeat(chars.len());
    }
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i < keep_head || i >= chars.len() - keep_tail || *c == '-' {
                *c
            } else {
                '*'
            }
        })
        .collect()
}

/// An area in hundredths of a square metre: exact integer arithmetic, never
/// floating point. Written as a decimal with at most two places ("89.50").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Area(i64);

impl Area {
    /// An area of `centi` hundredths of a square metre.
    pub fn from_centi(centi: i64) -> Self {
        Self(centi)
    }

    /// The area in hundredths of a square metre.
    pub fn centi(self) -> i64 {
        self.0
    }

    /// Parses a positive decimal of at most two places, at most 1,000,000 m².
    pub fn parse(raw: &str) -> Result<Self, String> {
        let s = raw.trim();
        let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
        if whole.is_empty()
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
            || frac.len() > 2
            || whole.len() > 7
            || (s.contains('.') && frac.is_empty())
        {
            return Err(format!(
                "`{s}` is not an area in square metres with at most two decimals"
            ));
        }
        let whole: i64 = whole.parse().map_err(|_| "area too large".to_owned())?;
        let frac: i64 = format!("{frac:0<2}").parse().unwrap_or(0);
        let centi = whole * 100 + frac;
        if centi <= 0 {
            return Err("an area must be greater than zero".into());
        }
        if centi > 100_000_000 {
            return Err("an area must be at most 1,000,000 m²".into());
        }
        Ok(Self(centi))
    }
}

impl fmt::Display for Area {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

/// A term or period: `starts_on ..= ends_on`, open-ended when `ends_on` is `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day, if fixed.
    pub ends_on: Option<NaiveDate>,
}

impl Term {
    /// Parses a term whose end, if any, is not before its start.
    pub fn parse(starts_on: NaiveDate, ends_on: Option<NaiveDate>, field: &str) -> AppResult<Self> {
        if let Some(end) = ends_on
            && end < starts_on
        {
            return Err(AppError::invalid(
                field,
                UserErrorCode::OutOfRange,
                "the end date is before the start date",
            ));
        }
        Ok(Self { starts_on, ends_on })
    }

    /// Whether the two terms share at least one day.
    pub fn overlaps(&self, other: &Term) -> bool {
        let a_end = self.ends_on.unwrap_or(NaiveDate::MAX);
        let b_end = other.ends_on.unwrap_or(NaiveDate::MAX);
        self.starts_on <= b_end && other.starts_on <= a_end
    }

    /// Whether `day` falls within the term.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.starts_on <= day && self.ends_on.is_none_or(|e| day <= e)
    }
}

/// A `LIKE` pattern matching `text` anywhere, with `%`, `_` and the escape
/// character itself taken literally (escape character: backslash).
pub fn contains_pattern(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn areas_parse_exactly() {
        assert_eq!(Area::parse("89.5").unwrap().centi(), 8950);
        assert_eq!(Area::parse("89.05").unwrap().centi(), 8905);
        assert_eq!(Area::parse("120").unwrap().centi(), 12000);
        assert_eq!(Area::parse("0.01").unwrap().centi(), 1);
        assert_eq!(Area::parse("89.50").unwrap().to_string(), "89.50");
        for bad in [
            "", "0", "0.00", "-3", "1.234", "1e3", "12.", ".5", "abc", "12345678",
        ] {
            assert!(Area::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn phones_and_identity_numbers() {
        assert!(Phone::parse("13812345678", "p").is_ok());
        assert!(Phone::parse("010-12345678", "p").is_ok());
        assert!(Phone::parse("12812345678", "p").is_err());
        assert!(Phone::parse("01087654321", "p").is_ok());
        assert!(Phone::parse("87654321", "p").is_ok());
        assert!(Phone::parse("010-1234", "p").is_err());
        assert!(Phone::parse("call me", "p").is_err());
        // Spaces are dropped, but the number as typed has a bound.
        assert!(Phone::parse("138 1234 5678", "p").is_ok());
        let spaced = format!("138{}12345678", " ".repeat(MAX_PHONE_LEN));
        assert!(matches!(
            Phone::parse(&spaced, "p"),
            Err(AppError::Invalid(e)) if e[0].code == UserErrorCode::TooLong
        ));
        assert!(IdNumber::parse("11010519491231002X", "i").is_ok());
        assert!(IdNumber::parse("110105194912310021", "i").is_err());
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_id_number("11010519491231002X"), "110105**********2X");
    }

    #[test]
    fn terms_overlap_inclusively() {
        let a = Term::parse(d("2024-01-01"), Some(d("2024-12-31")), "t").unwrap();
        let b = Term::parse(d("2024-12-31"), None, "t").unwrap();
        let c = Term::parse(d("2025-01-01"), None, "t").unwrap();
        assert!(a.overlaps(&b));
        assert!(!a.overlaps(&c));
        assert!(Term::parse(d("2024-02-01"), Some(d("2024-01-01")), "t").is_err());
        assert!(a.contains(d("2024-12-31")) && !a.contains(d("2025-01-01")));
    }
}
