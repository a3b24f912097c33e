//! The audit log, and the users of the hub (the accounts an administrator makes and
//! looks after; a person's own account is `account.rs`).

use super::validate;
use super::{parse_id, render, render_invalid};
use crate::auth::{hash_password, Chrome, Viewer};
use crate::error::AppError;
use crate::forms::{Choice, FormData, FormView};
use crate::AppState;
use alongside_domain::audit::{AuditAction, AuditRecord};
use alongside_domain::clock::uk_today;
use alongside_domain::ids::*;
use alongside_domain::roles::{Capability, Role};
use alongside_domain::validate::{self as v, FieldErrors, SHORT_TEXT_MAX};
use alongside_domain::Code;
use alongside_store::{AuditFilter, AuditRow, NewUser, Refusal, StoreError, User};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use chrono::Utc;

const AUDIT_PAGE: i64 = 100;

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    form: FormView,
    rows: Vec<AuditRow>,
    total: i64,
    page: i64,
    pages: i64,
    page_base: String,
}

pub async fn audit(
    State(state): State<AppState>,
    viewer: Viewer,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    viewer.require(Capability::ViewAuditLog)?;
    let mut data = FormData::parse(query.unwrap_or_default().as_bytes());
    let mut e = FieldErrors::new();
    let today = uk_today(Utc::now());
    let username = v::optional_text(&mut e, "user", "Username", data.get("user"), SHORT_TEXT_MAX);
    let action = v::optional_text(&mut e, "action", "Action", data.get("action"), 40);
    let family_id = match data.get("family").trim() {
        "" => None,
        s => match s.parse::<FamilyId>() {
            Ok(n) => Some(n),
            _ => {
                e.add("family", "Family number must be a whole number, like 42");
                None
            }
        },
    };
    let (from, to) = validate::date_range(&mut e, &data, today);
    let page = validate::page_number(&data);
    let (rows, total) = if e.is_empty() {
        let filter = AuditFilter {
            username,
            action,
            family_id,
            from,
            to,
            limit: AUDIT_PAGE,
            offset: (page - 1) * AUDIT_PAGE,
        };
        let p = state.store.audit_log(&viewer.actor, &filter).await?;
        (p.items, p.total)
    } else {
        (Vec::new(), 0)
    };
    data.0.retain(|(k, _)| k != "page");
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(data.0.iter())
        .finish();
    let t = AuditPage {
        chrome: viewer.chrome("/audit", state.config.demo),
        rows,
        total,
        page,
        pages: (total + AUDIT_PAGE - 1) / AUDIT_PAGE,
        page_base: format!("/audit?{query}&"),
        form: FormView::new(data, e),
    };
    if t.form.has_errors() {
        render_invalid(&t)
    } else {
        render(&t)
    }
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    chrome: Chrome,
    users: Vec<User>,
    form: FormView,
    roles: Vec<Choice>,
    created: Option<String>,
}

async fn users_page(
    state: &AppState,
    viewer: &Viewer,
    form: FormView,
    created: Option<String>,
) -> Result<UsersPage, AppError> {
    Ok(UsersPage {
        chrome: viewer.chrome("/admin/users", state.config.demo),
        users: state.store.hub_users(&viewer.actor).await?,
        form,
        // Administrators come only from the server (separation of duties).
        roles: Choice::all::<Role>()
            .into_iter()
            .filter(|c| c.value != Role::Administrator.code())
            .collect(),
        created,
    })
}

pub async fn users(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    viewer.require(Capability::ManageUsers)?;
    render(&users_page(&state, &viewer, FormView::default(), None).await?)
}

