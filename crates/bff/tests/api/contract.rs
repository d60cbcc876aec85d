//! OpenAPI descriptions as checkers. The bank's contract (`crates/bank-api/openapi.yaml`)
//! checks recorded bank calls: each call is matched to its operation by method and path
//! template, then its headers, request body and response body are validated with the
//! operation's JSON schemas. The BFF's own description (`crates/bff/openapi.yaml`) checks
//! every answer the tests get from its API the same way (see [`Contract::answer_violations`]).

use boon::{Compiler, SchemaIndex, Schemas};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::LazyLock;

/// The base the bank's routes live under on the sandbox (its base URL ends in `/api`).
const BANK_PREFIX: &str = "/api";
/// The URLs the descriptions are registered under, so `$ref`s resolve inside each.
const BANK_BASE: &str = "http://contract.test/openapi.json";
const OWN_BASE: &str = "http://own-api.test/openapi.json";

/// The BFF's own description.
pub const OWN_API_YAML: &str = include_str!("../../openapi.yaml");

/// One call the bank received, with its answer as the BFF saw it.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub method: String,
    pub path: String,
    /// The query string, without its `?` (empty when there is none).
    pub query: String,
    /// Header names are lower case, as HTTP/1 servers see them.
    pub headers: Vec<(String, String)>,
    pub request_body: Vec<u8>,
    /// `None` when the connection was dropped before an answer.
    pub response: Option<(u16, Vec<u8>)>,
}

impl Exchange {
    /// Whether this is a call of the bank's API, not of the sandbox's inspection routes.
    pub fn is_bank_call(&self) -> bool {
        self.path.starts_with(&format!("{BANK_PREFIX}/"))
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// An answer of the BFF's API, as its client saw it.
pub struct Answered<'a> {
    pub method: &'a str,
    /// The path, without the query string.
    pub path: &'a str,
    pub status: u16,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: &'a [u8],
}

/// A description, compiled once for the whole test binary.
pub struct Contract {
    doc: Value,
    /// What the calls' paths start with before the description's paths.
    prefix: &'static str,
    schemas: Schemas,
    /// Compiled schemas by their JSON pointer in the description.
    compiled: HashMap<String, SchemaIndex>,
}

/// The contract every bank call of the test suite is held to.
pub static CONTRACT: LazyLock<Contract> =
    LazyLock::new(|| Contract::load(bank_api::OPENAPI_YAML, BANK_BASE, BANK_PREFIX));

/// The description every answer of the BFF's API in the test suite is held to.
pub static OWN_API: LazyLock<Contract> =
    LazyLock::new(|| Contract::load(OWN_API_YAML, OWN_BASE, ""));

impl Contract {
    fn load(yaml: &str, base: &str, prefix: &'static str) -> Self {
        let doc: Value = serde_yaml_ng::from_str(yaml).expect("openapi.yaml is valid YAML");
        let mut compiler = Compiler::new();
        compiler.set_default_draft(boon::Draft::V2020_12);
        // `format: date` and `format: uuid` are part of the contract, not annotations.
        compiler.enable_format_assertions();
        compiler
            .add_resource(base, doc.clone())
            .expect("the description is a resource");
        let mut schemas = Schemas::new();
        let mut compiled = HashMap::new();
        for pointer in schema_pointers(&doc) {
            let fragment = pointer.replace('{', "%7B").replace('}', "%7D");
            let index = compiler
                .compile(&format!("{base}#{fragment}"), &mut schemas)
                .unwrap_or_else(|e| panic!("the schema at {pointer} compiles: {e:#}"));
            compiled.insert(pointer, index);
        }
        Self {
            doc,
            prefix,
            schemas,
            compiled,
        }
    }

    /// The description as parsed.
    pub fn document(&self) -> &Value {
        &self.doc
    }

    /// The named schema of `components/schemas`, for hand-made bodies.
    pub fn validate_schema(&self, name: &str, value: &Value) -> Result<(), String> {
        self.validate_at(&format!("/components/schemas/{name}"), value)
    }

    fn validate_at(&self, pointer: &str, value: &Value) -> Result<(), String> {
        let index = self
            .compiled
            .get(pointer)
            .unwrap_or_else(|| panic!("no schema compiled at {pointer}"));
        self.schemas
            .validate(value, *index)
            .map_err(|e| format!("{e:#}"))
    }

