//! The REST API through octocrab: a few JSON calls, blocking, with errors
//! that say what went wrong and never carry the token.

use octocrab::Octocrab;
use serde_json::Value;
use std::fmt;
use std::time::Duration;

/// An API token. Its `Debug` and `Display` print `***`, so it cannot leak
/// through an error message, `{:?}` of the parsed command line, or a log.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    pub fn new(text: impl Into<String>) -> Token {
        Token(text.into().trim().to_string())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The secret itself: for the Authorization header and redaction only.
    fn expose(&self) -> &str {
        &self.0
    }

    /// `text` with every occurrence of the token replaced by `***`.
    pub fn redact(&self, text: &str) -> String {
        if self.0.len() < 4 {
            // Too short to search for without mangling ordinary text; such a
            // token is rejected before it is ever sent anyway.
            return text.to_string();
        }
        text.replace(self.expose(), "***")
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(***)")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Parsing never fails: a parse error would make clap echo the value.
impl std::str::FromStr for Token {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Token, Self::Err> {
        Ok(Token::new(s))
    }
}

/// A failed call: the HTTP status (none for a transport failure) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: Option<u16>,
    pub message: String,
}

impl ApiError {
    fn transport(message: impl fmt::Display) -> ApiError {
        ApiError {
            status: None,
            message: crate::error::one_line(&message.to_string()),
        }
    }

    /// 403 "Resource not accessible by integration": the workflow's token
    /// lacks the permission, as it always does on a pull request from a fork.
    pub fn read_only(&self) -> bool {
        self.status == Some(403)
            && self
                .message
                .to_ascii_lowercase()
                .contains("not accessible by integration")
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.read_only() {
            return f.write_str("the token is read-only (fork pull request?)");
        }
        match self.status {
            None => write!(f, "the API is unreachable: {}", self.message),
            Some(401) => write!(f, "the token was rejected (401: {})", self.message),
            Some(status) if self.message.is_empty() => write!(f, "the API answered {status}"),
            Some(status) => write!(f, "the API answered {status}: {}", self.message),
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// The longest any one call may take, retries included.
const CALL_TIMEOUT: Duration = Duration::from_secs(60);

/// At most this many pages of any list (100 items a page).
const MAX_PAGES: usize = 50;

/// A blocking client for one API root (`GITHUB_API_URL`).
pub struct Client {
    runtime: tokio::runtime::Runtime,
    octocrab: Octocrab,
    /// The API root without a trailing slash; `Link` URLs outside it are not followed.
    base: String,
    token: Option<Token>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.base)
            .field("token", &self.token)
            .finish_non_exhaustive()
    }
}

#[derive(Clone, Copy)]
enum Method {
    Get,
    Post,
    Patch,
}

impl Client {
    /// A client for `api_url`, authenticated with `token` (`Authorization:
    /// Bearer`) when there is one.
    pub fn new(api_url: &str, token: Option<&Token>) -> Result<Client, String> {
        Client::build(api_url, token, None)
    }

    /// A client that sends `token` in the header `header` (GitLab's
    /// `PRIVATE-TOKEN` or `JOB-TOKEN`) instead of `Authorization`.
    pub fn with_header(
        api_url: &str,
        header: &'static str,
        token: &Token,
    ) -> Result<Client, String> {
        Client::build(api_url, Some(token), Some(header))
    }

