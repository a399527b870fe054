//! The shape of the source, held by a test: no file under `crates/*/src`
//! is longer than 600 lines, and the files of one crate do not import
//! each other in a circle (a module that uses another is never used by
//! it, directly or through others), so each crate reads as layers.
//!
//! A crate's root (`lib.rs`, `main.rs`) and a module's own parent are its
//! index (module declarations, re-exports, shared types): a file's use of
//! an index it sits under is not counted as an import, but a name the root
//! re-exports (`pub use members::X`) counts as the module it comes from.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const MAX_LINES: usize = 600;

type Module = Vec<String>;

fn crates_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// The `.rs` files under `dir`, walked in order.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The source directory of every crate, by crate name.
fn crate_sources() -> BTreeMap<String, PathBuf> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(crates_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.join("src").is_dir() {
            out.insert(
                path.file_name().unwrap().to_string_lossy().into_owned(),
                path.join("src"),
            );
        }
    }
    out
}

/// The module a file under `src` defines: `[]` for the root.
fn module_of(src: &Path, file: &Path) -> Module {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Module = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    match parts.last().map(String::as_str) {
        Some("lib" | "main") if parts.len() == 1 => parts.clear(),
        Some("mod") => {
            parts.pop();
        }
        _ => {}
    }
    parts
}

