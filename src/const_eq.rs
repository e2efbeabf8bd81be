//! Comparisons usable in a `const`, for the tables that are built when the crate compiles (the
//! code table and its translations, the reserved member names).

/// `a == b`, in a `const`.
pub(crate) const fn eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// `a.eq_ignore_ascii_case(b)`, in a `const`.
pub(crate) const fn eq_ignore_ascii_case(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if !a[i].eq_ignore_ascii_case(&b[i]) {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_as_the_standard_library_does() {
        for (a, b) in [
            ("", ""),
            ("en", "en"),
            ("en", "EN"),
            ("pt-BR", "pt-br"),
            ("en", "e"),
            ("a", "b"),
        ] {
            assert_eq!(eq(a.as_bytes(), b.as_bytes()), a == b, "{a} {b}");
            assert_eq!(
                eq_ignore_ascii_case(a, b),
                a.eq_ignore_ascii_case(b),
                "{a} {b}"
            );
        }
    }
}