pub async fn create_user(
    State(state): State<AppState>,
    viewer: Viewer,
    body: Bytes,
) -> Result<Response, AppError> {
    viewer.require(Capability::ManageUsers)?;
    let mut data = FormData::parse(&body);
    let mut e = FieldErrors::new();
    let username = alongside_domain::accounts::username(&mut e, "username", data.get("username"));
    if !state
        .limits
        .allow_new_account(&viewer.actor.user_id().to_string())
    {
        e.add(
            "username",
            "You have made many accounts in a short time: wait a few minutes, then try again",
        );
        data.set("password", "");
        return Ok((
            axum::http::StatusCode::TOO_MANY_REQUESTS,
            render_invalid(&users_page(&state, &viewer, FormView::new(data, e), None).await?)?,
        )
            .into_response());
    }
    let display_name = v::required_text(
        &mut e,
        "display-name",
        "Full name",
        data.get("display-name"),
        SHORT_TEXT_MAX,
    );
    let role = v::code::<Role>(&mut e, "role", "A role", data.get("role"), true);
    let password = alongside_domain::accounts::password::check(
        &mut e,
        "password",
        data.get("password"),
        &[&username, data.get("display-name")],
    );
    data.set("password", "");
    // Separation of duties: administrators, and a hub's first manager, come only from
    // the server; an account that works on cases waits for a manager's approval.
    let waits = match role.map(alongside_domain::accounts::made_in_the_browser) {
        Some(Err(_)) => {
            e.add(
                "role",
                "Administrators are added on the server, with alongside create-user: choose another role",
            );
            false
        }
        Some(Ok(waits)) => waits,
        None => false,
    };
    if let (Some(role), true) = (role, e.is_empty()) {
        let hash = hash_password(&password).map_err(AppError::Internal)?;
        let mut new = NewUser::new(
            username.clone(),
            display_name,
            role,
            hash,
            vec![viewer.actor.hub_id()],
        );
        if waits {
            new = new.awaiting_approval();
        }
        match state.store.create_user(&new).await {
            Ok(user) => {
                state
                    .store
                    .record_audit(
                        &viewer.actor,
                        &alongside_store::AuditEvent::new(
                            AuditAction::Create,
                            AuditRecord::User,
                            Some(user.id.get()),
                            None,
                        ),
                    )
                    .await?;
                return render(
                    &users_page(&state, &viewer, FormView::default(), Some(username)).await?,
                );
            }
            Err(StoreError::Conflict(Refusal::FirstManagerFromTheServer)) => {
                e.add("role", Refusal::FirstManagerFromTheServer.to_string())
            }
            Err(StoreError::Conflict(msg)) => {
                if msg.is_username() {
                    // A refused username is recorded: trying names is how accounts are
                    // found out.
                    state
                        .store
                        .record_audit(
                            &viewer.actor,
                            &alongside_store::AuditEvent::new(
                                AuditAction::Refuse,
                                AuditRecord::User,
                                None,
                                None,
                            ),
                        )
                        .await?;
                }
                e.add("username", msg)
            }
            Err(other) => return Err(other.into()),
        }
    }
    render_invalid(&users_page(&state, &viewer, FormView::new(data, e), None).await?)
}

/// A manager approves an account of their hub made in the browser (separation of
/// duties), then returns to their dashboard, where the approval is listed.
pub async fn approve(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    viewer.require(Capability::ApproveAccounts)?;
    state
        .store
        .approve_account(&viewer.actor, parse_id(&id)?, Utc::now())
        .await?;
    Ok(viewer.after_save("/referrals", "account-approved"))
}

