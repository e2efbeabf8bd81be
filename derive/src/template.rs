//! A `description = ".."` with thiserror-style placeholders: `{name}` and `{0}` name a field of
//! the variant, `{name:?}` (or any other format spec) formats it so, and `{{` / `}}` are braces.

use syn::{Error, Ident, LitStr, Member, Result};

/// A field a placeholder can name: how the variant names it (`name` or `0`), and the name it is
/// bound to in the generated `match` arms.
pub(crate) type Named<'a> = (&'a Member, &'a Ident);

pub(crate) struct Template {
    /// The description as written, placeholders kept: what the catalogue shows.
    pub(crate) lit: LitStr,
    pub(crate) text: Text,
}

pub(crate) enum Text {
    /// No placeholders: the text, with `{{` and `}}` made single braces.
    Plain(String),
    /// A format string for `format!`/`write!` whose placeholders name the fields' bindings, and
    /// the fields (indices into the variant's fields) they use, each once.
    Format { format: String, fields: Vec<usize> },
}

impl Template {
    pub(crate) fn parse(lit: LitStr, fields: &[Named<'_>]) -> Result<Self> {
        let value = lit.value();
        let error = |message: String| Error::new(lit.span(), message);
        let mut format = String::with_capacity(value.len());
        let mut plain = String::with_capacity(value.len());
        let mut used: Vec<usize> = Vec::new();
        let mut chars = value.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    format.push_str("{{");
                    plain.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    format.push_str("}}");
                    plain.push('}');
                }
                '}' => {
                    return Err(error(
                        "unmatched `}` in the description; write `}}` for a brace".to_owned(),
                    ))
                }
                '{' => {
                    let mut inner = String::new();
                    loop {
                        match chars.next() {
                            Some('}') => break,
                            Some(c) => inner.push(c),
                            None => {
                                return Err(error(
                                    "unclosed `{` in the description; write `{{` for a brace"
                                        .to_owned(),
                                ))
                            }
                        }
                    }
                    let (name, spec) = match inner.split_once(':') {
                        Some((name, spec)) => (name.trim(), Some(spec)),
                        None => (inner.trim(), None),
                    };
                    let index = field_index(name, fields).map_err(error)?;
                    if !used.contains(&index) {
                        used.push(index);
                    }
                    format.push('{');
                    format.push_str(&fields[index].1.to_string());
                    if let Some(spec) = spec {
                        format.push(':');
                        format.push_str(spec);
                    }
                    format.push('}');
                }
                c => {
                    format.push(c);
                    plain.push(c);
                }
            }
        }
        let text = if used.is_empty() {
            Text::Plain(plain)
        } else {
            Text::Format {
                format,
                fields: used,
            }
        };
        Ok(Self { lit, text })
    }
}

/// The field a placeholder names.
fn field_index(name: &str, fields: &[Named<'_>]) -> std::result::Result<usize, String> {
    if name.is_empty() {
        return Err(
            "a placeholder names a field of the variant, as in `{name}` or `{0}`".to_owned(),
        );
    }
    let found = fields.iter().position(|(member, _)| match member {
        Member::Named(ident) => syn::ext::IdentExt::unraw(ident) == name,
        Member::Unnamed(index) => index.index.to_string() == name,
    });
    found.ok_or_else(|| {
        let names: Vec<String> = fields
            .iter()
            .map(|(member, _)| match member {
                Member::Named(ident) => format!("`{}`", syn::ext::IdentExt::unraw(ident)),
                Member::Unnamed(index) => format!("`{}`", index.index),
            })
            .collect();
        if names.is_empty() {
            format!("the description names `{name}`, but the variant has no fields")
        } else {
            format!(
                "the description names `{name}`, which is not a field of the variant (its fields: {})",
                names.join(", ")
            )
        }
    })
}
