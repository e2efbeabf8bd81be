//! The page as HTML.

use std::fmt::{self, Write as _};

use bytes::Bytes;
use http::StatusCode;

use super::{words::Words, Group, Page};
use crate::{code::Entry, Format, ProblemDetails};

impl Page {
    /// The page in the language `lang` (one of the page's languages, or the default one).
    pub(super) fn html(&self, lang: &str) -> Bytes {
        let inner = &self.inner;
        let words = self.words(lang);
        let title = self.title_for(lang);
        let groups = self.groups();
        let count: usize = groups.iter().map(|g| g.entries.len()).sum();
        let mut html = String::with_capacity(4096 + 900 * count);
        let _ = write!(
            html,
            "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{}</title>\n",
            Html(lang),
            Html(title)
        );
        for other in inner.languages.iter().filter(|l| !l.is(lang)) {
            let _ = writeln!(
                html,
                "<link rel=\"alternate\" hreflang=\"{0}\" href=\"?lang={0}\">",
                Html(other.as_str())
            );
        }
        html.push_str(STYLE);
        html.push_str("</head>\n<body>\n<main>\n");
        let _ = writeln!(html, "<h1>{}</h1>", Html(title));
        if inner.languages.len() > 1 {
            let _ = write!(html, "<p class=\"languages\">{}", words.other_languages);
            for other in inner.languages.iter().filter(|l| !l.is(lang)) {
                let _ = write!(
                    html,
                    " <a href=\"?lang={0}\" hreflang=\"{0}\" lang=\"{0}\">{0}</a>",
                    Html(other.as_str())
                );
            }
            html.push_str("</p>\n");
        }
        match self.intro_for(lang) {
            Some(intro) => {
                let _ = writeln!(html, "<p class=\"intro\">{}</p>", Html(intro));
            }
            None => {
                let _ = writeln!(html, "<p class=\"intro\">{}</p>", words.intro);
            }
        }
        self.contents(&mut html, words, lang, &groups);
        self.fields(&mut html, words);
        for group in &groups {
            let _ = writeln!(
                html,
                "<section id=\"{}\" class=\"group\">\n<h2>{}</h2>",
                group.id,
                group.heading(words)
            );
            if !group.own {
                let _ = writeln!(html, "<p>{}</p>", words.builtin_intro);
            }
            let mut status = None;
            for entry in &group.entries {
                if status != Some(entry.status()) {
                    status = Some(entry.status());
                    let _ = writeln!(html, "<h3>{}</h3>", StatusName(entry.status(), lang));
                }
                self.entry(&mut html, words, lang, entry);
            }
            html.push_str("</section>\n");
        }
        html.push_str("</main>\n</body>\n</html>\n");
        Bytes::from(html)
    }

    /// The table of contents: the fields section, then every entry, grouped as on the page.
    fn contents(&self, html: &mut String, words: &Words, lang: &str, groups: &[Group]) {
        let _ = write!(
            html,
            "<nav aria-labelledby=\"page:contents\">\n<h2 id=\"page:contents\">{}</h2>\n<ul>\n\
             <li><a href=\"#page:fields\">{}</a></li>\n",
            words.contents, words.fields
        );
        for group in groups {
            // Below the application's own codes, the built-in ones fold away, so that on a
            // phone the page's own part is not a screen of links further down.
            let fold = !group.own && groups.len() > 1;
            let _ = writeln!(
                html,
                "<li><a href=\"#{}\">{}</a>",
                group.id,
                group.heading(words)
            );
            if fold {
                let _ = write!(
                    html,
                    "<details><summary>{} {}</summary>",
                    group.entries.len(),
                    words.codes
                );
            }
            html.push_str("<ul>\n");
            for (i, entry) in group.entries.iter().enumerate() {
                let status = entry.status();
                let first = i == 0 || group.entries[i - 1].status() != status;
                if first {
                    let _ = write!(
                        html,
                        "<li><span class=\"toc-status\">{}</span> ",
                        StatusName(status, lang)
                    );
                } else {
                    html.push_str(", ");
                }
                let _ = write!(html, "<a href=\"#{0}\"><code>{0}</code></a>", entry.code());
                let last = group
                    .entries
                    .get(i + 1)
                    .is_none_or(|e| e.status() != status);
                if last {
                    html.push_str("</li>\n");
                }
            }
            html.push_str("</ul>\n");
            if fold {
                html.push_str("</details>\n");
            }
            html.push_str("</li>\n");
        }
        html.push_str("</ul>\n</nav>\n");
    }

