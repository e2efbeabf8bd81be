//! The page's list of codes as JSON and as XML: the same entries in the same order as the page.

use bytes::{BufMut, Bytes, BytesMut};

use super::{html::content_type, Page};
use crate::render::escape::{element, escape_xml};

impl Page {
    pub(super) fn json(&self, lang: &str) -> Bytes {
        let mut codes = Vec::new();
        for group in self.groups() {
            for entry in &group.entries {
                let mut code = serde_json::json!({
                    "code": entry.code(),
                    "status": entry.status().as_u16(),
                    "title": entry.title_in(lang),
                    "description": entry.description_in(lang),
                    "own": group.own,
                });
                if let Some(uri) = self.uri(entry) {
                    code["uri"] = uri.into();
                }
                if !entry.members().is_empty() {
                    let members: Vec<serde_json::Value> = entry
                        .members()
                        .iter()
                        .map(|member| {
                            serde_json::json!({
                                "name": member.name(),
                                "type": member.ty().name(),
                                "public": member.is_public(),
                            })
                        })
                        .collect();
                    code["members"] = members.into();
                }
                let examples: Vec<serde_json::Value> = self
                    .examples(entry, lang)
                    .into_iter()
                    .map(|(format, body)| {
                        serde_json::json!({
                            "content_type": content_type(format),
                            "body": String::from_utf8_lossy(&body),
                        })
                    })
                    .collect();
                if !examples.is_empty() {
                    code["examples"] = examples.into();
                }
                codes.push(code);
            }
        }
        let list = serde_json::json!({
            "title": self.title_for(lang),
            "lang": lang,
            "codes": codes,
        });
        Bytes::from(list.to_string())
    }

    pub(super) fn xml(&self, lang: &str) -> Bytes {
        let groups = self.groups();
        let count: usize = groups.iter().map(|g| g.entries.len()).sum();
        let mut buf = BytesMut::with_capacity(256 + 1200 * count);
        buf.put_slice(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<error_codes xml:lang=\"");
        escape_xml(&mut buf, lang);
        buf.put_slice(b"\"><title>");
        escape_xml(&mut buf, self.title_for(lang));
        buf.put_slice(b"</title>");
        for group in &groups {
            for entry in &group.entries {
                buf.put_slice(b"<error_code>");
                element(&mut buf, "code", entry.code());
                element(&mut buf, "status", entry.status().as_str());
                element(&mut buf, "title", entry.title_in(lang));
                element(&mut buf, "description", entry.description_in(lang));
                element(&mut buf, "own", if group.own { "true" } else { "false" });
                if let Some(uri) = self.uri(entry) {
                    element(&mut buf, "uri", &uri);
                }
                if !entry.members().is_empty() {
                    buf.put_slice(b"<members>");
                    for member in entry.members() {
                        buf.put_slice(b"<member>");
                        element(&mut buf, "name", member.name());
                        element(&mut buf, "type", &member.ty().name());
                        let public = if member.is_public() { "true" } else { "false" };
                        element(&mut buf, "public", public);
                        buf.put_slice(b"</member>");
                    }
                    buf.put_slice(b"</members>");
                }
                let examples = self.examples(entry, lang);
                if !examples.is_empty() {
                    buf.put_slice(b"<examples>");
                    for (format, body) in examples {
                        buf.put_slice(b"<example>");
                        element(&mut buf, "content_type", content_type(format));
                        element(&mut buf, "body", &String::from_utf8_lossy(&body));
                        buf.put_slice(b"</example>");
                    }
                    buf.put_slice(b"</examples>");
                }
                buf.put_slice(b"</error_code>");
            }
        }
        buf.put_slice(b"</error_codes>");
        buf.freeze()
    }
}
