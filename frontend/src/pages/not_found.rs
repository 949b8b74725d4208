//! The 404 page.

use leptos::prelude::*;

use crate::backend::AppError;
use crate::components::form::ErrorBox;

#[component]
pub fn NotFound() -> impl IntoView {
    view! { <ErrorBox error=AppError::NotFound/> }
}
