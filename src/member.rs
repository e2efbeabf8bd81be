//! Extension members: named, typed data an [`ApiError`](struct@crate::ApiError) carries to the client.

use std::{borrow::Cow, error::Error as StdError, fmt};

/// The member names a body shape uses for itself, which no extension member may take: the seed
/// shape's, RFC 9457's (`instance` included, which the crate never sends) and the
/// `violated-policies` member of [rate limits](crate::rate_limit).
pub(crate) const RESERVED: [&str; 11] = [
    "error",
    "error_description",
    "error_uri",
    "field_errors",
    "request_id",
    "type",
    "title",
    "status",
    "detail",
    "instance",
    "violated-policies",
];

/// The longest member name, in bytes.
pub(crate) const MAX_NAME_LEN: usize = 64;

/// Why a name cannot be a member name; `None` when it can.
const fn check(name: &str) -> Option<NameProblem> {
    let bytes = name.as_bytes();
    if bytes.is_empty() {
        return Some(NameProblem::Empty);
    }
    if bytes.len() > MAX_NAME_LEN {
        return Some(NameProblem::TooLong);
    }
    if !matches!(bytes[0], b'A'..=b'Z' | b'a'..=b'z' | b'_') {
        return Some(NameProblem::Start);
    }
    let mut i = 0;
    while i < bytes.len() {
        if !matches!(bytes[i], b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-' | b'.') {
            return Some(NameProblem::Character);
        }
        i += 1;
    }
    // XML 1.0 reserves names starting with `xml`, in any case.
    if bytes.len() >= 3
        && (bytes[0] | 0x20) == b'x'
        && (bytes[1] | 0x20) == b'm'
        && (bytes[2] | 0x20) == b'l'
    {
        return Some(NameProblem::Xml);
    }
    let mut r = 0;
    while r < RESERVED.len() {
        if crate::const_eq::eq(bytes, RESERVED[r].as_bytes()) {
            return Some(NameProblem::Reserved);
        }
        r += 1;
    }
    None
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NameProblem {
    Empty,
    TooLong,
    Start,
    Character,
    Xml,
    Reserved,
}

impl NameProblem {
    const fn message(self) -> &'static str {
        match self {
            NameProblem::Empty => "a member name is empty",
            NameProblem::TooLong => "a member name is longer than 64 bytes",
            NameProblem::Start => "a member name starts with an ASCII letter or `_`",
            NameProblem::Character => {
                "a member name is made of ASCII letters, digits, `_`, `-` and `.`"
            }
            NameProblem::Xml => "a member name may not start with `xml` (reserved by XML)",
            NameProblem::Reserved => {
                "the member name is one the body uses itself (error, error_description, \
                 error_uri, field_errors, request_id, type, title, status, detail, instance, \
                 violated-policies)"
            }
        }
    }
}

/// The name of an [extension member](crate::ApiError::with_member), checked when it is made.
///
#[doc = include_str!("docs/members.md")]
///
/// # Rules
/// A member name is 1 to 64 bytes of ASCII letters, digits, `_`, `-` and `.`, starting with a
/// letter or `_` and not with `xml` in any case: a valid XML element name and a JSON key that
/// needs no escaping. It may not be a name the body uses itself: `error`,
/// `error_description`, `error_uri`, `field_errors`, `request_id` (the seed shape), `type`,
/// `title`, `status`, `detail`, `instance` (RFC 9457) and `violated-policies` (set by
/// [rate limits](crate::rate_limit)).
///
/// ```
/// use tower_api_error::member::MemberName;
///
/// // In a `const`, a bad name is an error when the crate compiles.
/// const EXISTING_ID: MemberName = MemberName::from_static("existing_id");
/// assert_eq!(EXISTING_ID.as_str(), "existing_id");
///
/// // A name made at run time is checked and refused with an error.
/// assert!(MemberName::new(String::from("balance")).is_ok());
/// let err = MemberName::new("status").unwrap_err();
/// assert!(err.to_string().contains("uses itself"));
/// assert!(MemberName::new("a b").is_err());
/// assert!(MemberName::new("xmlns").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MemberName(Cow<'static, str>);

impl MemberName {
    /// A member name from a string literal.
    ///
    /// # Panics
    ///
    /// If `name` is not a valid member name (see [`MemberName`]). Used to make a `const`, that
    /// is an error when the crate compiles, as with `http::HeaderName::from_static`; for names
    /// made at run time, use [`MemberName::new`], which returns an error instead.
    pub const fn from_static(name: &'static str) -> Self {
        if let Some(problem) = check(name) {
            panic!("{}", problem.message());
        }
        Self(Cow::Borrowed(name))
    }

