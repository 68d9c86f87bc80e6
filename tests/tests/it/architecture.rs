//! The rules of `docs/architecture.md` that a reader of the source can check:
//! layers point down (no import loop between the top-level modules of
//! `api/src`, nobody but the entry points imports `startup`), handlers never
//! commit, permissions and time go through their types, files stay short.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::{Path, PathBuf},
};

use crepo_tests::workspace_root;

/// Every `.rs` file under `api/src`, with its text up to its `#[cfg(test)]`
/// module (unit tests may do what the application must not).
fn sources() -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let root = workspace_root().join("api/src");
    let mut files = Vec::new();
    walk(&root, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or("").to_owned();
            let rel = path
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, code)
        })
        .collect()
}

/// `auth/context.rs` → `auth`, `me.rs` → `me`.
fn top_module(rel: &str) -> String {
    rel.split('/')
        .next()
        .unwrap_or(rel)
        .trim_end_matches(".rs")
        .to_owned()
}

fn without_comments(code: &str) -> String {
    code.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules `code` names through `crate::`.
fn imports(code: &str) -> BTreeSet<String> {
    let code = without_comments(code);
    let mut out = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // `use crate::{a::b, c, d::{e, f}}`: the first segment of each item.
            let mut depth = 0;
            let mut item_start = true;
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if item_start && (c.is_ascii_alphabetic() || c == '_') => {
                        item_start = false;
                        out.insert(ident(&group[j..]));
                    }
                    _ => {}
                }
            }
        } else {
            let name = ident(rest);
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (rel, code) in sources() {
        let from = top_module(&rel);
        if from == "lib" || from == "main" {
            continue;
        }
        let entry = graph.entry(from.clone()).or_default();
        entry.extend(
            imports(&code)
                .into_iter()
                .filter(|m| *m != from && m != "self"),
        );
    }
    graph
}

/// A loop through `start`, if there is one.
fn loop_through(graph: &BTreeMap<String, BTreeSet<String>>, start: &str) -> Option<Vec<String>> {
    let mut stack = vec![vec![start.to_owned()]];
    let mut seen = BTreeSet::new();
    while let Some(path) = stack.pop() {
        let last = path.last().unwrap();
        for next in graph.get(last).into_iter().flatten() {
            if next == start {
                let mut found = path.clone();
                found.push(next.clone());
                return Some(found);
            }
            if seen.insert(next.clone()) {
                let mut longer = path.clone();
                longer.push(next.clone());
                stack.push(longer);
            }
        }
    }
    None
}

#[test]
fn architecture_no_top_level_module_of_the_api_imports_one_that_imports_it_back() {
    let graph = graph();
    assert!(graph.len() > 20, "the import graph looks empty: {graph:?}");
    assert!(
        graph["auth"].contains("accounts"),
        "the parser lost an edge it should see: {:?}",
        graph["auth"]
    );
    let loops: Vec<Vec<String>> = graph
        .keys()
        .filter_map(|m| loop_through(&graph, m))
        .collect();
    assert!(loops.is_empty(), "import loops: {loops:?}");
}

#[test]
fn architecture_only_the_entry_points_import_startup() {
    let importers: Vec<String> = sources()
        .into_iter()
        .filter(|(rel, code)| {
            !["cli.rs", "main.rs", "lib.rs", "startup.rs"].contains(&rel.as_str())
                && imports(code).contains("startup")
        })
        .map(|(rel, _)| rel)
        .collect();
    assert!(importers.is_empty(), "{importers:?} import startup");
}

#[test]
fn architecture_only_the_doors_and_the_background_workers_commit() {
    let allowed = |rel: &str| {
        [
            "db/tenant.rs",
            "auth/context.rs",
            "db/migrate.rs",
            "notices/delivery.rs",
        ]
        .contains(&rel)
            || rel.starts_with("logbook/")
    };
    let committing: Vec<String> = sources()
        .into_iter()
        .filter(|(rel, code)| code.contains(".commit()") && !allowed(rel))
        .map(|(rel, _)| rel)
        .collect();
    assert!(committing.is_empty(), "{committing:?} commit by hand");
}

#[test]
fn architecture_permissions_and_time_go_through_their_types() {
    for (rel, code) in sources() {
        let code = without_comments(&code);
        for call in [".require(\"", ".can(\"", ".project(\"", ".project_scope(\""] {
            assert!(
                !code.contains(call),
                "{rel}: a permission as a string: {call}"
            );
        }
        // The command line runs outside the server and reads the system clock.
        let cli = ["clock.rs", "ops/cli.rs", "logbook/maintenance.rs"].contains(&rel.as_str());
        assert!(
            cli || !code.contains("Utc::now()"),
            "{rel}: Utc::now() instead of the application's clock"
        );
    }
}

#[test]
fn architecture_source_files_stay_under_four_hundred_lines() {
    let long: Vec<(String, usize)> = sources()
        .into_iter()
        .map(|(rel, _)| {
            let text =
                std::fs::read_to_string(workspace_root().join("api/src").join(&rel)).unwrap();
            (rel, text.lines().count())
        })
        .filter(|(_, n)| *n > 400)
        .collect();
    assert!(
        long.is_empty(),
        "split these by what their parts do: {long:?}"
    );
}