    /// The section on the fields of an error body, for the shapes the application sends.
    fn fields(&self, html: &mut String, words: &Words) {
        let members = self.groups_have_members();
        let _ = writeln!(
            html,
            "<section id=\"page:fields\">\n<h2>{}</h2>",
            words.fields
        );
        let field = |html: &mut String, name: &str, text: &str| {
            let _ = writeln!(html, "<dt><code>{name}</code></dt><dd>{text}</dd>");
        };
        let problem = self.inner.problem_details;
        if problem != ProblemDetails::Always {
            let types = "<code>application/json</code>, <code>application/xml</code>";
            let _ = writeln!(html, "<p>{}</p>", words.seed_shape.replace("{}", types));
            html.push_str("<dl>\n");
            field(html, "error", words.error);
            field(html, "error_description", words.error_description);
            field(html, "error_uri", words.error_uri);
            field(html, "request_id", words.request_id);
            field(html, "field_errors", words.field_errors);
            html.push_str("</dl>\n");
        }
        if problem != ProblemDetails::Never {
            let text = match problem {
                ProblemDetails::Always => words.problem_always,
                _ => words.problem_when_asked,
            };
            let _ = writeln!(html, "<p>{text}</p>\n<dl>");
            field(html, "type", words.problem_type);
            field(html, "title", words.problem_title);
            field(html, "status", words.problem_status);
            field(html, "detail", words.problem_detail);
            if problem == ProblemDetails::Always {
                field(html, "error", words.error);
                field(html, "request_id", words.request_id);
                field(html, "field_errors", words.field_errors);
            }
            html.push_str("</dl>\n");
        }
        if members {
            let _ = writeln!(html, "<p>{}</p>", words.extension_members);
        }
        html.push_str("</section>\n");
    }

    /// One entry: its self-link, status, title, description, members and example bodies.
    fn entry(&self, html: &mut String, words: &Words, lang: &str, entry: &Entry) {
        // A code is made of URI unreserved characters (see `Entry::new`): it is a valid `id`
        // and fragment as it is.
        let _ = write!(
            html,
            "<section id=\"{code}\" class=\"entry\">\n\
             <h4><a class=\"self\" href=\"#{code}\"><code>{code}</code></a></h4>\n\
             <p class=\"meta\"><span class=\"status\">{status_word} {status}</span>",
            code = entry.code(),
            status_word = words.status,
            status = entry.status().as_u16(),
        );
        // The heading above the entry names its status ("404 Not Found"): the entry keeps its
        // status number, for a reader sent to it by a link, and its title only when the title
        // says more than the status's name, in the page's language or as the reason phrase.
        let title = entry.title_in(lang);
        let status = entry.status();
        if title != status_name(status, lang) && title != crate::code::reason(status) {
            let _ = write!(html, " <span class=\"title\">{}</span>", Html(title));
        }
        let _ = writeln!(html, "</p>\n<p>{}</p>", Html(entry.description_in(lang)));
        if let Some(uri) = entry.uri() {
            let _ = writeln!(
                html,
                "<p>{}: <a href=\"{1}\">{1}</a></p>",
                words.more,
                Html(uri)
            );
        }
        if !entry.members().is_empty() {
            let _ = write!(
                html,
                "<table class=\"members\">\n<thead><tr><th>{}</th><th>{}</th>\
                 <th>{}</th></tr></thead>\n<tbody>\n",
                words.member, words.member_type, words.public
            );
            for member in entry.members() {
                let _ = writeln!(
                    html,
                    "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                    Html(member.name()),
                    Html(&member.ty().name()),
                    if member.is_public() {
                        words.yes
                    } else {
                        words.no
                    },
                );
            }
            html.push_str("</tbody>\n</table>\n");
        }
        let examples = self.examples(entry, lang);
        if !examples.is_empty() {
            let _ = writeln!(
                html,
                "<details class=\"examples\"><summary>{}</summary>",
                words.example
            );
            for (format, body) in &examples {
                let _ = writeln!(
                    html,
                    "<figure><figcaption><code>{}</code></figcaption>\
                     <pre><code>{}</code></pre></figure>",
                    content_type(*format),
                    Html(std::str::from_utf8(body).unwrap_or_default()),
                );
            }
            html.push_str("</details>\n");
        }
        html.push_str("</section>\n");
    }
}