    /// A member name, checked.
    ///
    /// # Errors
    ///
    /// [`InvalidMemberName`] if `name` is not a valid member name (see [`MemberName`]).
    pub fn new(name: impl Into<Cow<'static, str>>) -> Result<Self, InvalidMemberName> {
        let name = name.into();
        match check(&name) {
            None => Ok(Self(name)),
            Some(problem) => Err(InvalidMemberName {
                name: name.into_owned(),
                problem,
            }),
        }
    }

    /// `violated-policies`, reserved for the crate's own rate-limit member.
    pub(crate) const VIOLATED_POLICIES: MemberName = MemberName(Cow::Borrowed("violated-policies"));

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for MemberName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<&'static str> for MemberName {
    type Error = InvalidMemberName;

    fn try_from(name: &'static str) -> Result<Self, Self::Error> {
        Self::new(name)
    }
}

impl TryFrom<String> for MemberName {
    type Error = InvalidMemberName;

    fn try_from(name: String) -> Result<Self, Self::Error> {
        Self::new(name)
    }
}

/// The error of [`MemberName::new`]: the name is not a valid member name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidMemberName {
    name: String,
    problem: NameProblem,
}

impl InvalidMemberName {
    /// The name that was refused.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl fmt::Display for InvalidMemberName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid member name {:?}: {}",
            self.name,
            self.problem.message()
        )
    }
}

impl StdError for InvalidMemberName {}

/// The value of an extension member: a string, an integer, a boolean, or a list of values.
///
/// In JSON each is the JSON value of that type. In XML a scalar is the text of the member's
/// element (`true` or `false` for a boolean) and a list is one `<i>` element per item, as RFC
/// 9457's appendix B writes arrays; a list inside a list nests its `<i>` elements, so every value
/// reads back as it was. Strings are escaped as descriptions are, in both formats.
///
/// ```
/// use tower_api_error::member::MemberValue;
///
/// assert_eq!(MemberValue::from("lamp"), MemberValue::String("lamp".into()));
/// assert_eq!(MemberValue::from(42_u32), MemberValue::Integer(42));
/// assert_eq!(MemberValue::from(true), MemberValue::Boolean(true));
/// assert_eq!(
///     MemberValue::from(vec!["a", "b"]),
///     MemberValue::List(vec![MemberValue::from("a"), MemberValue::from("b")])
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MemberValue {
    /// A string.
    String(Cow<'static, str>),
    /// An integer. (`u64` and `usize` values convert with `TryFrom`, since they may not fit.)
    Integer(i64),
    /// A boolean.
    Boolean(bool),
    /// A list of values.
    List(Vec<MemberValue>),
}

/// The JSON value: a string, a number, a boolean or an array.
impl serde::Serialize for MemberValue {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            MemberValue::String(text) => serializer.serialize_str(text),
            MemberValue::Integer(n) => serializer.serialize_i64(*n),
            MemberValue::Boolean(b) => serializer.serialize_bool(*b),
            MemberValue::List(items) => serializer.collect_seq(items),
        }
    }
}

impl From<&'static str> for MemberValue {
    fn from(value: &'static str) -> Self {
        MemberValue::String(Cow::Borrowed(value))
    }
}

impl From<String> for MemberValue {
    fn from(value: String) -> Self {
        MemberValue::String(Cow::Owned(value))
    }
}

impl From<Cow<'static, str>> for MemberValue {
    fn from(value: Cow<'static, str>) -> Self {
        MemberValue::String(value)
    }
}

impl From<bool> for MemberValue {
    fn from(value: bool) -> Self {
        MemberValue::Boolean(value)
    }
}

macro_rules! integers {
    ($($ty:ty),*) => {$(
        impl From<$ty> for MemberValue {
            fn from(value: $ty) -> Self {
                MemberValue::Integer(i64::from(value))
            }
        }
    )*};
}

integers!(i8, i16, i32, i64, u8, u16, u32);

/// The error of converting a `u64` or `usize` above `i64::MAX` into a [`MemberValue`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IntegerTooLarge(());

impl fmt::Display for IntegerTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the integer does not fit a member value (at most i64::MAX)")
    }
}

impl StdError for IntegerTooLarge {}

impl TryFrom<u64> for MemberValue {
    type Error = IntegerTooLarge;

    fn try_from(value: u64) -> Result<Self, Self::Error> {
        i64::try_from(value)
            .map(MemberValue::Integer)
            .map_err(|_| IntegerTooLarge(()))
    }
}

impl TryFrom<usize> for MemberValue {
    type Error = IntegerTooLarge;

    fn try_from(value: usize) -> Result<Self, Self::Error> {
        i64::try_from(value)
            .map(MemberValue::Integer)
            .map_err(|_| IntegerTooLarge(()))
    }
}

impl<T: Into<MemberValue>> From<Vec<T>> for MemberValue {
    fn from(values: Vec<T>) -> Self {
        MemberValue::List(values.into_iter().map(Into::into).collect())
    }
}

