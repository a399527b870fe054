//! The "Hộ gia đình" section of a member's page: the household the member
//! belongs to, its members and its category by year, and the forms that
//! make one with the member as head, put the member in one by its number,
//! or set a year's category. Each form calls its operation.

use crate::AppState;
use crate::auth::Viewer;
use crate::members::{Typed, refused};
use crate::shell::{Posted, Tokened, app_problem, told};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use hnd_app::AppError;
use hnd_domain::{HouseholdCategory, HouseholdRole};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct HouseholdForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    household: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    category: String,
}

impl Tokened for HouseholdForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// A household form posted on member `id`'s page.
type HouseholdPost = Posted<i64, HouseholdForm>;

/// The answer to a form: back to the page, or the page again with why.
async fn answer(state: &AppState, viewer: &Viewer, id: i64, result: Result<(), AppError>) -> Response {
    match result {
        Ok(()) => Redirect::to(&format!("/members/{id}?done=household#household")).into_response(),
        Err(e) => match told(viewer, e) {
            Ok(message) => refused(state, viewer, id, Typed::with_household(message)).await,
            Err(r) => r,
        },
    }
}

/// `POST /members/{id}/household`: a new household headed by the member.
pub async fn create(State(state): State<AppState>, posted: HouseholdPost) -> Response {
    let (viewer, id, f) = posted.into_parts();
    let result = state
        .app
        .create_household(&viewer.actor(), id, Some(f.address))
        .await
        .map(|_| ());
    answer(&state, &viewer, id, result).await
}

/// `POST /members/{id}/household/join`: the member joins household number `household` with `role`.
pub async fn join(State(state): State<AppState>, posted: HouseholdPost) -> Response {
    let (viewer, id, f) = posted.into_parts();
    let result = match (f.household.trim().parse::<i64>(), HouseholdRole::parse(&f.role)) {
        (Err(_), _) => Err(AppError::bad_value("household", &f.household)),
        (_, None) => Err(AppError::bad_value("household_role", &f.role)),
        (Ok(household), Some(role)) => state.app.join_household(&viewer.actor(), household, id, role).await,
    };
    answer(&state, &viewer, id, result).await
}

/// `POST /members/{id}/household/category`: the category of the member's household in a year.
pub async fn category(State(state): State<AppState>, posted: HouseholdPost) -> Response {
    let (viewer, id, f) = posted.into_parts();
    let household = match state.store.household_of(id).await {
        Ok(h) => h,
        Err(e) => return app_problem(&viewer, e.into()),
    };
    let result = match (
        household,
        f.year.trim().parse::<i32>(),
        HouseholdCategory::parse(&f.category),
    ) {
        (None, _, _) => Err(AppError::bad_value("household", "")),
        (_, Err(_), _) => Err(AppError::bad_value("year", &f.year)),
        (_, _, None) => Err(AppError::bad_value("household_category", &f.category)),
        (Some(household), Ok(year), Some(category)) => {
            state
                .app
                .set_household_category(&viewer.actor(), household, year, category)
                .await
        }
    };
    answer(&state, &viewer, id, result).await
}