impl Group {
    fn heading(&self, words: &Words) -> &'static str {
        if self.own {
            words.own_codes
        } else {
            words.builtin_codes
        }
    }
}

/// The media type of a format, for a label.
pub(super) fn content_type(format: Format) -> &'static str {
    match format {
        Format::Json => "application/json",
        Format::Xml => "application/xml",
        Format::TextXml => "text/xml",
        Format::ProblemJson => "application/problem+json",
        Format::ProblemXml => "application/problem+xml",
    }
}

/// `404 Not Found`: a status and its name in a language, the title in that language of the
/// status's first built-in code (the reason phrase in English).
struct StatusName<'a>(StatusCode, &'a str);

impl fmt::Display for StatusName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self(status, lang) = *self;
        write!(f, "{} {}", status.as_u16(), Html(status_name(status, lang)))
    }
}

/// The name of a status in a language: the title in that language of the status's first
/// built-in code, or else its reason phrase.
fn status_name(status: StatusCode, lang: &str) -> &'static str {
    crate::code::all()
        .find(|e| e.status() == status)
        .map_or_else(|| crate::code::reason(status), |e| e.title_in(lang))
}

const STYLE: &str = "<style>\
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}\
body{font-family:system-ui,sans-serif;line-height:1.5;margin:0;color:#1a1a1a;background:#fff}\
main{max-width:52rem;margin:0 auto;padding:1rem 1rem 4rem}\
h1{font-size:1.7rem;margin:.5rem 0}\
h2{font-size:1.35rem;margin:2rem 0 .5rem;padding-bottom:.2rem;border-bottom:2px solid #ddd}\
h3{font-size:1.1rem;margin:1.5rem 0 .25rem;color:#444}\
h4{font-size:1.05rem;margin:0}\
p{margin:.3rem 0}\
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}\
code{overflow-wrap:anywhere}\
nav ul{padding-left:1.2rem;margin:.3rem 0}nav li{margin:.2rem 0}\
.toc-status{font-weight:600}\
.entry{border-top:1px solid #ddd;padding:.6rem .4rem;margin:0 -.4rem}\
.entry:target{background:#fff8d6}\
a.self{color:inherit;text-decoration:none}a.self:hover,a.self:focus{text-decoration:underline}\
.meta .status{color:#555;margin-right:.5rem}.meta .title{font-weight:600}\
dt{margin-top:.4rem}dd{margin:0 0 0 1.2rem}\
table.members{display:block;max-width:100%;overflow-x:auto;border-collapse:collapse;margin:.5rem 0}\
.members th,.members td{border:1px solid #ddd;padding:.15rem .6rem;text-align:left}\
.members th{background:#f5f5f5;font-weight:600}\
details.examples{margin:.4rem 0}summary{cursor:pointer;color:#333}\
figure{margin:.4rem 0}figcaption{color:#555;font-size:.9em}\
pre{background:#f5f5f5;border:1px solid #e2e2e2;padding:.5rem;margin:.3rem 0;max-width:100%;\
overflow-x:auto;white-space:pre-wrap;overflow-wrap:anywhere}\
</style>\n";

/// Text escaped for HTML character data and attribute values.
pub(super) struct Html<'a>(pub(super) &'a str);

impl fmt::Display for Html<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(i) = rest.find(['&', '<', '>', '"', '\'']) {
            f.write_str(&rest[..i])?;
            f.write_str(match rest.as_bytes()[i] {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                _ => "&#39;",
            })?;
            rest = &rest[i + 1..];
        }
        f.write_str(rest)
    }
}