    /// Every way `exchange` breaks the contract; empty when it keeps it.
    pub fn violations(&self, exchange: &Exchange) -> Vec<String> {
        let mut problems = Vec::new();
        let Some(path) = exchange.path.strip_prefix(self.prefix) else {
            return vec![format!("{} is not under {}", exchange.path, self.prefix)];
        };
        let method = exchange.method.to_ascii_lowercase();
        let Some((template, operation)) = self.operation(&method, path) else {
            return vec![format!(
                "no operation {} {path} in the contract",
                exchange.method
            )];
        };
        let at =
            |pointer_tail: &str| format!("/paths/{}/{method}{pointer_tail}", escape(&template));

        self.check_parameters(&template, operation, path, exchange, &method, &mut problems);
        self.check_request_body(operation, exchange, &at("/requestBody"), &mut problems);
        self.check_response(operation, exchange, &at("/responses"), &mut problems);
        problems
            .into_iter()
            .map(|p| format!("{} {}: {p}", exchange.method, exchange.path))
            .collect()
    }

    fn operation(&self, method: &str, path: &str) -> Option<(String, &Value)> {
        self.doc["paths"]
            .as_object()?
            .iter()
            .filter(|(template, _)| path_params(template, path).is_some())
            .find_map(|(template, item)| Some((template.clone(), item.get(method)?)))
    }

    fn check_parameters(
        &self,
        template: &str,
        operation: &Value,
        path: &str,
        exchange: &Exchange,
        method: &str,
        problems: &mut Vec<String>,
    ) {
        let item_pointer = format!("/paths/{}", escape(template));
        let listed = [
            (
                format!("{item_pointer}/parameters"),
                &self.doc["paths"][template]["parameters"],
            ),
            (
                format!("{item_pointer}/{method}/parameters"),
                &operation["parameters"],
            ),
        ];
        let path_values = path_params(template, path).unwrap_or_default();
        for (list_pointer, list) in listed {
            for (i, parameter) in list.as_array().into_iter().flatten().enumerate() {
                let (pointer, parameter) = self.resolve(&format!("{list_pointer}/{i}"), parameter);
                let name = parameter["name"].as_str().unwrap_or_default();
                let required = parameter["required"] == true;
                let value = match parameter["in"].as_str() {
                    Some("header") => exchange.header(name).map(str::to_owned),
                    Some("path") => path_values.get(name).cloned(),
                    Some("query") => url::form_urlencoded::parse(exchange.query.as_bytes())
                        .find(|(k, _)| k == name)
                        .map(|(_, v)| v.into_owned()),
                    _ => None,
                };
                match value {
                    None if required => problems.push(format!(
                        "required {} parameter {name} is missing",
                        parameter["in"]
                    )),
                    None => {}
                    Some(value) => {
                        if let Err(e) = self.validate_at(
                            &format!("{pointer}/schema"),
                            &Value::String(value.clone()),
                        ) {
                            problems.push(format!("parameter {name} {value:?}: {e}"));
                        }
                    }
                }
            }
        }
    }

    fn check_request_body(
        &self,
        operation: &Value,
        exchange: &Exchange,
        pointer: &str,
        problems: &mut Vec<String>,
    ) {
        let Some(content) = operation["requestBody"]["content"].as_object() else {
            if !exchange.request_body.is_empty() {
                problems.push("a body where the operation takes none".to_owned());
            }
            return;
        };
        let essence = exchange
            .header("content-type")
            .and_then(|v| v.split(';').next())
            .map(|v| v.trim().to_ascii_lowercase())
            .unwrap_or_default();
        if !content.contains_key(&essence) {
            problems.push(format!("request body of type {essence:?} is not described"));
            return;
        }
        let body = match essence.as_str() {
            "application/x-www-form-urlencoded" => {
                let fields: Map<String, Value> =
                    url::form_urlencoded::parse(&exchange.request_body)
                        .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
                        .collect();
                Value::Object(fields)
            }
            _ => match serde_json::from_slice(&exchange.request_body) {
                Ok(body) => body,
                Err(e) => {
                    problems.push(format!("request body is not JSON: {e}"));
                    return;
                }
            },
        };
        let schema = format!("{pointer}/content/{}/schema", escape(&essence));
        if let Err(e) = self.validate_at(&schema, &body) {
            problems.push(format!("request body {body}: {e}"));
        }
    }

