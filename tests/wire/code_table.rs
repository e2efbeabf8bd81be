//! The tables that show the code table, in README.md and in the docs of `src/code.rs`, say what
//! the declaration in `src/code.rs` says: `code::all()` is compared with every row.
//!
//! (That the README names every constructor of the declaration, and no other, is a unit test of
//! `src/code.rs`: the list of constructors is not public.)

use tower_api_error::code;

const README: &str = include_str!("../../README.md");
const CODE_RS: &str = include_str!("../../src/code.rs");

/// The lines under the heading line `heading` of README.md, up to the next heading.
fn readme_section(heading: &str) -> Vec<&'static str> {
    let mut lines = README.lines();
    assert!(
        lines.any(|line| line == heading),
        "README.md has no heading {heading:?}"
    );
    lines.take_while(|line| !line.starts_with('#')).collect()
}

/// The module docs of `src/code.rs`, without their `//!`.
fn code_module_docs() -> Vec<&'static str> {
    CODE_RS
        .lines()
        .filter_map(|line| line.strip_prefix("//!"))
        .map(|line| line.strip_prefix(' ').unwrap_or(line))
        .collect()
}

/// The body rows of the first Markdown table in `lines`, each split into trimmed cells: the header
/// row and the `|---|` row are left out.
fn table_rows<'a>(lines: &[&'a str]) -> Vec<Vec<&'a str>> {
    let table: Vec<&str> = lines
        .iter()
        .copied()
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'))
        .collect();
    assert!(table.len() > 2, "no table with rows in {lines:#?}");
    assert!(table[1].starts_with("|---"), "not a table: {:?}", table[1]);
    table[2..]
        .iter()
        .map(|row| {
            let cells = row.strip_prefix('|').and_then(|row| row.strip_suffix('|'));
            let cells = cells.unwrap_or_else(|| panic!("row not closed by `|`: {row:?}"));
            cells.split('|').map(str::trim).collect()
        })
        .collect()
}

/// The texts between backticks in a cell.
fn quoted(cell: &str) -> Vec<&str> {
    cell.split('`').skip(1).step_by(2).collect()
}

/// `(status, code, default description)` of every row of a table with these three columns.
fn status_code_description_rows<'a>(lines: &[&'a str]) -> Vec<(u16, &'a str, &'a str)> {
    table_rows(lines)
        .into_iter()
        .map(|row| {
            let [status, code, description] = row[..] else {
                panic!("not three cells: {row:?}");
            };
            let status = status
                .parse()
                .unwrap_or_else(|_| panic!("not a status: {row:?}"));
            let [code] = quoted(code)[..] else {
                panic!("not one `code`: {row:?}");
            };
            (status, code, description)
        })
        .collect()
}

/// The code table as its tables show it.
fn declared() -> Vec<(u16, &'static str, &'static str)> {
    code::all()
        .map(|entry| (entry.status().as_u16(), entry.code(), entry.description()))
        .collect()
}

/// Compares a shown table with the declaration row by row, naming the first row that differs.
fn assert_same_table(shown: &[(u16, &str, &str)], declared: &[(u16, &str, &str)], table: &str) {
    for (i, (shown, declared)) in shown.iter().zip(declared).enumerate() {
        assert_eq!(
            shown,
            declared,
            "row {} of {table} (left) differs from the declaration in src/code.rs (right)",
            i + 1
        );
    }
    assert_eq!(
        shown.len(),
        declared.len(),
        "{table} has {} rows, the declaration in src/code.rs {} entries",
        shown.len(),
        declared.len()
    );
}

#[test]
fn module_docs_table_is_the_code_table() {
    let shown = status_code_description_rows(&code_module_docs());
    assert_same_table(&shown, &declared(), "the table in the docs of src/code.rs");
}

#[test]
fn readme_codes_agree_with_the_code_table() {
    let mut seen = Vec::new();
    for row in table_rows(&readme_section("## Codes")) {
        let [status, codes, constructors, _headers] = row[..] else {
            panic!("not four cells: {row:?}");
        };
        // The last row is about `ApiError::new` and `from_status`, which take any status.
        let Ok(status) = status.parse::<u16>() else {
            assert_eq!(status, "any 4xx/5xx", "{row:?}");
            continue;
        };
        let codes = quoted(codes);
        for code in &codes {
            let entry = code::all()
                .find(|entry| entry.code() == *code)
                .unwrap_or_else(|| panic!("`{code}` of the README is not in the code table"));
            assert_eq!(
                status,
                entry.status().as_u16(),
                "status of `{code}` in the README table \"## Codes\" (left) and in the \
                 declaration in src/code.rs (right)"
            );
            assert!(!seen.contains(code), "`{code}` has two rows");
            seen.push(code);
        }
        // Each code of the row with its constructor, named after it, and no other constructor.
        let named: Vec<&str> = constructors
            .split("ApiError::")
            .skip(1)
            .map(|call| call.split('(').next().unwrap())
            .collect();
        assert_eq!(
            named, codes,
            "constructors (left) and codes (right) of the {status} row of the README table \
             \"## Codes\""
        );
    }
}
