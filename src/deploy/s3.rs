//! The S3 API calls a deploy needs (list, put, delete), signed with AWS
//! Signature Version 4: what AWS, MinIO, Aliyun OSS, Tencent COS and
//! Huawei OBS all accept. No request checksum beyond the payload's
//! SHA-256 is sent (some of those services reject the newer streamed
//! checksums).

use std::time::{SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};

use super::targets::{Credentials, Target};

/// What went wrong talking to the bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum S3Error {
    /// No answer at all (no network, wrong endpoint).
    Network(String),
    /// The service's error code and message (`NoSuchBucket`, …), and the
    /// HTTP status.
    Service { status: u16, code: String, message: String },
}

pub struct Client<'a> {
    target: &'a Target,
    credentials: &'a Credentials,
    agent: ureq::Agent,
}

/// An object of the listing: its key (without the target's prefix) and
/// ETag (the MD5 of a single-part upload).
pub struct Listed {
    pub key: String,
    pub etag: String,
}

impl<'a> Client<'a> {
    pub fn new(target: &'a Target, credentials: &'a Credentials) -> Client<'a> {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(std::time::Duration::from_secs(60)))
            .build()
            .into();
        Client {
            target,
            credentials,
            agent,
        }
    }

    /// Every object under the target's prefix.
    pub fn list(&self) -> Result<Vec<Listed>, S3Error> {
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut query = vec![("list-type", "2".to_string()), ("prefix", self.target.prefix.clone())];
            if let Some(t) = &token {
                query.push(("continuation-token", t.clone()));
            }
            let body = self.call("GET", "", &query, &[], Vec::new())?;
            let text = String::from_utf8_lossy(&body).into_owned();
            for contents in between_all(&text, "<Contents>", "</Contents>") {
                let key = unescape(between(contents, "<Key>", "</Key>").unwrap_or(""));
                let etag = unescape(between(contents, "<ETag>", "</ETag>").unwrap_or(""))
                    .trim_matches('"')
                    .to_string();
                let key = key.strip_prefix(&self.target.prefix).unwrap_or(&key).to_string();
                out.push(Listed { key, etag });
            }
            let truncated = between(&text, "<IsTruncated>", "</IsTruncated>") == Some("true");
            token = between(&text, "<NextContinuationToken>", "</NextContinuationToken>").map(unescape);
            if !truncated || token.is_none() {
                return Ok(out);
            }
        }
    }

    pub fn put(&self, key: &str, body: Vec<u8>, content_type: &str, cache_control: &str) -> Result<(), S3Error> {
        let headers = [("cache-control", cache_control), ("content-type", content_type)];
        self.call("PUT", key, &[], &headers, body).map(|_| ())
    }

    pub fn delete(&self, key: &str) -> Result<(), S3Error> {
        self.call("DELETE", key, &[], &[], Vec::new()).map(|_| ())
    }

    /// One signed request; `key` is under the target's prefix.
    fn call(
        &self,
        method: &str,
        key: &str,
        query: &[(&str, String)],
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Result<Vec<u8>, S3Error> {
        let t = self.target;
        let (scheme, host_port) = t.endpoint.split_once("://").unwrap_or(("https", t.endpoint.as_str()));
        let host_port = host_port.trim_end_matches('/');
        let full_key = if key.is_empty() {
            String::new()
        } else {
            format!("{}{key}", t.prefix)
        };
        let (host, path) = if t.path_style {
            (
                host_port.to_string(),
                format!("/{}/{}", t.bucket, encode_path(&full_key)),
            )
        } else {
            (
                format!("{}.{host_port}", t.bucket),
                format!("/{}", encode_path(&full_key)),
            )
        };
        let mut pairs: Vec<(String, String)> = query.iter().map(|(k, v)| (encode(k), encode(v))).collect();
        pairs.sort();
        let canonical_query: String = pairs
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&");
        let payload = hex(&Sha256::digest(&body));
        let (date, time) = now();
        let amz_date = format!("{date}T{time}Z");
        let mut signed: Vec<(String, String)> = vec![
            ("host".into(), host.clone()),
            ("x-amz-content-sha256".into(), payload.clone()),
            ("x-amz-date".into(), amz_date.clone()),
        ];
        if let Some(token) = &self.credentials.session_token {
            signed.push(("x-amz-security-token".into(), token.clone()));
        }
        for (k, v) in headers {
            signed.push((k.to_string(), v.to_string()));
        }
        signed.sort();
        let canonical_headers: String = signed.iter().map(|(k, v)| format!("{k}:{}\n", v.trim())).collect();
        let signed_names = signed.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>().join(";");
        let canonical = format!("{method}\n{path}\n{canonical_query}\n{canonical_headers}\n{signed_names}\n{payload}");
        let scope = format!("{date}/{}/s3/aws4_request", t.region);
        let to_sign = format!(
            "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
            hex(&Sha256::digest(canonical.as_bytes()))
        );
        let mut key_bytes = hmac(
            format!("AWS4{}", self.credentials.secret_key).as_bytes(),
            date.as_bytes(),
        );
        for part in [t.region.as_str(), "s3", "aws4_request"] {
            key_bytes = hmac(&key_bytes, part.as_bytes());
        }
        let signature = hex(&hmac(&key_bytes, to_sign.as_bytes()));
        let authorization = format!(
            "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed_names}, Signature={signature}",
            self.credentials.access_key
        );
        let url = if canonical_query.is_empty() {
            format!("{scheme}://{host}{path}")
        } else {
            format!("{scheme}://{host}{path}?{canonical_query}")
        };
        let mut request = ureq::http::Request::builder().method(method).uri(&url);
        for (k, v) in &signed {
            if k != "host" {
                request = request.header(k.as_str(), v.as_str());
            }
        }
        request = request.header("authorization", authorization);
        let request = request.body(body).map_err(|e| S3Error::Network(e.to_string()))?;
        let mut response = self.agent.run(request).map_err(|e| S3Error::Network(e.to_string()))?;
        let status = response.status().as_u16();
        let bytes = response
            .body_mut()
            .read_to_vec()
            .map_err(|e| S3Error::Network(e.to_string()))?;
        if status >= 300 {
            let text = String::from_utf8_lossy(&bytes);
            return Err(S3Error::Service {
                status,
                code: between(&text, "<Code>", "</Code>").unwrap_or("").to_string(),
                message: between(&text, "<Message>", "</Message>").unwrap_or("").to_string(),
            });
        }
        Ok(bytes)
    }
}