#[derive(Template)]
#[template(path = "bank_holidays.html")]
struct BankHolidaysPage {
    chrome: Chrome,
    nation: String,
    /// The shipped ones from this year on, and those the hub added.
    shipped: Vec<(chrono::NaiveDate, &'static str)>,
    added: Vec<alongside_store::AddedHoliday>,
    last_shipped: i32,
    form: FormView,
}

async fn bank_holidays_page(
    state: &AppState,
    viewer: &Viewer,
    form: FormView,
) -> Result<BankHolidaysPage, AppError> {
    use chrono::Datelike;
    let h = state.store.hub_holidays(&viewer.actor).await?;
    let this_year = uk_today(Utc::now()).year();
    let all = alongside_domain::workdays::shipped(h.nation);
    Ok(BankHolidaysPage {
        chrome: viewer.chrome("/admin/bank-holidays", state.config.demo),
        nation: h.nation.label().to_string(),
        last_shipped: all.iter().map(|(d, _)| d.year()).max().unwrap_or(this_year),
        shipped: all
            .into_iter()
            .filter(|(d, _)| d.year() >= this_year)
            .collect(),
        added: h.added,
        form,
    })
}

/// The hub's bank holidays: those shipped for its nation, and those its administrator
/// added (a one-off, or the years after the shipped ones).
pub async fn bank_holidays(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Response, AppError> {
    viewer.require(Capability::ManageUsers)?;
    render(&bank_holidays_page(&state, &viewer, FormView::default()).await?)
}

pub async fn add_bank_holiday(
    State(state): State<AppState>,
    viewer: Viewer,
    body: Bytes,
) -> Result<Response, AppError> {
    viewer.require(Capability::ManageUsers)?;
    let data = FormData::parse(&body);
    let mut e = FieldErrors::new();
    let day = v::date_parts(
        &mut e,
        "day",
        "The date",
        data.get("day-day"),
        data.get("day-month"),
        data.get("day-year"),
        true,
        v::When::Any,
        uk_today(Utc::now()),
    );
    let title = v::required_text(
        &mut e,
        "title",
        "Its name",
        data.get("title"),
        SHORT_TEXT_MAX,
    );
    if let (Some(day), true) = (day, e.is_empty()) {
        match state
            .store
            .add_bank_holiday(&viewer.actor, day, &title, Utc::now())
            .await
        {
            Ok(()) => return Ok(viewer.after_save("/admin/bank-holidays", "bank-holiday-added")),
            Err(StoreError::Conflict(m)) => e.add("day", m),
            Err(other) => return Err(other.into()),
        }
    }
    render_invalid(&bank_holidays_page(&state, &viewer, FormView::new(data, e)).await?)
}

#[derive(Template)]
#[template(path = "unit_costs.html")]
struct UnitCostsPage {
    chrome: Chrome,
    costs: alongside_store::UnitCosts,
    form: FormView,
}

async fn unit_costs_page(
    state: &AppState,
    viewer: &Viewer,
    form: Option<FormView>,
) -> Result<UnitCostsPage, AppError> {
    let costs = state.store.unit_costs(&viewer.actor).await?;
    let form = form.unwrap_or_else(|| {
        let mut d = FormData::default();
        for r in &costs.rows {
            d.set(
                r.cost.code(),
                r.pounds().trim_start_matches('£').to_string(),
            );
        }
        FormView::new(d, FieldErrors::new())
    });
    Ok(UnitCostsPage {
        chrome: viewer.chrome("/admin/unit-costs", state.config.demo),
        costs,
        form,
    })
}

/// The hub's unit costs, for the cost figures: the model's defaults until changed here.
pub async fn unit_costs(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Response, AppError> {
    viewer.require(Capability::ManageUsers)?;
    render(&unit_costs_page(&state, &viewer, None).await?)
}

pub async fn set_unit_costs(
    State(state): State<AppState>,
    viewer: Viewer,
    body: Bytes,
) -> Result<Response, AppError> {
    viewer.require(Capability::ManageUsers)?;
    let data = FormData::parse(&body);
    let current = state.store.unit_costs(&viewer.actor).await?;
    let mut e = FieldErrors::new();
    let mut changes = Vec::new();
    for r in &current.rows {
        if let Some(p) = alongside_domain::costs::parse_pounds(
            &mut e,
            r.cost.code(),
            r.cost.label(),
            data.get(r.cost.code()),
        ) {
            if p != r.pence {
                changes.push((r.cost, p));
            }
        }
    }
    if !e.is_empty() {
        return render_invalid(
            &unit_costs_page(&state, &viewer, Some(FormView::new(data, e))).await?,
        );
    }
    for (cost, pence) in changes {
        state
            .store
            .set_unit_cost(&viewer.actor, cost, pence, Utc::now())
            .await?;
    }
    Ok(viewer.after_save("/admin/unit-costs", "settings-saved"))
}
