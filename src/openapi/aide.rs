//! The [`aide`] backend.

use aide::{
    generate::GenContext,
    openapi::{
        Components, OpenApi, Operation, PathItem, ReferenceOr, Response, StatusCode as AideStatus,
    },
    transform::TransformOperation,
    OperationOutput,
};
use serde_json::Value;

use super::{codes_of, group, marker, markers, schemas, ErrorResponses, OpenApiError, RESPONSES};
use crate::{catalogue::ErrorCodes, ApiError};

impl ErrorResponses {
    /// A transform for aide's `get_with`, `post_with`, ... (or
    /// [`TransformOperation::with`]) that adds the error codes `codes` to the operation, beside
    /// those it already documents (from a derived enum it returns), replacing any other response
    /// it has for their statuses. [`apply_to_aide`](Self::apply_to_aide) then makes them shared
    /// responses.
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
            let entries = match self.entries(codes.iter().copied()) {
                Ok(entries) => entries,
                Err(err) => panic!("{err}"),
            };
            let map = &mut op
                .inner_mut()
                .responses
                .get_or_insert_with(Default::default)
                .responses;
            for (status, entries) in group(entries) {
                let key = AideStatus::Code(status.as_u16());
                let mut codes: Vec<String> = map
                    .get(&key)
                    .and_then(|response| serde_json::to_value(response).ok())
                    .and_then(|response| codes_of(&response, &|_| None))
                    .unwrap_or_default();
                for entry in entries {
                    if !codes.iter().any(|code| code == entry.code()) {
                        codes.push(entry.code().to_owned());
                    }
                }
                let codes: Vec<&str> = codes.iter().map(String::as_str).collect();
                map.insert(key, ReferenceOr::Item(read(marker(status, &codes))));
            }
            op
        }
    }

    /// Makes the error responses of every operation of `api` shared responses under its
    /// `components`, each operation referring to the one of its codes on each status, with the
    /// schemas they need: those derived enums document for the handlers that return them, and
    /// those [`aide_operation`](Self::aide_operation) declares. Call it once aide has made the
    /// document (after `finish_api`).
    ///
    /// # Errors
    ///
    /// If an operation documents a code that is not in the catalogue: a mistake of the
    /// application, found when it builds its document (at start-up or in a test).
    pub fn apply_to_aide(&self, api: &mut OpenApi) -> Result<(), OpenApiError> {
        let mut components = api.components.take().unwrap_or_default();
        let result = self.apply_aide_paths(api, &mut components);
        api.components = Some(components);
        result
    }

    fn apply_aide_paths(
        &self,
        api: &mut OpenApi,
        components: &mut Components,
    ) -> Result<(), OpenApiError> {
        let Some(paths) = api.paths.as_mut() else {
            return Ok(());
        };
        for item in paths.paths.values_mut() {
            let ReferenceOr::Item(item) = item else {
                continue;
            };
            for operation in operations(item) {
                let Some(responses) = operation.responses.as_mut() else {
                    continue;
                };
                let existing: Vec<(String, Value)> = responses
                    .responses
                    .iter()
                    .filter_map(|(status, response)| {
                        Some((status.to_string(), serde_json::to_value(response).ok()?))
                    })
                    .collect();
                let known = |name: &str| serde_json::to_value(components.responses.get(name)?).ok();
                let schema = |name: &str| serde_json::to_value(components.schemas.get(name)?).ok();
                let plan = self.plan(&existing, &[], &known, &schema)?;
                for (status, name) in &plan.refs {
                    responses.responses.insert(
                        AideStatus::Code(status.as_u16()),
                        ReferenceOr::Reference {
                            reference: format!("{RESPONSES}{name}"),
                            description: None,
                            summary: None,
                        },
                    );
                }
                if plan.refs.is_empty() {
                    continue;
                }
                for (name, response) in plan.responses {
                    components
                        .responses
                        .entry(name)
                        .or_insert_with(|| ReferenceOr::Item(read(response)));
                }
                for (name, schema) in plan.schemas {
                    if components.schemas.contains_key(&name) {
                        continue;
                    }
                    // The crate's schemas read (the tests check it).
                    if let Ok(schema) = serde_json::from_value(schema) {
                        components.schemas.insert(name, schema);
                    }
                }
            }
        }
        Ok(())
    }
}

fn operations(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        item.get.as_mut(),
        item.put.as_mut(),
        item.post.as_mut(),
        item.delete.as_mut(),
        item.options.as_mut(),
        item.head.as_mut(),
        item.patch.as_mut(),
        item.trace.as_mut(),
    ]
    .into_iter()
    .flatten()
}

/// Puts the schemas of the error bodies among the definitions of aide's schema generator, which
/// aide moves to the document's components (or inlines, if it is set to).
fn register_schemas(ctx: &mut GenContext) {
    let definitions = ctx.schema.definitions_mut();
    for (name, schema) in schemas() {
        definitions.entry(name).or_insert(schema);
    }
}

/// The responses of the codes of `E`, for the [`OperationOutput`] impl of a derived enum: one
/// per status, standing for its codes until [`ErrorResponses::apply_to_aide`] makes them shared
/// responses.
#[doc(hidden)]
pub fn inferred_responses<E: ErrorCodes>(_: &mut GenContext) -> Vec<(Option<u16>, Response)> {
    markers(E::CODES)
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
        Some(read(
            ErrorResponses::new(&crate::catalogue::Catalogue::new()).any_code(),
        ))
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

    use super::super::{catalogue_with_members, markers, plans_with_every_option, schemas};

    /// As for utoipa: every part of the description reads as aide's type and writes back
    /// unchanged.
    #[test]
    fn the_description_reads_into_aide_unchanged() {
        let catalogue = catalogue_with_members();
        for (errors, plan) in plans_with_every_option() {
            let mut responses = plan.responses;
            responses.push(("any".to_owned(), errors.any_code()));
            for (name, response) in responses {
                let read: Response = serde_json::from_value(response.clone()).unwrap();
                let mut written = serde_json::to_value(&read).unwrap();
                // aide writes a header's `style`, `simple`, the only style a header has.
                for header in written
                    .get_mut("headers")
                    .and_then(|h| h.as_object_mut())
                    .into_iter()
                    .flat_map(|h| h.values_mut())
                {
                    assert_eq!(
                        header.as_object_mut().unwrap().remove("style").unwrap(),
                        "simple"
                    );
                }
                assert_eq!(written, response, "{name}");
            }
            for (name, schema) in plan.schemas {
                let read: SchemaObject = serde_json::from_value(schema.clone()).unwrap();
                assert_eq!(serde_json::to_value(&read).unwrap(), schema, "{name}");
            }
        }
        for (_, response) in markers(catalogue.entries()) {
            let read: Response = serde_json::from_value(response.clone()).unwrap();
            assert_eq!(serde_json::to_value(&read).unwrap(), response);
        }
        for (name, schema) in schemas() {
            let read: SchemaObject = serde_json::from_value(schema.clone()).unwrap();
            assert_eq!(serde_json::to_value(&read).unwrap(), schema, "{name}");
        }
    }
}
