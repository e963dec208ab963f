//! Swagger 2.0 → the OpenAPI 3.0 document model, in the load stage.
//!
//! Like 3.1 ([`super::openapi31`]), a 2.0 document is rewritten into the 3.0
//! document that means the same, so that everything after loading sees one
//! kind of document. The rewrite follows the correspondence the OpenAPI
//! Initiative documents for the upgrade (and swagger2openapi implements):
//!
//! | 2.0 | 3.0 |
//! |---|---|
//! | `definitions`, root `parameters`, `responses`, `securityDefinitions` | `components/schemas`, `parameters` (bodies: `requestBodies`), `responses`, `securitySchemes` |
//! | `host`, `basePath`, `schemes` | `servers` (`https` where no scheme is given) |
//! | `consumes`, `produces` (document or operation) | the media types of request bodies and responses |
//! | `in: body` | `requestBody` |
//! | `in: formData` (`type: file`) | a form or multipart `requestBody` of an object with a property per parameter |
//! | `collectionFormat` | `style` and `explode` |
//! | the value keywords of a parameter or header (`type`, `items`, …) | its `schema` |
//! | `x-nullable`, `discriminator: name`, `type: file` | `nullable`, `discriminator: {propertyName}`, `format: binary` |
//!
//! Every part that moves is recorded in [`Moves`], so diagnostics about the
//! rewritten document name the line of the 2.0 file.

mod operations;
mod parameters;
mod schema;

use serde_json::{json, Map, Value};

use super::moves::Moves;
use crate::diagnostics::child;

/// Whether the document is a Swagger 2.0 one.
pub fn is_swagger2(raw: &Value) -> bool {
    raw.get("swagger").and_then(Value::as_str) == Some("2.0")
}

/// What the rewrite did: where each moved part came from, and
/// `(pointer in the 2.0 document, message)` warnings.
#[derive(Debug, Default)]
pub struct Converted {
    pub moves: Moves,
    pub warnings: Vec<(String, String)>,
}

/// The media type assumed where a document and its operation name none.
const JSON: &str = "application/json";

struct Converter<'a> {
    moves: Moves,
    warnings: Vec<(String, String)>,
    consumes: Vec<String>,
    produces: Vec<String>,
    /// The document's `parameters`, as written.
    parameters: &'a Map<String, Value>,
    /// The document's `responses`, as written.
    responses: &'a Map<String, Value>,
}

impl Converter<'_> {
    fn warn(&mut self, pointer: String, message: impl Into<String>) {
        self.warnings.push((pointer, message.into()));
    }
}

/// Rewrites a Swagger 2.0 document into its OpenAPI 3.0 form.
pub fn convert(root: &mut Value) -> Converted {
    let Some(doc) = root.as_object_mut() else {
        return Converted::default();
    };
    let mut take = |key: &str| doc.remove(key);
    let definitions = take("definitions");
    let parameters = take("parameters");
    let responses = take("responses");
    let security = take("securityDefinitions");
    let consumes = take("consumes");
    let produces = take("produces");
    let servers = servers(take("host"), take("basePath"), take("schemes"));
    take("swagger");
    let empty = Map::new();
    let mut converter = Converter {
        moves: Moves::default(),
        warnings: Vec::new(),
        consumes: media_types(consumes.as_ref()).unwrap_or_else(|| vec![JSON.into()]),
        produces: media_types(produces.as_ref()).unwrap_or_else(|| vec![JSON.into()]),
        parameters: parameters
            .as_ref()
            .and_then(Value::as_object)
            .unwrap_or(&empty),
        responses: responses
            .as_ref()
            .and_then(Value::as_object)
            .unwrap_or(&empty),
    };

    let mut components = Map::new();
    if let Some(mut definitions) = definitions {
        if let Value::Object(map) = &mut definitions {
            map.values_mut().for_each(schema::schema);
        }
        converter
            .moves
            .record("#/components/schemas", "#/definitions");
        components.insert("schemas".into(), definitions);
    }
    let shared = converter.shared_components();
    for (key, value) in shared {
        components.insert(key.into(), Value::Object(value));
    }
    if let Some(Value::Object(schemes)) = security {
        let schemes = security_schemes(&schemes, &mut converter);
        converter
            .moves
            .record("#/components/securitySchemes", "#/securityDefinitions");
        components.insert("securitySchemes".into(), Value::Object(schemes));
    }
    if let Some(Value::Object(paths)) = doc.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let pointer = child("#/paths", path);
            converter.path_item(item, &pointer);
        }
    }

    doc.insert("openapi".into(), json!("3.0.3"));
    if let Some(servers) = servers {
        doc.insert("servers".into(), servers);
    }
    if !components.is_empty() {
        doc.insert("components".into(), Value::Object(components));
    }
    references(root);
    Converted {
        moves: converter.moves,
        warnings: converter.warnings,
    }
}