fn hmac(key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(block.map(|b| b ^ 0x36));
    inner.update(message);
    let mut outer = Sha256::new();
    outer.update(block.map(|b| b ^ 0x5c));
    outer.update(inner.finalize());
    outer.finalize().to_vec()
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// URI-encode as SigV4 wants: unreserved characters as they are.
fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn encode_path(key: &str) -> String {
    key.split('/').map(encode).collect::<Vec<_>>().join("/")
}

fn between<'t>(text: &'t str, open: &str, close: &str) -> Option<&'t str> {
    let start = text.find(open)? + open.len();
    let end = text[start..].find(close)? + start;
    Some(&text[start..end])
}

fn between_all<'t>(text: &'t str, open: &str, close: &str) -> Vec<&'t str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(open) {
        let after = &rest[start + open.len()..];
        let Some(end) = after.find(close) else { break };
        out.push(&after[..end]);
        rest = &after[end + close.len()..];
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Today's date and the time, UTC: `20261206`, `204500`.
fn now() -> (String, String) {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        format!("{year:04}{month:02}{day:02}"),
        format!("{:02}{:02}{:02}", rest / 3600, rest % 3600 / 60, rest % 60),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 4231 test case 2.
    #[test]
    fn hmac_sha256_is_rfc_4231() {
        let mac = hmac(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(
            hex(&mac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn keys_are_encoded_as_sigv4_wants() {
        assert_eq!(
            encode_path("a b/同荣村/x.html"),
            "a%20b/%E5%90%8C%E8%8D%A3%E6%9D%91/x.html"
        );
        assert_eq!(encode("list-type"), "list-type");
    }
}