impl<T: Into<MemberValue> + Clone> From<&[T]> for MemberValue {
    fn from(values: &[T]) -> Self {
        MemberValue::List(values.iter().cloned().map(Into::into).collect())
    }
}

/// One extension member of an error: a [name](MemberName), a [value](MemberValue), and whether
/// a masked 5xx error still sends it (see [`ApiError::with_public_member`](crate::ApiError::with_public_member)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub(crate) name: MemberName,
    pub(crate) value: MemberValue,
    pub(crate) public: bool,
}

impl Member {
    /// The member's name.
    pub fn name(&self) -> &str {
        self.name.as_str()
    }

    /// The member's value.
    pub fn value(&self) -> &MemberValue {
        &self.value
    }

    /// Whether a masked 5xx error sends it.
    pub fn is_public(&self) -> bool {
        self.public
    }
}

/// The type of a member's value, as the catalogue and OpenAPI document it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MemberType {
    /// A string.
    String,
    /// An integer.
    Integer,
    /// A boolean.
    Boolean,
    /// A list of values of the type.
    List(&'static MemberType),
}

impl MemberType {
    /// The name of the type: `string`, `integer`, `boolean`, or `list of <type>`.
    pub fn name(&self) -> Cow<'static, str> {
        match self {
            MemberType::String => "string".into(),
            MemberType::Integer => "integer".into(),
            MemberType::Boolean => "boolean".into(),
            MemberType::List(item) => format!("list of {}", item.name()).into(),
        }
    }
}

/// The documentation of one extension member of a code: its name, type and whether masked 5xx
/// errors send it. [`Entry::with_members`](crate::code::Entry::with_members) attaches them to a
/// code; `#[derive(ApiError)]` does so for every `#[member]` field.
///
/// ```
/// use tower_api_error::{member::{MemberDoc, MemberType}};
///
/// const EXISTING_ID: MemberDoc = MemberDoc::new("existing_id", MemberType::Integer);
/// assert_eq!(EXISTING_ID.name(), "existing_id");
/// assert!(!EXISTING_ID.is_public());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemberDoc {
    name: &'static str,
    ty: MemberType,
    public: bool,
}

impl MemberDoc {
    /// The documentation of a member.
    ///
    /// # Panics
    ///
    /// If `name` is not a valid member name (see [`MemberName`]); in a `const`, when the crate
    /// compiles.
    pub const fn new(name: &'static str, ty: MemberType) -> Self {
        if let Some(problem) = check(name) {
            panic!("{}", problem.message());
        }
        Self {
            name,
            ty,
            public: false,
        }
    }

    /// Marks the member as sent by masked 5xx errors too.
    #[must_use]
    pub const fn public(mut self) -> Self {
        self.public = true;
        self
    }

    /// The member's name.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The member's type.
    pub const fn ty(&self) -> MemberType {
        self.ty
    }

    /// Whether masked 5xx errors send it.
    pub const fn is_public(&self) -> bool {
        self.public
    }
}

/// The [`MemberType`] of a Rust type that converts into a [`MemberValue`]: what
/// `#[derive(ApiError)]` documents a `#[member]` field with. Implemented for the string, integer
/// and boolean types and for `Vec`s of them.
pub trait MemberKind {
    /// The type, as documented.
    const TYPE: MemberType;
}

macro_rules! kinds {
    ($kind:expr => $($ty:ty),*) => {$(
        impl MemberKind for $ty {
            const TYPE: MemberType = $kind;
        }
    )*};
}

kinds!(MemberType::String => &'static str, String, Cow<'static, str>);
kinds!(MemberType::Integer => i8, i16, i32, i64, u8, u16, u32);
kinds!(MemberType::Boolean => bool);

impl<T: MemberKind> MemberKind for Vec<T> {
    const TYPE: MemberType = MemberType::List(&T::TYPE);
}

/// Whether `name` is a valid member name, for tests of the derive's copy of the rules.
#[cfg(test)]
pub(crate) fn is_valid(name: &str) -> bool {
    check(name).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked() {
        for good in [
            "a",
            "existing_id",
            "_x",
            "a-b.c",
            "Balance2",
            &"a".repeat(64),
        ] {
            assert!(is_valid(good), "{good}");
        }
        for bad in [
            "",
            "1a",
            "-a",
            ".a",
            "a b",
            "a:b",
            "é",
            "XmLfoo",
            "xml",
            "error",
            "type",
            "violated-policies",
            &"a".repeat(65),
            "a<b",
            "a\"b",
        ] {
            assert!(!is_valid(bad), "{bad}");
            assert!(MemberName::new(bad.to_owned()).is_err(), "{bad}");
        }
    }

    #[test]
    fn list_type_names() {
        assert_eq!(<Vec<Vec<u8>>>::TYPE.name(), "list of list of integer");
    }
}
