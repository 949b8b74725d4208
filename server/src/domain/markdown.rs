//! Markdown from members rendered to HTML that is safe to show anywhere.

use pulldown_cmark::{html, Options, Parser};

/// Renders Markdown (CommonMark + tables, strikethrough, task lists) and
/// strips everything unsafe: scripts, event handlers, `javascript:` links,
/// inline styles. Links get `rel="noopener noreferrer nofollow"`.
pub fn to_safe_html(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_TASKLISTS);
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, Parser::new_ext(markdown, options));
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&raw)
        .to_string()
}

/// Cleans HTML from another server before we store or show it.
pub fn sanitize_html(html: &str) -> String {
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_basic_markdown() {
        let html = to_safe_html("Hello **co-op** [site](https://example.org)");
        assert!(html.contains("<strong>co-op</strong>"), "{html}");
        assert!(html.contains(r#"href="https://example.org""#), "{html}");
        assert!(html.contains("noopener"), "{html}");
    }

    #[test]
    fn strips_scripts_and_handlers() {
        let html = to_safe_html("<script>alert(1)</script><img src=x onerror=alert(2)>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        let html = to_safe_html("a [x](javascript:alert(3)) <a href=\"javascript:alert(4)\">y</a>");
        assert!(!html.contains("href=\"javascript"), "{html}");
        assert!(html.contains(">x</a>") || html.contains("x"), "{html}");
    }
}