/// The media types of a `consumes` or `produces` list, `None` where absent.
fn media_types(list: Option<&Value>) -> Option<Vec<String>> {
    let list = list?.as_array()?;
    Some(
        list.iter()
            .filter_map(Value::as_str)
            .map(String::from)
            .collect(),
    )
}

/// `host`, `basePath` and `schemes` as `servers`: one per scheme, or the
/// base path alone where no host is given (the API is then served where
/// the document is).
fn servers(host: Option<Value>, base: Option<Value>, schemes: Option<Value>) -> Option<Value> {
    let base = base
        .as_ref()
        .and_then(Value::as_str)
        .unwrap_or("")
        .trim_end_matches('/');
    let Some(host) = host.as_ref().and_then(Value::as_str) else {
        return (!base.is_empty()).then(|| json!([{ "url": base }]));
    };
    let schemes = media_types(schemes.as_ref())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| vec!["https".into()]);
    let servers: Vec<Value> = schemes
        .iter()
        .map(|scheme| json!({ "url": format!("{scheme}://{host}{base}") }))
        .collect();
    Some(Value::Array(servers))
}

/// `securityDefinitions` as `securitySchemes`.
fn security_schemes(
    definitions: &Map<String, Value>,
    converter: &mut Converter,
) -> Map<String, Value> {
    let mut schemes = Map::new();
    for (name, definition) in definitions {
        let Some(source) = definition.as_object() else {
            schemes.insert(name.clone(), definition.clone());
            continue;
        };
        let mut scheme = source.clone();
        match source.get("type").and_then(Value::as_str) {
            Some("basic") => {
                scheme.insert("type".into(), json!("http"));
                scheme.insert("scheme".into(), json!("basic"));
            }
            Some("oauth2") => {
                let flow_name = scheme.remove("flow");
                let mut flow = Map::new();
                for key in ["authorizationUrl", "tokenUrl"] {
                    if let Some(url) = scheme.remove(key) {
                        flow.insert(key.into(), url);
                    }
                }
                flow.insert(
                    "scopes".into(),
                    scheme.remove("scopes").unwrap_or_else(|| json!({})),
                );
                let flow_name = match flow_name.as_ref().and_then(Value::as_str) {
                    Some("implicit") => "implicit",
                    Some("password") => "password",
                    Some("application") => "clientCredentials",
                    Some("accessCode") => "authorizationCode",
                    other => {
                        converter.warn(
                            child(&child("#/securityDefinitions", name), "flow"),
                            format!("unknown OAuth 2 flow {other:?}; read as the authorization code flow"),
                        );
                        "authorizationCode"
                    }
                };
                scheme.insert("flows".into(), json!({ flow_name: flow }));
            }
            _ => {}
        }
        schemes.insert(name.clone(), Value::Object(scheme));
    }
    schemes
}

/// References to the document's definitions, responses and parameters,
/// wherever they are left, point to the components they became.
fn references(root: &mut Value) {
    let mut found = Vec::new();
    super::walk::structure(root, &mut |map, pointer| {
        if let Some(Value::String(target)) = map.get("$ref") {
            let renamed = [
                ("#/definitions/", "#/components/schemas/"),
                ("#/responses/", "#/components/responses/"),
                ("#/parameters/", "#/components/parameters/"),
            ]
            .iter()
            .find_map(|(from, to)| target.strip_prefix(from).map(|rest| format!("{to}{rest}")));
            if let Some(renamed) = renamed {
                found.push((child(pointer, "$ref"), renamed));
            }
        }
    });
    for (pointer, target) in found {
        if let Some(slot) = root.pointer_mut(&crate::diagnostics::unescape_pointer(&pointer)) {
            *slot = Value::String(target);
        }
    }
}
