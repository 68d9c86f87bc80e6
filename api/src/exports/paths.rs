//! Where a design file goes inside an export.

use std::collections::HashSet;

use uuid::Uuid;

/// `files/<project>/<name>` with separators and control characters made
/// harmless, and ` (2)`, ` (3)` … before the extension when a project holds
/// the same name twice.
pub(super) fn unique_path(taken: &mut HashSet<String>, project: Uuid, filename: &str) -> String {
    let clean: String = filename
        .chars()
        .map(|c| {
            if c == '/' || c == '\\' || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let clean = match clean.trim_matches('.') {
        "" => "file".to_owned(),
        s => s.to_owned(),
    };
    let (stem, ext) = match clean.rfind('.') {
        Some(i) if i > 0 => (&clean[..i], &clean[i..]),
        _ => (clean.as_str(), ""),
    };
    let mut n = 1;
    loop {
        let name = if n == 1 {
            clean.clone()
        } else {
            format!("{stem} ({n}){ext}")
        };
        let path = format!("files/{project}/{name}");
        if taken.insert(path.clone()) {
            return path;
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_name_twice_in_a_project_gets_a_number_and_separators_are_harmless() {
        let mut taken = HashSet::new();
        let p = Uuid::nil();
        assert_eq!(
            unique_path(&mut taken, p, "緑茶.png"),
            format!("files/{p}/緑茶.png")
        );
        assert_eq!(
            unique_path(&mut taken, p, "緑茶.png"),
            format!("files/{p}/緑茶 (2).png")
        );
        assert_eq!(
            unique_path(&mut taken, p, "../a/b"),
            format!("files/{p}/_a_b")
        );
        assert_eq!(unique_path(&mut taken, p, ".."), format!("files/{p}/file"));
    }
}
