//! The [`utoipa`] backend.

use http::Method;
use utoipa::openapi::{
    path::Operation, ComponentsBuilder, OpenApi, RefOr, Response, Responses, Schema,
};

use super::{schemas, ErrorResponses, OpenApiError, UnknownCode};

impl ErrorResponses {
    /// The error responses of an operation that can answer with `codes`, as utoipa
    /// [`Responses`], one per status. They refer to the [schemas](ErrorResponses::utoipa_schemas)
    /// as components: add those to the document too ([`add_to_utoipa`](Self::add_to_utoipa)
    /// does both).
    pub fn to_utoipa(&self, codes: &[&str]) -> Result<Responses, UnknownCode> {
        let mut responses = Responses::new();
        for (status, response) in self.model(codes)? {
            responses.responses.insert(
                status.as_str().to_owned(),
                RefOr::T(read::<Response>(response)),
            );
        }
        Ok(responses)
    }

    /// The schemas of the error bodies, by component name (`ApiError`, `FieldError`,
    /// `Problem`).
    pub fn utoipa_schemas() -> Vec<(String, RefOr<Schema>)> {
        schemas()
            .into_iter()
            .map(|(name, schema)| (name.to_owned(), RefOr::T(read::<Schema>(schema))))
            .collect()
    }

    /// Adds the error responses of `codes` to the operation `method path` of `api`, replacing
    /// any response it already has for their statuses, and the schemas of the error bodies to
    /// its components.
    pub fn add_to_utoipa(
        &self,
        api: &mut OpenApi,
        method: Method,
        path: &str,
        codes: &[&str],
    ) -> Result<(), OpenApiError> {
        let responses = self.to_utoipa(codes)?;
        let operation = operation(api, &method, path).ok_or_else(|| OpenApiError::NoOperation {
            method: method.clone(),
            path: path.to_owned(),
        })?;
        operation.responses.responses.extend(responses.responses);

        let components = api
            .components
            .get_or_insert_with(|| ComponentsBuilder::new().build());
        for (name, schema) in Self::utoipa_schemas() {
            components.schemas.entry(name).or_insert(schema);
        }
        Ok(())
    }
}

fn operation<'a>(api: &'a mut OpenApi, method: &Method, path: &str) -> Option<&'a mut Operation> {
    let item = api.paths.paths.get_mut(path)?;
    let operation = match *method {
        Method::GET => &mut item.get,
        Method::PUT => &mut item.put,
        Method::POST => &mut item.post,
        Method::DELETE => &mut item.delete,
        Method::OPTIONS => &mut item.options,
        Method::HEAD => &mut item.head,
        Method::PATCH => &mut item.patch,
        Method::TRACE => &mut item.trace,
        _ => return None,
    };
    operation.as_mut()
}

/// Reads a part of the description, written as OpenAPI JSON, as utoipa's type for it. The
/// crate's tests check that every part reads; a part that did not would be a bug of the crate.
fn read<T: serde::de::DeserializeOwned + Default>(value: serde_json::Value) -> T {
    serde_json::from_value(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use utoipa::openapi::{Response, Schema};

    use super::super::{catalogue_with_members, schemas, ErrorResponses};
    use crate::ProblemDetails;

    /// Every part of the description reads as utoipa's type and writes back unchanged: nothing
    /// is lost on the way (`read` falls back to a default only for a part that does not read).
    #[test]
    fn the_description_reads_into_utoipa_unchanged() {
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
            for (status, response) in errors.model(&codes).unwrap() {
                let read: Response = serde_json::from_value(response.clone()).unwrap();
                assert_eq!(serde_json::to_value(&read).unwrap(), response, "{status}");
            }
        }
        for (name, schema) in schemas() {
            let read: Schema = serde_json::from_value(schema.clone()).unwrap();
            assert_eq!(serde_json::to_value(&read).unwrap(), schema, "{name}");
        }
    }
}
