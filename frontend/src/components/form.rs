//! Form helpers: the CSRF field, error and notice boxes, and page-context access.

use leptos::prelude::*;

use crate::app::PageResource;
use crate::backend::AppError;
use crate::server_fns::PageData;

/// The hidden CSRF field every form carries.
#[component]
pub fn CsrfField() -> impl IntoView {
    let ctx = expect_context::<PageResource>();
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let token = ctx.await.map(|c| c.csrf_token).unwrap_or_default();
                view! { <input type="hidden" name="csrf" value=token/> }
            })}
        </Suspense>
    }
}

/// Shows the error of the last submission of an action, if it failed.
#[component]
pub fn ActionError<T>(#[prop(into)] value: Signal<Option<Result<T, AppError>>>) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
{
    move || {
        value.get().and_then(Result::err).map(|e| {
            view! { <p class="error" role="alert">{e.to_string()}</p> }
        })
    }
}

/// The text to put between `<textarea>` and `</textarea>`.
///
/// Leptos writes a textarea's children into the server-rendered page unescaped (HTML parses
/// them as text, but `</textarea>` still ends the element), so text a person typed —
/// `</textarea><script>…` included — must be escaped here; the browser decodes it back to
/// exactly what was typed. HTML also drops one newline right after `<textarea>`, so text that
/// starts with a newline gets one more. In the browser build the text goes into a DOM text node
/// as is.
pub fn textarea_text(text: impl AsRef<str>) -> String {
    #[cfg(feature = "ssr")]
    {
        let text = text.as_ref();
        let lead = if text.starts_with('\n') { "\n" } else { "" };
        format!("{lead}{}", html_escape::encode_text(text))
    }
    #[cfg(not(feature = "ssr"))]
    {
        text.as_ref().to_string()
    }
}

#[component]
pub fn Notice(text: String) -> impl IntoView {
    view! { <p class="notice" role="status">{text}</p> }
}

/// An error box for a failed page load, setting the HTTP status to match.
#[component]
pub fn ErrorBox(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::ssr::set_status(match error {
        AppError::NotFound => 404,
        AppError::Unauthenticated => 401,
        AppError::Forbidden => 403,
        AppError::Internal => 500,
        _ => 400,
    });
    let (title, hint) = match error {
        AppError::NotFound => (
            "Not found",
            "Nothing is here. Check the address, or go back to the start page.",
        ),
        AppError::Unauthenticated => ("Sign in needed", "This page is for signed-in members."),
        AppError::Forbidden => ("Not allowed", "Your account may not see this page."),
        AppError::Internal => (
            "Something went wrong",
            "The error was logged. Try again in a moment.",
        ),
        _ => ("That did not work", ""),
    };
    let login = matches!(error, AppError::Unauthenticated);
    view! {
        <section class="card error-page">
            <h1>{title}</h1>
            <p class="error">{error.to_string()}</p>
            <p>{hint}</p>
            {login.then(|| view! { <p><a href="/login">"Sign in"</a></p> })}
            <p><a href="/">"Back to the start page"</a></p>
        </section>
    }
}

/// Awaits the page context; returns it or the error.
pub async fn page_ctx() -> Result<PageData, AppError> {
    expect_context::<PageResource>().await
}