/// The text without line comments.
fn code_of(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `a::{b, c::{d}}` → `a::b`, `a::c::d`.
fn expand(tree: &str, out: &mut Vec<String>) {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(open) = tree.find('{') else {
        out.push(tree);
        return;
    };
    let close = tree.rfind('}').unwrap_or(tree.len());
    let head = &tree[..open];
    let (mut depth, mut start) = (0, open + 1);
    let body_end = close;
    let mut parts = Vec::new();
    for (i, ch) in tree.char_indices().take_while(|(i, _)| *i < body_end).skip(open + 1) {
        match ch {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&tree[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&tree[start..body_end]);
    for part in parts.into_iter().filter(|p| !p.is_empty()) {
        expand(&format!("{head}{part}"), out);
    }
}

/// Every path the code names that starts at `crate`, `super` or `self`.
fn paths_named(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in code.match_indices("use ") {
        let before = code[..i].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        if let Some(end) = code[i..].find(';') {
            expand(&code[i + 4..i + end], &mut out);
        }
    }
    for start in ["crate::", "super::", "self::"] {
        for (i, _) in code.match_indices(start) {
            let before = code[..i].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let end = code[i..]
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .map_or(code.len(), |e| i + e);
            out.push(code[i..end].to_string());
        }
    }
    out
}

/// The names the root re-exports, and the module each comes from.
fn reexports(modules: &BTreeSet<Module>, root: &str) -> BTreeMap<String, Module> {
    let mut out = BTreeMap::new();
    for (i, _) in root.match_indices("pub use ") {
        let Some(end) = root[i..].find(';') else { continue };
        let mut paths = Vec::new();
        // `A as B`: the name seen is `B` (kept apart from the spaces `expand` drops).
        expand(&root[i + 8..i + end].replace(" as ", "@"), &mut paths);
        for path in paths {
            let segments: Vec<&str> = path.split("::").filter(|s| *s != "crate").collect();
            let (Some(name), Some(first)) = (segments.last(), segments.first()) else {
                continue;
            };
            let name = name.rsplit('@').next().unwrap_or(name).to_string();
            let module = vec![first.to_string()];
            if modules.contains(&module) && segments.len() > 1 {
                out.insert(name, module);
            }
        }
    }
    out
}

/// The modules of the crate that `module`'s code imports (`reexported`:
/// the names the root re-exports, by the module they come from).
fn imports(
    modules: &BTreeSet<Module>,
    reexported: &BTreeMap<String, Module>,
    module: &Module,
    code: &str,
) -> BTreeSet<Module> {
    let mut out = BTreeSet::new();
    for path in paths_named(code) {
        let mut segments = path.split("::").filter(|s| !s.is_empty());
        let mut base: Module = match segments.next() {
            Some("crate") => Vec::new(),
            Some("super") => module[..module.len().saturating_sub(1)].to_vec(),
            Some("self") => module.clone(),
            _ => continue,
        };
        let mut rest: Vec<&str> = segments.collect();
        while rest.first() == Some(&"super") {
            base.pop();
            rest.remove(0);
        }
        if base.is_empty()
            && let Some(from) = rest.first().and_then(|name| reexported.get(*name))
        {
            if from != module {
                out.insert(from.clone());
            }
            continue;
        }
        let mut best = base.clone();
        for segment in rest {
            base.push(segment.to_string());
            if modules.contains(&base) {
                best = base.clone();
            } else {
                break;
            }
        }
        // The root and the module's own ancestors are its index.
        let index = best.len() < module.len() && module[..best.len()] == best[..];
        if best != *module && !best.is_empty() && !index {
            out.insert(best);
        }
    }
    out
}

/// The modules reachable from `from` (itself excluded unless on a circle).
fn reachable(graph: &BTreeMap<Module, BTreeSet<Module>>, from: &Module) -> BTreeSet<Module> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<&Module> = graph[from].iter().collect();
    while let Some(m) = stack.pop() {
        if seen.insert(m.clone()) {
            stack.extend(graph.get(m).into_iter().flatten());
        }
    }
    seen
}

#[test]
fn no_source_file_is_longer_than_600_lines() {
    let mut long = Vec::new();
    for src in crate_sources().values() {
        let mut files = Vec::new();
        rust_files(src, &mut files);
        for file in files {
            let lines = std::fs::read_to_string(&file).unwrap().lines().count();
            if lines > MAX_LINES {
                long.push(format!("{} ({lines} lines)", file.display()));
            }
        }
    }
    assert!(long.is_empty(), "split along their jobs:\n{}", long.join("\n"));
}

#[test]
fn no_circle_of_imports_between_the_files_of_a_crate() {
    let mut circles = Vec::new();
    for (name, src) in crate_sources() {
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        let modules: BTreeSet<Module> = files.iter().map(|f| module_of(&src, f)).collect();
        let root = files
            .iter()
            .find(|f| module_of(&src, f).is_empty())
            .map(|f| code_of(&std::fs::read_to_string(f).unwrap()))
            .unwrap_or_default();
        let reexported = reexports(&modules, &root);
        let graph: BTreeMap<Module, BTreeSet<Module>> = files
            .iter()
            .map(|f| {
                let module = module_of(&src, f);
                let code = code_of(&std::fs::read_to_string(f).unwrap());
                let deps = imports(&modules, &reexported, &module, &code);
                (module, deps)
            })
            .collect();
        for (module, deps) in &graph {
            for dep in deps {
                if reachable(&graph, dep).contains(module) && module < dep {
                    circles.push(format!("{name}: {} ⇄ {}", module.join("::"), dep.join("::")));
                }
            }
        }
    }
    assert!(
        circles.is_empty(),
        "modules that import each other, directly or through others:\n{}",
        circles.join("\n")
    );
}

#[test]
fn the_import_reader_sees_grouped_and_nested_paths() {
    let modules: BTreeSet<Module> = [
        vec!["a".to_string()],
        vec!["b".into()],
        vec!["c".into(), "d".into()],
        vec!["c".into()],
    ]
    .into_iter()
    .collect();
    let code = "use crate::{a::X, c::d::{Y, Z}};\nfn f() { crate::b::g(); super::d::h(); } // crate::nothing";
    let reexported = reexports(&modules, "pub use a::{Thing, Other as O};");
    assert_eq!(reexported["O"], vec!["a".to_string()]);
    let found = imports(
        &modules,
        &BTreeMap::new(),
        &vec!["c".to_string(), "e".to_string()],
        code,
    );
    let expected: BTreeSet<Module> = [vec!["a".to_string()], vec!["b".into()], vec!["c".into(), "d".into()]]
        .into_iter()
        .collect();
    assert_eq!(found, expected);
}
