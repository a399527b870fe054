//! Audit entries as a person reads them: the action as words, and the
//! detail as "field: before → after" in the reader's language, never raw
//! codes or JSON.

use hnd_domain::{Day, Lang, i18n};
use serde_json::Value;

/// `member.transfer` → "Chuyển sinh hoạt"; a command of the command line
/// (`cli.members.import`) → "Dòng lệnh: hnd members import".
pub fn action(code: &str, lang: Lang) -> String {
    let key = format!("audit.action.{code}");
    let text = i18n::t(lang, &key, &[]);
    if text != key {
        return text;
    }
    match code.strip_prefix("cli.") {
        Some(command) => i18n::t(lang, "audit.cli", &[("command", &command.replace('.', " "))]),
        None => code.to_string(),
    }
}

/// The detail of an entry as sentences: each field that changed with its
/// value before and after, then the other facts (date, reason, decision…).
pub fn detail(detail: &Value, lang: Lang) -> String {
    let Some(map) = detail.as_object() else {
        return String::new();
    };
    let empty = serde_json::Map::new();
    let before = map.get("before").and_then(Value::as_object).unwrap_or(&empty);
    let after = map.get("after").and_then(Value::as_object).unwrap_or(&empty);
    let mut parts = Vec::new();
    let mut fields: Vec<&String> = before.keys().chain(after.keys()).collect();
    fields.dedup();
    let mut seen = std::collections::BTreeSet::new();
    for field in fields {
        if !seen.insert(field) {
            continue;
        }
        let (was, now) = (before.get(field), after.get(field));
        let text = match (was, now) {
            (Some(was), Some(now)) => format!("{} → {}", value(field, was, lang), value(field, now, lang)),
            (Some(was), None) => value(field, was, lang),
            (None, Some(now)) => format!("→ {}", value(field, now, lang)),
            (None, None) => continue,
        };
        parts.push(format!("{}: {text}", label(field, lang)));
    }
    for (field, v) in map {
        if field != "before" && field != "after" {
            parts.push(format!("{}: {}", label(field, lang), value(field, v, lang)));
        }
    }
    parts.join("; ")
}

fn label(field: &str, lang: Lang) -> String {
    let key = format!("audit.field.{field}");
    let text = i18n::t(lang, &key, &[]);
    if text == key { field.replace('_', " ") } else { text }
}

/// The words for a code the register stores (a member's status, a
/// household role or category), when `field` holds one.
fn coded(field: &str, code: &str, lang: Lang) -> Option<String> {
    let list = match field {
        "status" => "member.status",
        "role" => "household.role",
        "category" => "household.category",
        _ => return None,
    };
    let key = format!("{list}.{code}");
    let text = i18n::t(lang, &key, &[]);
    (text != key).then_some(text)
}

fn value(field: &str, v: &Value, lang: Lang) -> String {
    match v {
        Value::Null => "—".to_string(),
        Value::String(s) => coded(field, s, lang)
            .or_else(|| Day::from_iso(s).ok().map(|d| d.to_string()))
            .unwrap_or_else(|| s.clone()),
        Value::Bool(b) => i18n::t(lang, if *b { "audit.yes" } else { "audit.no" }, &[]),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => items
            .iter()
            .map(|i| value(field, i, lang))
            .collect::<Vec<_>>()
            .join(", "),
        Value::Object(inner) => inner
            .iter()
            .map(|(k, v)| format!("{} {}", label(k, lang), value(k, v, lang)))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_entry_reads_as_words() {
        assert_eq!(action("member.transfer", Lang::Vi), "Chuyển sinh hoạt");
        assert_eq!(action("cli.members.import", Lang::Vi), "Dòng lệnh: hnd members import");
        let d = json!({"before": {"status": "active", "unit": "00004-A"},
                       "after": {"status": "in_transfer", "transfer_to": "00004-B"}, "date": "2026-03-02"});
        assert_eq!(
            detail(&d, Lang::Vi),
            "trạng thái: đang sinh hoạt → đang chuyển sinh hoạt; đơn vị: 00004-A; \
             chuyển đến: → 00004-B; ngày: 02/03/2026"
        );
        let d = json!({"before": null, "after": {"role": "head", "category": "near_poor"}});
        assert_eq!(detail(&d, Lang::Vi), "phân loại hộ: → hộ cận nghèo; vai trò: → chủ hộ");
    }
}