    fn check_response(
        &self,
        operation: &Value,
        exchange: &Exchange,
        pointer: &str,
        problems: &mut Vec<String>,
    ) {
        let Some((status, body)) = &exchange.response else {
            return;
        };
        self.check_answer(operation, pointer, *status, None, body, problems);
    }

    /// Every way an answer of the description's API breaks it; empty when it keeps it. A
    /// path outside the description's (its paths' first segments, e.g. `/api`) is not its
    /// to judge. Within, a path or method it does not describe may only be refused by the
    /// router (404 or 405, without a body).
    pub fn answer_violations(&self, answer: &Answered) -> Vec<String> {
        let method = answer.method.to_ascii_lowercase();
        let Some(path) = answer.path.strip_prefix(self.prefix) else {
            return Vec::new();
        };
        let shown = |problem: String| format!("{} {}: {problem}", answer.method, answer.path);
        let Some((template, operation)) = self.operation(&method, path) else {
            let routed = answer.body.is_empty() && matches!(answer.status, 404 | 405);
            if routed || !self.covers(path) {
                return Vec::new();
            }
            return vec![shown(format!(
                "answered {} but is not described",
                answer.status
            ))];
        };
        let pointer = format!("/paths/{}/{method}/responses", escape(&template));
        let mut problems = Vec::new();
        let content_type = header(&answer.headers, "content-type");
        self.check_answer(
            operation,
            &pointer,
            answer.status,
            Some(content_type.unwrap_or_default()),
            answer.body,
            &mut problems,
        );
        self.check_response_headers(operation, &pointer, answer, &mut problems);
        problems.into_iter().map(shown).collect()
    }

    /// Whether `path` is under one of the description's first path segments.
    fn covers(&self, path: &str) -> bool {
        let first = |p: &str| p.split('/').nth(1).map(str::to_owned);
        let Some(segment) = first(path) else {
            return false;
        };
        self.doc["paths"]
            .as_object()
            .into_iter()
            .flatten()
            .any(|(template, _)| first(template).as_ref() == Some(&segment))
    }

    /// The answer's status must be described, its body must be the described one's (and,
    /// when `content_type` is given, of a described media type).
    fn check_answer(
        &self,
        operation: &Value,
        pointer: &str,
        status: u16,
        content_type: Option<&str>,
        body: &[u8],
        problems: &mut Vec<String>,
    ) {
        let responses = &operation["responses"];
        let exact = status.to_string();
        let range = format!("{}XX", status / 100);
        let Some(key) = [exact.as_str(), range.as_str(), "default"]
            .into_iter()
            .find(|k| responses.get(*k).is_some())
        else {
            problems.push(format!("status {status} is not described"));
            return;
        };
        let (pointer, response) =
            self.resolve(&format!("{pointer}/{}", escape(key)), &responses[key]);
        if response["content"]["application/json"].is_null() {
            if !body.is_empty() {
                problems.push(format!("a {status} body where none is described"));
            }
            return;
        }
        let essence = content_type.map(|v| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        });
        if let Some(essence) = essence.filter(|e| response["content"].get(e).is_none()) {
            problems.push(format!(
                "a {status} answer of type {essence:?}, which is not described"
            ));
            return;
        }
        match serde_json::from_slice::<Value>(body) {
            Ok(value) => {
                let schema = format!("{pointer}/content/application~1json/schema");
                if let Err(e) = self.validate_at(&schema, &value) {
                    problems.push(format!("{status} response {value}: {e}"));
                }
            }
            Err(e) => problems.push(format!("{status} response is not JSON: {e}")),
        }
    }

    /// The described response's headers: each required one present, each present one of
    /// its schema (a header whose schema is a number is read as one).
    fn check_response_headers(
        &self,
        operation: &Value,
        pointer: &str,
        answer: &Answered,
        problems: &mut Vec<String>,
    ) {
        let status = answer.status.to_string();
        let Some(described) = operation["responses"].get(&status) else {
            return;
        };
        let (pointer, response) = self.resolve(&format!("{pointer}/{status}"), described);
        for (name, header_item) in response["headers"].as_object().into_iter().flatten() {
            let header_pointer = format!("{pointer}/headers/{}", escape(name));
            let (pointer, header_item) = self.resolve(&header_pointer, header_item);
            match header(&answer.headers, &name.to_ascii_lowercase()) {
                None if header_item["required"] == true => {
                    problems.push(format!("{status} answer without its {name} header"));
                }
                None => {}
                Some(value) => {
                    let numeric = matches!(
                        header_item["schema"]["type"].as_str(),
                        Some("integer" | "number")
                    );
                    let parsed = serde_json::from_str::<Value>(value)
                        .ok()
                        .filter(|v| numeric && v.is_number())
                        .unwrap_or_else(|| Value::String(value.to_owned()));
                    if let Err(e) = self.validate_at(&format!("{pointer}/schema"), &parsed) {
                        problems.push(format!("{name} {value:?}: {e}"));
                    }
                }
            }
        }
    }

