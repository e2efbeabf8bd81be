//! The [`utoipa`] backend.

use std::collections::BTreeMap;

use http::Method;
use utoipa::openapi::{
    path::Operation, ComponentsBuilder, OpenApi, Ref, RefOr, Response, Responses, Schema,
};

use super::{markers, schemas, ErrorResponses, OpenApiError, Plan, RESPONSES};
use crate::code::Entry;

impl ErrorResponses {
    /// Adds the error responses of `codes` to the operation `method path` of `api`, beside the
    /// error codes it already documents (from an enum named in `#[utoipa::path(responses(..))]`,
    /// or an earlier call) and replacing any other response it has for their statuses. Each
    /// status's response is a reference to a response shared by every operation with the same
    /// codes on that status, under the document's `components`, with the schemas it needs.
    pub fn add_to_utoipa(
        &self,
        api: &mut OpenApi,
        method: Method,
        path: &str,
        codes: &[&str],
    ) -> Result<(), OpenApiError> {
        let components = api
            .components
            .get_or_insert_with(|| ComponentsBuilder::new().build());
        let responses = components.responses.clone();
        let schemas = components.schemas.clone();
        let operation = operation(api, &method, path).ok_or_else(|| OpenApiError::NoOperation {
            method: method.clone(),
            path: path.to_owned(),
        })?;
        let plan = self.plan_utoipa(&operation.responses, codes, &responses, &schemas)?;
        apply(api, &method, path, plan);
        Ok(())
    }

    /// Makes the error responses of every operation of `api` shared responses with their
    /// schemas, as [`add_to_utoipa`](Self::add_to_utoipa) does: those an enum with
    /// `#[derive(ApiError)]` documents when it is named in `#[utoipa::path(responses(..))]`.
    /// Call it once the document has all its operations.
    ///
    /// # Errors
    ///
    /// If an operation documents a code that is not in the catalogue: a mistake of the
    /// application, found when it builds its document (at start-up or in a test).
    pub fn apply_to_utoipa(&self, api: &mut OpenApi) -> Result<(), OpenApiError> {
        let operations: Vec<(String, Method)> = api
            .paths
            .paths
            .iter()
            .flat_map(|(path, item)| {
                METHODS
                    .iter()
                    .filter(|method| operation_of(item, method).is_some())
                    .map(|method| (path.clone(), method.clone()))
            })
            .collect();
        for (path, method) in operations {
            self.add_to_utoipa(api, method, &path, &[])?;
        }
        Ok(())
    }

    fn plan_utoipa(
        &self,
        existing: &Responses,
        codes: &[&str],
        responses: &BTreeMap<String, RefOr<Response>>,
        schemas: &BTreeMap<String, RefOr<Schema>>,
    ) -> Result<Plan, OpenApiError> {
        let existing: Vec<(String, serde_json::Value)> = existing
            .responses
            .iter()
            .filter_map(|(status, response)| {
                Some((status.clone(), serde_json::to_value(response).ok()?))
            })
            .collect();
        let response = |name: &str| serde_json::to_value(responses.get(name)?).ok();
        let schema = |name: &str| serde_json::to_value(schemas.get(name)?).ok();
        self.plan(&existing, codes, &response, &schema)
    }

    /// The schemas of the error bodies every shared schema refers to, by component name
    /// (`ApiError`, `FieldError`, `Problem`).
    pub fn utoipa_schemas() -> Vec<(String, RefOr<Schema>)> {
        schemas()
            .into_iter()
            .map(|(name, schema)| (name.to_owned(), RefOr::T(read::<Schema>(schema))))
            .collect()
    }
}

/// Puts `plan` into `api`: the operation's references and the components.
fn apply(api: &mut OpenApi, method: &Method, path: &str, plan: Plan) {
    if let Some(operation) = operation(api, method, path) {
        for (status, name) in &plan.refs {
            operation.responses.responses.insert(
                status.as_str().to_owned(),
                RefOr::Ref(Ref::new(format!("{RESPONSES}{name}"))),
            );
        }
    }
    if plan.refs.is_empty() {
        return;
    }
    let components = api
        .components
        .get_or_insert_with(|| ComponentsBuilder::new().build());
    for (name, response) in plan.responses {
        components
            .responses
            .entry(name)
            .or_insert_with(|| RefOr::T(read(response)));
    }
    for (name, schema) in plan
        .schemas
        .into_iter()
        .map(|(name, schema)| (name, RefOr::T(read(schema))))
    {
        components.schemas.entry(name).or_insert(schema);
    }
}

const METHODS: [Method; 8] = [
    Method::GET,
    Method::PUT,
    Method::POST,
    Method::DELETE,
    Method::OPTIONS,
    Method::HEAD,
    Method::PATCH,
    Method::TRACE,
];

fn operation_of<'a>(item: &'a utoipa::openapi::PathItem, method: &Method) -> Option<&'a Operation> {
    match *method {
        Method::GET => item.get.as_ref(),
        Method::PUT => item.put.as_ref(),
        Method::POST => item.post.as_ref(),
        Method::DELETE => item.delete.as_ref(),
        Method::OPTIONS => item.options.as_ref(),
        Method::HEAD => item.head.as_ref(),
        Method::PATCH => item.patch.as_ref(),
        Method::TRACE => item.trace.as_ref(),
        _ => None,
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

/// The responses a derived enum documents as `utoipa::IntoResponses`: one per status of its
/// codes, which [`ErrorResponses::apply_to_utoipa`] makes shared responses. Called by the code
/// `#[derive(ApiError)]` generates; not public API.
#[doc(hidden)]
pub fn into_responses(entries: &[Entry]) -> BTreeMap<String, RefOr<Response>> {
    markers(entries)
        .into_iter()
        .map(|(status, response)| (status.as_str().to_owned(), RefOr::T(read(response))))
        .collect()
}

/// Reads a part of the description, written as OpenAPI JSON, as utoipa's type for it. The
/// crate's tests check that every part reads; a part that did not would be a bug of the crate.
fn read<T: serde::de::DeserializeOwned + Default>(value: serde_json::Value) -> T {
    serde_json::from_value(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use utoipa::openapi::{Response, Schema};

    use super::super::{catalogue_with_members, markers, plans_with_every_option, schemas};

    /// Every part of the description reads as utoipa's type and writes back unchanged: nothing
    /// is lost on the way (`read` falls back to a default only for a part that does not read).
    #[test]
    fn the_description_reads_into_utoipa_unchanged() {
        // Every built-in code, and codes with members of every type.
        let catalogue = catalogue_with_members();
        for (_, plan) in plans_with_every_option() {
            for (name, response) in plan.responses {
                let read: Response = serde_json::from_value(response.clone()).unwrap();
                assert_eq!(serde_json::to_value(&read).unwrap(), response, "{name}");
            }
            for (name, schema) in plan.schemas {
                let read: Schema = serde_json::from_value(schema.clone()).unwrap();
                assert_eq!(serde_json::to_value(&read).unwrap(), schema, "{name}");
            }
        }
        for (_, response) in markers(catalogue.entries()) {
            let read: Response = serde_json::from_value(response.clone()).unwrap();
            assert_eq!(serde_json::to_value(&read).unwrap(), response);
        }
        for (name, schema) in schemas() {
            let read: Schema = serde_json::from_value(schema.clone()).unwrap();
            assert_eq!(serde_json::to_value(&read).unwrap(), schema, "{name}");
        }
    }
}
