//! Bodies that plans give tasks to, and the groups plans name several of
//! them by ("Các sở, ban, ngành cấp tỉnh").
//!
//! Decided: a body named "Các sở…" (folded: starts with "cac so") is a
//! group of the province's departments; a body whose name starts with
//! "Sở", "Ban" or "Ngành" is a department and belongs to every such group,
//! except the Union's own boards ("Ban Thường vụ Hội Nông dân…"). The
//! store records membership in `body_groups` when a body is first named
//! (migration 0019 does the same for bodies already known); the operator
//! links or unlinks what a name does not say (`hnd tasks bodies --link`,
//! `--unlink`).

use crate::fold;

/// Whether the body named `name` is a group of the province's departments.
pub fn is_group(name: &str) -> bool {
    fold(name).starts_with("cac so")
}

/// Whether the body named `name` is a department (Sở, Ban, ngành) that
/// belongs to the groups of departments.
pub fn is_department(name: &str) -> bool {
    let key = fold(name);
    ["so ", "ban ", "nganh "].iter().any(|p| key.starts_with(p)) && !key.contains("hoi nong dan")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn departments_and_their_groups_by_name() {
        assert!(is_group("Các sở, ban, ngành cấp tỉnh"));
        assert!(is_group("các sở, ngành"));
        assert!(!is_group("Sở Tài chính"));
        assert!(is_department("Sở Nông nghiệp và Phát triển nông thôn"));
        assert!(is_department("Ban Dân tộc tỉnh"));
        assert!(!is_department("Ban Thường vụ Hội Nông dân tỉnh"));
        assert!(!is_department("UBND tỉnh"));
        assert!(!is_department("Các sở, ban, ngành cấp tỉnh"));
    }
}
