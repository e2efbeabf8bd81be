//! The [`aide`] backend.

use std::sync::RwLock;

use aide::{
    generate::GenContext,
    openapi::{Operation, ReferenceOr, Response, StatusCode as AideStatus},
    transform::TransformOperation,
    OperationOutput,
};
use serde_json::Value;

use super::{schemas, ErrorResponses, UnknownCode};
use crate::{
    catalogue::{Catalogue, ErrorCodes},
    ApiError, ProblemDetails,
};

/// What the [`OperationOutput`] of derived enums documents: set with
/// [`ErrorResponses::use_for_aide_outputs`].
static OUTPUTS: RwLock<Option<Settings>> = RwLock::new(None);

#[derive(Clone)]
struct Settings {
    base: Option<String>,
    problem_details: ProblemDetails,
}

impl ErrorResponses {
    /// The error responses of an operation that can answer with `codes`, as aide responses by
    /// status. Their schemas refer to the components `ApiError`, `FieldError` and `Problem`
    /// (with the typed members of their codes beside them, see [`openapi`](crate::openapi)), which
    /// [`aide_operation`](Self::aide_operation) and the [`OperationOutput`] impls register with
    /// aide's schema generator.
    pub fn to_aide(&self, codes: &[&str]) -> Result<Vec<(u16, Response)>, UnknownCode> {
        Ok(self
            .model(codes)?
            .into_iter()
            .map(|(status, response)| (status.as_u16(), read(response)))
            .collect())
    }

    /// A transform for aide's `get_with`, `post_with`, ... (or
    /// [`TransformOperation::with`]) that adds the error responses of `codes` to the operation,
    /// replacing any it already has for their statuses.
    ///
    /// # Panics
    ///
    /// When the operation is documented, if a code is not in the catalogue: a mistake of the
    /// application, found when it builds its document (at start-up or in a test).
    pub fn aide_operation<'a>(
        &'a self,
        codes: &'a [&'a str],
    ) -> impl FnOnce(TransformOperation<'_>) -> TransformOperation<'_> + 'a {
        move |mut op| {
            let responses = match self.to_aide(codes) {
                Ok(responses) => responses,
                Err(err) => panic!("{err}"),
            };
            aide::generate::in_context(register_schemas);
            insert(op.inner_mut(), responses);
            op
        }
    }

    /// Makes the [`OperationOutput`] of every enum with `#[derive(ApiError)]` (and of
    /// [`ApiError`](struct@ApiError)) document its responses with this [`error_uri_base`](Self::error_uri_base)
    /// and [`problem_details`](Self::problem_details) setting, for a handler that returns
    /// `Result<_, ThatEnum>`. Until it is called, they document them as
    /// `ErrorResponses::new(..)` does: no `error_uri`, problem details when asked.
    pub fn use_for_aide_outputs(&self) {
        let settings = Settings {
            base: self.base.clone(),
            problem_details: self.problem_details,
        };
        *OUTPUTS.write().unwrap_or_else(|e| e.into_inner()) = Some(settings);
    }
}

/// Puts the schemas of the error bodies among the definitions of aide's schema generator, which
/// aide moves to the document's components (or inlines, if it is set to).
fn register_schemas(ctx: &mut GenContext) {
    let definitions = ctx.schema.definitions_mut();
    for (name, schema) in schemas() {
        definitions.entry(name).or_insert(schema);
    }
}

fn insert(operation: &mut Operation, responses: Vec<(u16, Response)>) {
    let map = &mut operation
        .responses
        .get_or_insert_with(Default::default)
        .responses;
    for (status, response) in responses {
        map.insert(AideStatus::Code(status), ReferenceOr::Item(response));
    }
}

/// An `ErrorResponses` with what [`ErrorResponses::use_for_aide_outputs`] set, for
/// [`OperationOutput`] impls, which have no other way to be configured.
fn outputs() -> ErrorResponses {
    let mut errors = ErrorResponses::new(&Catalogue::new());
    if let Some(settings) = OUTPUTS.read().unwrap_or_else(|e| e.into_inner()).as_ref() {
        errors.base.clone_from(&settings.base);
        errors.problem_details = settings.problem_details;
    }
    errors
}

/// The responses of the codes of `E`, for the [`OperationOutput`] impl of a derived enum.
#[doc(hidden)]
pub fn inferred_responses<E: ErrorCodes>(ctx: &mut GenContext) -> Vec<(Option<u16>, Response)> {
    register_schemas(ctx);
    outputs()
        .model_of(E::CODES)
        .into_iter()
        .map(|(status, response)| (Some(status.as_u16()), read(response)))
        .collect()
}

/// An `ApiError` can have any code: a handler that returns one documents a `default` response
/// with the error body's schemas and no example. Declare its codes with
/// [`ErrorResponses::aide_operation`], or return a derived enum.
impl OperationOutput for ApiError {
    type Inner = Self;

    fn operation_response(ctx: &mut GenContext, _: &mut Operation) -> Option<Response> {
        register_schemas(ctx);
        Some(read(outputs().any_code()))
    }

    fn inferred_responses(
        ctx: &mut GenContext,
        operation: &mut Operation,
    ) -> Vec<(Option<u16>, Response)> {
        Self::operation_response(ctx, operation)
            .map(|response| vec![(None, response)])
            .unwrap_or_default()
    }
}

/// Reads a part of the description, written as OpenAPI JSON, as aide's type for it (see the
/// utoipa backend: the tests check that every part reads unchanged).
fn read<T: serde::de::DeserializeOwned + Default>(value: Value) -> T {
    serde_json::from_value(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use aide::openapi::{Response, SchemaObject};

    use super::super::{catalogue_with_members, schemas, ErrorResponses};
    use crate::ProblemDetails;

    /// As for utoipa: every part of the description reads as aide's type and writes back
    /// unchanged.
    #[test]
    fn the_description_reads_into_aide_unchanged() {
        // Every built-in code, and codes with members of every type.
        let catalogue = catalogue_with_members();
        let codes: Vec<&str> = catalogue
            .entries()
            .iter()
            .map(|entry| entry.code())
            .collect();
        for problem_details in [
            ProblemDetails::Never,
            ProblemDetails::WhenAsked,
            ProblemDetails::Always,
        ] {
            let errors = ErrorResponses::new(&catalogue)
                .error_uri_base("https://docs.example.com/errors")
                .problem_details(problem_details);
            let mut parts = errors.model(&codes).unwrap();
            parts.push((http::StatusCode::BAD_REQUEST, errors.any_code()));
            for (status, response) in parts {
                let read: Response = serde_json::from_value(response.clone()).unwrap();
                assert_eq!(serde_json::to_value(&read).unwrap(), response, "{status}");
            }
        }
        for (name, schema) in schemas() {
            let read: SchemaObject = serde_json::from_value(schema.clone()).unwrap();
            assert_eq!(serde_json::to_value(&read).unwrap(), schema, "{name}");
        }
    }
}
