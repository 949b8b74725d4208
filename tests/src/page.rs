//! A small form-posting HTTP client that behaves like a browser with JavaScript off.

use reqwest::header::{ACCEPT, LOCATION, REFERER};
use reqwest::{Client, StatusCode};

pub struct Browser {
    base: String,
    client: Client,
}

/// What came back: status, where it redirects to, and the body.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub location: Option<String>,
    pub body: String,
}

impl Browser {
    pub fn new(base: &str) -> Browser {
        Browser {
            base: base.to_string(),
            client: Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .timeout(std::time::Duration::from_secs(60))
                .build()
                .expect("http client"),
        }
    }

    fn url(&self, path: &str) -> String {
        if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{}", self.base, path)
        }
    }

    pub async fn get(&self, path: &str) -> Reply {
        let res = self
            .client
            .get(self.url(path))
            .header(ACCEPT, "text/html")
            .send()
            .await
            .expect("GET");
        reply(res).await
    }

    /// Loads `page`, fills the form whose action is `action` with `fields`
    /// plus its CSRF token, and submits it the way a browser does. The page
    /// need not show that form (tests of refusals post what is not offered),
    /// but it must have been served: a page that failed would only turn into
    /// a refused CSRF token later.
    pub async fn submit(&self, page: &str, action: &str, fields: &[(&str, &str)]) -> Reply {
        let shown = self.get(page).await;
        assert!(
            !shown.status.is_server_error(),
            "{page}, loaded to post {action}, failed with {}: {}",
            shown.status,
            shown.body
        );
        let csrf = csrf_token(&shown.body).unwrap_or_default();
        self.post_form(page, action, &csrf, fields).await
    }

    /// Posts a form with an explicit CSRF value.
    pub async fn post_form(
        &self,
        page: &str,
        action: &str,
        csrf: &str,
        fields: &[(&str, &str)],
    ) -> Reply {
        let mut form: Vec<(&str, &str)> = vec![("csrf", csrf)];
        form.extend_from_slice(fields);
        let res = self
            .client
            .post(self.url(action))
            .header(ACCEPT, "text/html")
            .header(REFERER, self.url(page))
            .form(&form)
            .send()
            .await
            .expect("POST");
        reply(res).await
    }

    /// Submits and follows the redirect, returning the page shown after.
    pub async fn submit_and_follow(
        &self,
        page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> Reply {
        let r = self.submit(page, action, fields).await;
        match r.location {
            Some(loc) if r.status.is_redirection() => self.get(&loc).await,
            _ => r,
        }
    }

    pub fn raw(&self) -> &Client {
        &self.client
    }
}

async fn reply(res: reqwest::Response) -> Reply {
    let status = res.status();
    let location = res
        .headers()
        .get(LOCATION)
        .and_then(|l| l.to_str().ok())
        .map(str::to_string);
    let body = res.text().await.unwrap_or_default();
    Reply {
        status,
        location,
        body,
    }
}

/// The CSRF token of the first form on a page.
pub fn csrf_token(html: &str) -> Option<String> {
    let start = html.find(r#"name="csrf" value=""#)? + r#"name="csrf" value=""#.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_string())
}

/// The text of the first `class="error"` element, if any.
pub fn error_text(html: &str) -> Option<String> {
    let i = html.find(r#"class="error""#)?;
    let start = i + html[i..].find('>')? + 1;
    let end = start + html[start..].find('<')?;
    Some(html[start..end].to_string())
}