    fn build(
        api_url: &str,
        token: Option<&Token>,
        header: Option<&'static str>,
    ) -> Result<Client, String> {
        let base = api_url.trim_end_matches('/').to_string();
        let token = token.filter(|t| !t.is_empty()).cloned();
        if token.is_some() {
            refuse_cleartext(&base)?;
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the HTTP runtime: {e}"))?;
        if let Some(t) = &token {
            // octocrab panics on a token that is not a valid header value.
            let printable =
                t.expose().len() >= 4 && t.expose().bytes().all(|b| b.is_ascii_graphic());
            if !printable {
                return Err("the token is not a valid API token".to_string());
            }
        }
        // octocrab's client spawns its worker, so it is built inside the runtime.
        let built = runtime.block_on(async {
            let builder = Octocrab::builder()
                .base_uri(base.as_str())
                .map_err(|_| format!("the API URL {base:?} is not a URL"))?
                .set_connect_timeout(Some(Duration::from_secs(10)))
                .set_read_timeout(Some(Duration::from_secs(30)))
                .set_write_timeout(Some(Duration::from_secs(30)));
            let builder = match (&token, header) {
                (Some(t), None) => builder.personal_token(t.expose().to_string()),
                (Some(t), Some(name)) => {
                    builder.add_header(http::HeaderName::from_static(name), t.expose().to_string())
                }
                (None, _) => builder,
            };
            builder
                .build()
                .map_err(|e| format!("cannot build the API client: {e}"))
        });
        let octocrab = built.map_err(|e| redact_opt(token.as_ref(), &e))?;
        Ok(Client {
            runtime,
            octocrab,
            base,
            token,
        })
    }

    pub fn has_token(&self) -> bool {
        self.token.is_some()
    }

    /// `GET path` (`/repos/...`, relative to the API root).
    pub fn get(&self, path: &str) -> ApiResult<Value> {
        self.call(Method::Get, path, None).map(|(v, _)| v)
    }

    /// Every item of a paginated list, following `Link: <...>; rel="next"`.
    pub fn get_all(&self, path: &str) -> ApiResult<Vec<Value>> {
        let mut items = Vec::new();
        let mut next = Some(with_query(path, "per_page=100"));
        let mut pages = 0;
        while let Some(uri) = next.take() {
            let (page, link) = self.call(Method::Get, &uri, None)?;
            match page {
                Value::Array(page) => items.extend(page),
                _ => {
                    return Err(ApiError {
                        status: None,
                        message: format!("GET {path} did not answer a list"),
                    })
                }
            }
            pages += 1;
            if pages < MAX_PAGES {
                next = link
                    .as_deref()
                    .and_then(next_link)
                    .filter(|u| u.starts_with(&format!("{}/", self.base)) || u.starts_with('/'));
            }
        }
        Ok(items)
    }

    pub fn post(&self, path: &str, body: &Value) -> ApiResult<Value> {
        self.call(Method::Post, path, Some(body)).map(|(v, _)| v)
    }

    pub fn patch(&self, path: &str, body: &Value) -> ApiResult<Value> {
        self.call(Method::Patch, path, Some(body)).map(|(v, _)| v)
    }

    /// One call: the JSON answer (`null` when empty) and the `Link` header.
    fn call(
        &self,
        method: Method,
        uri: &str,
        body: Option<&Value>,
    ) -> ApiResult<(Value, Option<String>)> {
        let result = self.runtime.block_on(async {
            let octo = &self.octocrab;
            let request = async {
                let response = match method {
                    Method::Get => octo._get(uri).await,
                    Method::Post => octo._post(uri, body).await,
                    Method::Patch => octo._patch(uri, body).await,
                }
                .map_err(ApiError::transport)?;
                let status = response.status().as_u16();
                let link = response
                    .headers()
                    .get("link")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string);
                let text = octo
                    .body_to_string(response)
                    .await
                    .map_err(ApiError::transport)?;
                Ok::<_, ApiError>((status, link, text))
            };
            tokio::time::timeout(CALL_TIMEOUT, request)
                .await
                .unwrap_or_else(|_| {
                    Err(ApiError::transport(format!(
                        "no answer within {}s",
                        CALL_TIMEOUT.as_secs()
                    )))
                })
        });
        let redact = |mut e: ApiError| {
            e.message = redact_opt(self.token.as_ref(), &e.message);
            e
        };
        let (status, link, text) = result.map_err(redact)?;
        let json = if text.trim().is_empty() {
            Ok(Value::Null)
        } else {
            serde_json::from_str::<Value>(&text)
        };
        if !(200..300).contains(&status) {
            let message = match &json {
                Ok(v) => v
                    .get("message")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                Err(_) => String::new(),
            };
            return Err(redact(ApiError {
                status: Some(status),
                message: crate::error::one_line(&truncate(&message, 300)),
            }));
        }
        let json = json.map_err(|e| {
            redact(ApiError {
                status: Some(status),
                message: format!("the answer is not JSON: {e}"),
            })
        })?;
        Ok((json, link))
    }
}

/// A token travels only over TLS, or to this machine (a test server, a proxy
/// on loopback): `http://` elsewhere would hand it to anyone on the path.
fn refuse_cleartext(base: &str) -> Result<(), String> {
    let Some(rest) = strip_prefix_ignore_case(base, "http://") else {
        return Ok(());
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host_port.split(':').next().unwrap_or(""),
    };
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    if loopback {
        Ok(())
    } else {
        Err(format!(
            "the API URL {base:?} is plain http to another host: a token is sent only over https (or to a loopback address)"
        ))
    }
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

fn redact_opt(token: Option<&Token>, text: &str) -> String {
    match token {
        Some(t) => t.redact(text),
        None => text.to_string(),
    }
}

fn truncate(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((i, _)) => format!("{}...", &text[..i]),
        None => text.to_string(),
    }
}

fn with_query(path: &str, query: &str) -> String {
    if path.contains('?') {
        format!("{path}&{query}")
    } else {
        format!("{path}?{query}")
    }
}

/// The `rel="next"` URL of an RFC 8288 `Link` header.
pub fn next_link(header: &str) -> Option<String> {
    header.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        let url = url.trim().strip_prefix('<')?.strip_suffix('>')?;
        params
            .split(';')
            .any(|p| {
                let p = p.trim().replace(' ', "");
                p == "rel=\"next\"" || p == "rel=next"
            })
            .then(|| url.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_never_print() {
        let t: Token = " ghs_secret123 \n".parse().unwrap();
        assert_eq!(format!("{t}"), "***");
        assert_eq!(format!("{t:?}"), "Token(***)");
        assert_eq!(format!("{:?}", Some(t.clone())), "Some(Token(***))");
        assert_eq!(t.redact("Bearer ghs_secret123!"), "Bearer ***!");
    }

    #[test]
    fn bad_tokens_are_refused_not_sent() {
        let err = Client::new("http://127.0.0.1:9", Some(&Token::new("a\u{1}bcdef"))).unwrap_err();
        assert!(!err.contains("bcdef"), "{err}");
    }

    #[test]
    fn tokens_go_over_tls_or_loopback_only() {
        let t = Token::new("ghs_secret123");
        for refused in [
            "http://api.example.com",
            "HTTP://ghe.example/api/v3",
            "http://127.0.0.1.evil.example",
            "http://localhost@evil.example/",
            "http://10.0.0.1:8080",
        ] {
            let err = Client::new(refused, Some(&t)).unwrap_err();
            assert!(err.contains("plain http"), "{refused}: {err}");
        }
        for allowed in [
            "https://api.github.com",
            "http://127.0.0.1:8080",
            "http://localhost:1/api/v4",
            "http://[::1]:9",
            "http://user@127.0.0.2:9",
        ] {
            assert!(Client::new(allowed, Some(&t)).is_ok(), "{allowed}");
        }
        // Without a token there is nothing to protect.
        assert!(Client::new("http://api.example.com", None).is_ok());
    }

    #[test]
    fn links() {
        let h = r#"<https://api.github.com/repositories/1/pulls/2/files?page=2>; rel="next", <https://api.github.com/repositories/1/pulls/2/files?page=5>; rel="last""#;
        assert_eq!(
            next_link(h).as_deref(),
            Some("https://api.github.com/repositories/1/pulls/2/files?page=2")
        );
        assert_eq!(next_link(r#"<https://x/?page=1>; rel="prev""#), None);
        assert_eq!(next_link(""), None);
    }

    #[test]
    fn read_only_errors() {
        let e = ApiError {
            status: Some(403),
            message: "Resource not accessible by integration".into(),
        };
        assert!(e.read_only());
        assert_eq!(e.to_string(), "the token is read-only (fork pull request?)");
        let e = ApiError {
            status: Some(404),
            message: "Not Found".into(),
        };
        assert_eq!(e.to_string(), "the API answered 404: Not Found");
    }
}