    /// Follows a `$ref` to `components`, answering the pointer of what it points at.
    pub fn resolve<'a>(&'a self, pointer: &str, value: &'a Value) -> (String, &'a Value) {
        match value.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let target = r.trim_start_matches('#');
                let resolved = self
                    .doc
                    .pointer(target)
                    .unwrap_or_else(|| panic!("dangling $ref {r}"));
                (target.to_owned(), resolved)
            }
            None => (pointer.to_owned(), value),
        }
    }
}

/// The path parameters of `path` if it is an instance of `template`.
fn path_params(template: &str, path: &str) -> Option<HashMap<String, String>> {
    let t: Vec<&str> = template.split('/').collect();
    let p: Vec<&str> = path.split('/').collect();
    if t.len() != p.len() {
        return None;
    }
    let mut params = HashMap::new();
    for (t, p) in t.iter().zip(&p) {
        match t.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
            Some(name) if !p.is_empty() => {
                params.insert(name.to_owned(), (*p).to_owned());
            }
            Some(_) => return None,
            None if t == p => {}
            None => return None,
        }
    }
    Some(params)
}

/// The value of header `name` (lower case) in a list of lower-case names.
fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// A JSON pointer token.
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// The pointer of every schema the checker may validate with: each component schema,
/// parameter schema, request body and response body.
fn schema_pointers(doc: &Value) -> Vec<String> {
    let mut pointers = Vec::new();
    for name in doc["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, _)| k)
    {
        pointers.push(format!("/components/schemas/{}", escape(name)));
    }
    for (name, _) in doc["components"]["parameters"]
        .as_object()
        .into_iter()
        .flatten()
    {
        pointers.push(format!("/components/parameters/{}/schema", escape(name)));
    }
    for (name, response) in doc["components"]["responses"]
        .as_object()
        .into_iter()
        .flatten()
    {
        for header in response["headers"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k)
        {
            pointers.push(format!(
                "/components/responses/{}/headers/{}/schema",
                escape(name),
                escape(header)
            ));
        }
        for media in response["content"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k)
        {
            pointers.push(format!(
                "/components/responses/{}/content/{}/schema",
                escape(name),
                escape(media)
            ));
        }
    }
    for (template, item) in doc["paths"].as_object().into_iter().flatten() {
        let item_pointer = format!("/paths/{}", escape(template));
        for (key, operation) in item.as_object().into_iter().flatten() {
            let op_pointer = format!("{item_pointer}/{key}");
            let parameters = if key == "parameters" {
                operation
            } else {
                &operation["parameters"]
            };
            let list_pointer = if key == "parameters" {
                op_pointer.clone()
            } else {
                format!("{op_pointer}/parameters")
            };
            for (i, parameter) in parameters.as_array().into_iter().flatten().enumerate() {
                if parameter.get("schema").is_some() {
                    pointers.push(format!("{list_pointer}/{i}/schema"));
                }
            }
            if key == "parameters" {
                continue;
            }
            for media in operation["requestBody"]["content"]
                .as_object()
                .into_iter()
                .flatten()
            {
                pointers.push(format!(
                    "{op_pointer}/requestBody/content/{}/schema",
                    escape(media.0)
                ));
            }
            for (status, response) in operation["responses"].as_object().into_iter().flatten() {
                for header in response["headers"].as_object().into_iter().flatten() {
                    pointers.push(format!(
                        "{op_pointer}/responses/{}/headers/{}/schema",
                        escape(status),
                        escape(header.0)
                    ));
                }
                for media in response["content"].as_object().into_iter().flatten() {
                    pointers.push(format!(
                        "{op_pointer}/responses/{}/content/{}/schema",
                        escape(status),
                        escape(media.0)
                    ));
                }
            }
        }
    }
    pointers
}
