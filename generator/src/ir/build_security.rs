//! `components/securitySchemes` and `security` → the schemes `Credentials`
//! holds and the [`Security`] of each operation.

use serde_json::{Map, Value};

use super::build::Builder;
use super::operations::{Carrier, KeyLocation, Requirement, Security, SecurityScheme};
use super::view::SchemaView;
use crate::diagnostics::{child, Unsupported};
use crate::naming::{self, Scope};

/// The declared schemes: those the runtimes carry, and why the others
/// cannot be (their name and the reason), for the operations that use them.
pub(super) struct Schemes {
    pub supported: Vec<SecurityScheme>,
    pub refused: Vec<(String, String)>,
}

impl Builder<'_> {
    pub(super) fn security_schemes(&mut self) -> Schemes {
        let mut out = Schemes {
            supported: Vec::new(),
            refused: Vec::new(),
        };
        let declared = self
            .spec
            .raw
            .pointer("/components/securitySchemes")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let mut fields = Scope::default();
        for (name, scheme) in &declared {
            let ptr = child("#/components/securitySchemes", name);
            let Some((scheme, sptr)) = self.component_ref(scheme, &ptr, "securitySchemes") else {
                out.refused
                    .push((name.clone(), "its `$ref` points to nothing".into()));
                continue;
            };
            match carrier(&scheme) {
                Ok((carrier, kind)) => {
                    let (rust, collision) =
                        fields.claim(naming::field_name(name), &format!("`{name}`"));
                    if let Some(c) = collision {
                        self.collision_warning(&sptr, "security schemes", &c);
                    }
                    let docs = self.scheme_docs(&scheme);
                    out.supported.push(SecurityScheme {
                        name: name.clone(),
                        rust,
                        carrier,
                        kind,
                        docs,
                    });
                }
                Err(reason) => {
                    self.warn(
                        &sptr,
                        format!("{reason}; `Credentials` has no field for `{name}`"),
                    );
                    out.refused.push((name.clone(), reason));
                }
            }
        }
        out
    }

    /// The description, and for OAuth 2 the scopes of every flow.
    fn scheme_docs(&mut self, scheme: &Value) -> super::Docs {
        let mut description = scheme
            .get("description")
            .and_then(Value::as_str)
            .map(String::from);
        let mut scopes: Vec<(String, String)> = Vec::new();
        let flows = scheme.get("flows").and_then(Value::as_object);
        for flow in flows.into_iter().flat_map(Map::values) {
            for (scope, text) in flow
                .get("scopes")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                if !scopes.iter().any(|(s, _)| s == scope) {
                    let text = text.as_str().unwrap_or_default().trim().to_string();
                    scopes.push((scope.clone(), text));
                }
            }
        }
        if !scopes.is_empty() {
            let list: Vec<String> = scopes
                .iter()
                .map(|(s, t)| match t.is_empty() {
                    true => format!("- `{s}`"),
                    false => format!("- `{s}`: {t}"),
                })
                .collect();
            let text = format!("Scopes:\n{}", list.join("\n"));
            description = Some(match description {
                Some(d) => format!("{d}\n\n{text}"),
                None => text,
            });
        }
        self.docs_of(&SchemaView {
            description,
            ..SchemaView::default()
        })
    }

    /// The operation's `security`, or the document's.
    pub(super) fn security(
        &mut self,
        op: &Map<String, Value>,
        ptr: &str,
        schemes: &Schemes,
    ) -> Option<Security> {
        let (requirements, rptr) = match op.get("security") {
            Some(s) => (s, child(ptr, "security")),
            None => match self.spec.raw.get("security") {
                Some(s) => (s, "#/security".to_string()),
                None => return Some(Security::default()),
            },
        };
        let mut security = Security::default();
        let mut ok = true;
        for (i, requirement) in requirements.as_array().into_iter().flatten().enumerate() {
            let iptr = child(&rptr, &i.to_string());
            let Some(requirement) = requirement.as_object() else {
                self.error(&iptr, "a security requirement is an object");
                ok = false;
                continue;
            };
            if requirement.is_empty() {
                security.optional = true;
                continue;
            }
            let mut all: Requirement = Vec::new();
            for (name, scopes) in requirement {
                if let Some((_, reason)) = schemes.refused.iter().find(|(n, _)| n == name) {
                    self.unsupported(
                        &child(&iptr, name),
                        Unsupported::Security,
                        format!("not supported: security scheme `{name}`: {reason}"),
                    );
                    ok = false;
                    continue;
                }
                if !schemes.supported.iter().any(|s| s.name == *name) {
                    // A spec defect. Failing closed keeps the server safe:
                    // no request satisfies this alternative, and the client
                    // holds no credentials for it.
                    self.warn(
                        &child(&iptr, name),
                        format!("security scheme `{name}` is not declared in #/components/securitySchemes; no request satisfies this alternative (the router answers 401 unless another one is met, and the client sends no credentials for it)"),
                    );
                }
                let scopes = scopes
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(String::from)
                    .collect();
                all.push((name.clone(), scopes));
            }
            if !security.alternatives.contains(&all) {
                security.alternatives.push(all);
            }
        }
        if security.alternatives.is_empty() {
            // Only `{}`, or `security: []`: anonymous.
            security.optional = false;
        }
        ok.then_some(security)
    }
}

/// How the scheme's secret travels, and what the spec calls the scheme;
/// the reason when the runtimes cannot carry it.
fn carrier(scheme: &Value) -> Result<(Carrier, &'static str), String> {
    let text = |key: &str| scheme.get(key).and_then(Value::as_str).unwrap_or_default();
    match text("type") {
        "http" => match text("scheme").to_ascii_lowercase().as_str() {
            "basic" => Ok((Carrier::Basic, "HTTP Basic")),
            "bearer" => Ok((Carrier::Bearer, "HTTP Bearer")),
            other => Err(format!("HTTP authentication scheme `{other}`")),
        },
        "apiKey" => {
            let location = match text("in") {
                "header" => KeyLocation::Header,
                "query" => KeyLocation::Query,
                "cookie" => KeyLocation::Cookie,
                other => return Err(format!("an API key in `{other}`")),
            };
            let name = text("name");
            if name.is_empty() {
                return Err("an API key without a `name`".into());
            }
            Ok((
                Carrier::ApiKey {
                    location,
                    name: name.to_string(),
                },
                "API key",
            ))
        }
        "oauth2" => Ok((Carrier::Bearer, "OAuth 2")),
        "openIdConnect" => Ok((Carrier::Bearer, "OpenID Connect")),
        "mutualTLS" => Err("mutual TLS (a property of the connection)".into()),
        other => Err(format!("type `{other}`")),
    }
}
