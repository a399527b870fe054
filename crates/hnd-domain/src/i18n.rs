//! Messages a person reads, from the locale files in `locales/`.
//!
//! Vietnamese is the default; English is the second locale. A file is
//! lines of `key = text`, `{name}` marks an argument, `#` starts a comment.
//! Both files must hold the same keys (checked by a test).

use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "vi" | "vi-vn" => Some(Lang::Vi),
            "en" | "en-us" | "en-gb" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }
}

const VI: &str = include_str!("../locales/vi.txt");
const EN: &str = include_str!("../locales/en.txt");

fn parse_locale(text: &'static str) -> HashMap<&'static str, &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim(), v.trim()))
        .collect()
}

fn table(lang: Lang) -> &'static HashMap<&'static str, &'static str> {
    static VI_TABLE: OnceLock<HashMap<&str, &str>> = OnceLock::new();
    static EN_TABLE: OnceLock<HashMap<&str, &str>> = OnceLock::new();
    match lang {
        Lang::Vi => VI_TABLE.get_or_init(|| parse_locale(VI)),
        Lang::En => EN_TABLE.get_or_init(|| parse_locale(EN)),
    }
}

/// The message `key` in `lang`, with `{name}` replaced by each argument.
/// An unknown key comes back as itself so that a gap shows, not a panic.
pub fn t(lang: Lang, key: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    let template = table(lang).get(key).copied().unwrap_or(key);
    let mut out = template.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), &value.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_locales_have_the_same_keys() {
        let vi: Vec<_> = {
            let mut k: Vec<_> = table(Lang::Vi).keys().collect();
            k.sort();
            k
        };
        let en: Vec<_> = {
            let mut k: Vec<_> = table(Lang::En).keys().collect();
            k.sort();
            k
        };
        assert_eq!(vi, en);
    }

    #[test]
    fn fills_arguments() {
        let msg = t(Lang::Vi, "org.unknown_unit", &[("code", &"99999")]);
        assert!(msg.contains("99999"), "{msg}");
    }
}
