//! The route table: every route of Alongside, declared once, with who may call it.
//!
//! [`crate::app`] builds the router from [`table`] and nothing else, the OpenAPI document
//! at `/api/v1/openapi.json` is collected from the same rows (through utoipa-axum, from
//! each API handler's `#[utoipa::path]`), and the role × route test walks
//! [`route_table`]: a route cannot be added without saying who may call it, without
//! appearing in the API's description if it is an API call, nor without a row in the test.
//!
//! Each route's [`Access`] is enforced here, as a first gate before the handler runs. It
//! answers as the handler would (the sign-in page, or 401 from the API, when no one is
//! signed in; 403 when the role lacks the capability), so it adds no new answer and
//! loosens nothing. It is not the only check: handlers still ask `role.can(..)` and the
//! store still filters by hub and need to know. This module must never decide which
//! records a person reaches; that is the store's alone.

use crate::api::{self, ApiCaller};
use crate::auth::{self, Viewer};
use crate::error::AppError;
use crate::pages::{
    self, account, admin, alerts, contacts, continuity, episodes, evidence, families, information,
    intelligence, missing, network, parent, placements, plans, referrals, work,
};
use crate::{assets, AppState};
use alongside_domain::roles::{Capability, Role};
use axum::extract::{DefaultBodyLimit, FromRequestParts, Request, State};
use axum::handler::Handler;
use axum::http::{Method, StatusCode};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{on, MethodFilter, MethodRouter};
use axum::Router;
use utoipa::openapi::path::{PathItem, Paths};
use utoipa::openapi::schema::Schema;
use utoipa::openapi::RefOr;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};
use utoipa_axum::routes;

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not: health, assets, signing in and out, joining with an
    /// invitation code, leaving at once ("Exit this page"), the API's description.
    Public,
    /// Any signed-in person. Which record they reach (a referral, an attachment, their
    /// own API token) the store decides, record by record.
    SignedIn,
    /// A signed-in person whose role has this capability.
    Can(Capability),
    /// A signed-in person whose role has at least one of these capabilities.
    AnyOf(&'static [Capability]),
}

/// The support team's family records: the hub's families, or those allocated to them.
pub const FAMILY_RECORDS: Access = Access::AnyOf(&[
    Capability::SeeAllHubFamilies,
    Capability::SeeAllocatedFamilies,
]);

/// Evidence items: the support team of the family, or the hub's police partners.
pub const EVIDENCE: Access = Access::AnyOf(&[
    Capability::SeeAllHubFamilies,
    Capability::SeeAllocatedFamilies,
    Capability::HandleHubEvidence,
]);

/// Intelligence submissions: those who make them and those who receive them.
pub const INTELLIGENCE: Access = Access::AnyOf(&[
    Capability::SubmitIntelligence,
    Capability::ReceiveIntelligence,
]);

impl Access {
    /// The capabilities of which a role needs one; empty when none is needed.
    pub fn capabilities(&self) -> &[Capability] {
        match self {
            Access::Public | Access::SignedIn => &[],
            Access::Can(c) => std::slice::from_ref(c),
            Access::AnyOf(caps) => caps,
        }
    }

    /// Whether a signed-in person of this role passes the gate.
    pub fn allows(&self, role: Role) -> bool {
        match self {
            Access::Public | Access::SignedIn => true,
            _ => self.capabilities().iter().any(|c| role.can(*c)),
        }
    }
}

/// One route as the table declares it, for the role × route test and for documentation.
#[derive(Debug, Clone)]
pub struct RouteInfo {
    pub method: Method,
    /// The path pattern as the router holds it, e.g. `/families/{id}`.
    pub path: String,
    pub access: Access,
}

/// Every route of the application, in the order of [`table`].
pub fn route_table() -> Vec<RouteInfo> {
    table()
        .into_iter()
        .map(|r| RouteInfo {
            method: r.method,
            path: r.path,
            access: r.access,
        })
        .collect()
}

/// How a route is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Face {
    /// Outside sessions and CSRF (health checks, static files): public only.
    Bare,
    /// A page: the session's person, the CSRF guard on forms, errors as pages.
    Page,
    /// The JSON API: a token or the session's person, errors as JSON.
    Api,
}

type Schemas = Vec<(String, RefOr<Schema>)>;

/// One row of the table.
pub(crate) struct Route {
    face: Face,
    method: Method,
    path: String,
    access: Access,
    endpoint: MethodRouter<AppState>,
    /// The OpenAPI description of an API call, from its `#[utoipa::path]`.
    doc: Option<(Schemas, Paths)>,
    /// Accepts forms with files (a larger body limit).
    upload: bool,
}

impl Route {
    /// This route takes forms with files: up to [`crate::UPLOAD_LIMIT`].
    fn uploads(mut self) -> Self {
        self.upload = true;
        self
    }
}

fn filter(method: &Method) -> MethodFilter {
    MethodFilter::try_from(method.clone()).expect("a method axum routes")
}

fn row<H, T>(face: Face, method: Method, path: &str, access: Access, handler: H) -> Route
where
    H: Handler<T, AppState>,
    T: 'static,
{
    Route {
        face,
        endpoint: on(filter(&method), handler),
        method,
        path: path.to_string(),
        access,
        doc: None,
        upload: false,
    }
}

/// A route outside sessions.
fn bare<H, T>(method: Method, path: &str, access: Access, handler: H) -> Route
where
    H: Handler<T, AppState>,
    T: 'static,
{
    row(Face::Bare, method, path, access, handler)
}

/// A page (or a form's target).
fn page<H, T>(method: Method, path: &str, access: Access, handler: H) -> Route
where
    H: Handler<T, AppState>,
    T: 'static,
{
    row(Face::Page, method, path, access, handler)
}

/// An API route the document does not describe (the document itself).
fn api_plain<H, T>(method: Method, path: &str, access: Access, handler: H) -> Route
where
    H: Handler<T, AppState>,
    T: 'static,
{
    row(Face::Api, method, path, access, handler)
}

/// A described API call: its method and path come from the handler's `#[utoipa::path]`,
/// so they are written once, where the document takes them from.
fn api(access: Access, (schemas, paths, endpoint): UtoipaMethodRouter<AppState>) -> Route {
    let mut found = paths
        .paths
        .iter()
        .flat_map(|(path, item)| methods(item).into_iter().map(move |m| (m, path.clone())));
    let (method, path) = found.next().expect("an API handler describes its route");
    assert!(
        found.next().is_none(),
        "one API handler per row of the route table ({path})"
    );
    Route {
        face: Face::Api,
        method,
        path,
        access,
        endpoint,
        doc: Some((schemas, paths)),
        upload: false,
    }
}

fn methods(item: &PathItem) -> Vec<Method> {
    [
        (Method::GET, item.get.is_some()),
        (Method::PUT, item.put.is_some()),
        (Method::POST, item.post.is_some()),
        (Method::DELETE, item.delete.is_some()),
        (Method::OPTIONS, item.options.is_some()),
        (Method::HEAD, item.head.is_some()),
        (Method::PATCH, item.patch.is_some()),
        (Method::TRACE, item.trace.is_some()),
    ]
    .into_iter()
    .filter_map(|(m, present)| present.then_some(m))
    .collect()
}

const GET: Method = Method::GET;
const POST: Method = Method::POST;

/// The table. Grouped by area; within a path, reading before writing. One row a line,
/// so that it reads as a table (hence no rustfmt).
#[rustfmt::skip]
pub(crate) fn table() -> Vec<Route> {
    use Access::{Can, Public, SignedIn};
    use Capability::*;
    vec![
        // ---- outside sessions ----
        bare(GET, "/healthz", Public, crate::health),
        bare(GET, "/assets/{file}", Public, assets::serve),
        bare(GET, "/favicon.ico", Public, assets::favicon),
        // ---- signing in and out; the start page ----
        page(GET, "/", SignedIn, pages::home),
        page(GET, "/login", Public, auth::login_page),
        page(POST, "/login", Public, auth::login),
        page(POST, "/logout", Public, auth::logout),
        page(POST, "/hub", SignedIn, auth::switch_hub),
        // ---- referrals and triage ----
        page(GET, "/referrals", Can(TriageReferrals), referrals::list),
        page(POST, "/referrals", Can(CreateReferral), referrals::create),
        page(GET, "/referrals/new", Can(CreateReferral), referrals::new_form),
        page(POST, "/referrals/settings", Can(TriageReferrals), referrals::settings),
        page(GET, "/referrals/{id}", SignedIn, referrals::show),
        page(GET, "/referrals/{id}/triage", Can(TriageReferrals), referrals::triage_form),
        page(POST, "/referrals/{id}/triage", Can(TriageReferrals), referrals::triage),
        // ---- families ----
        page(GET, "/families", FAMILY_RECORDS, families::list),
        page(GET, "/families/{id}", FAMILY_RECORDS, families::show),
        page(GET, "/families/{id}/members/new", FAMILY_RECORDS, families::member_form),
        page(POST, "/families/{id}/members/new", FAMILY_RECORDS, families::add_member),
        page(GET, "/families/{id}/members/{member}", FAMILY_RECORDS, families::member_edit_form),
        page(POST, "/families/{id}/members/{member}", FAMILY_RECORDS, families::update_member),
        page(GET, "/families/{id}/details", FAMILY_RECORDS, families::details_form),
        page(POST, "/families/{id}/details", FAMILY_RECORDS, families::save_details),
        page(GET, "/families/{id}/strengths", FAMILY_RECORDS, families::strengths_form),
        page(POST, "/families/{id}/strengths", FAMILY_RECORDS, families::save_strengths),
        page(GET, "/families/{id}/contacts/new", FAMILY_RECORDS, families::contact_form),
        page(POST, "/families/{id}/contacts/new", FAMILY_RECORDS, families::add_contact),
        page(GET, "/families/{id}/contacts/{contact}", FAMILY_RECORDS, contacts::contact_close_form),
        page(POST, "/families/{id}/contacts/{contact}", FAMILY_RECORDS, contacts::close_contact),
        page(GET, "/families/{id}/plans/new", FAMILY_RECORDS, plans::new_form),
        page(POST, "/families/{id}/plans/new", FAMILY_RECORDS, plans::create),
        page(GET, "/plans/{id}", FAMILY_RECORDS, plans::show),
        page(GET, "/plans/{id}/versions/{n}", FAMILY_RECORDS, plans::version),
        page(GET, "/plans/{id}/revise", FAMILY_RECORDS, plans::revise_form),
        page(POST, "/plans/{id}/revise", FAMILY_RECORDS, plans::revise),
        page(POST, "/plans/{id}/responses", FAMILY_RECORDS, plans::respond),
        page(GET, "/children/{id}/profile", FAMILY_RECORDS, missing::show),
        page(GET, "/children/{id}/profile/edit", FAMILY_RECORDS, missing::edit_form),
        page(POST, "/children/{id}/profile/edit", FAMILY_RECORDS, missing::save),
        page(POST, "/children/{id}/profile/photo", FAMILY_RECORDS, missing::add_photo).uploads(),
        page(GET, "/children/{id}/profile/photo", FAMILY_RECORDS, missing::photo),
        page(GET, "/children/{id}/profile/print", FAMILY_RECORDS, missing::print),
        page(GET, "/children/{id}/profile.pdf", FAMILY_RECORDS, missing::pdf),
        page(POST, "/children/{id}/profile/share", FAMILY_RECORDS, missing::share),
        page(POST, "/children/{id}/profile/share/withdraw", FAMILY_RECORDS, missing::withdraw_share),
        page(GET, "/police/profiles", Can(ReadSharedProfiles), missing::police_list),
        page(GET, "/police/children/{id}/profile", Can(ReadSharedProfiles), missing::show),
        page(GET, "/police/children/{id}/profile/photo", Can(ReadSharedProfiles), missing::photo),
        page(GET, "/police/children/{id}/profile/print", Can(ReadSharedProfiles), missing::print),
        page(GET, "/police/children/{id}/profile.pdf", Can(ReadSharedProfiles), missing::pdf),
        page(GET, "/families/{id}/workers", FAMILY_RECORDS, continuity::workers),
        page(POST, "/families/{id}/workers", Can(CloseCases), continuity::reallocate),
        page(GET, "/families/{id}/handover", FAMILY_RECORDS, continuity::handover),
        page(GET, "/families/{id}/closure", FAMILY_RECORDS, continuity::closure),
        page(POST, "/families/{id}/closure", Can(CloseCases), continuity::close),
        page(POST, "/families/{id}/reopen", Can(CloseCases), continuity::reopen),
        page(GET, "/children/{id}/placements", FAMILY_RECORDS, placements::show),
        page(POST, "/children/{id}/placements", FAMILY_RECORDS, placements::add),
        page(POST, "/children/{id}/transition-reviews", FAMILY_RECORDS, placements::transition_review),
        page(GET, "/children/{id}/episodes/new", FAMILY_RECORDS, episodes::new_form),
        page(POST, "/children/{id}/episodes/new", FAMILY_RECORDS, episodes::create),
        page(GET, "/episodes/{id}", FAMILY_RECORDS, episodes::show),
        page(POST, "/episodes/{id}", FAMILY_RECORDS, episodes::save),
        page(POST, "/episodes/{id}/interview", FAMILY_RECORDS, episodes::interview),
        page(GET, "/families/{id}/chronology", FAMILY_RECORDS, families::chronology),
        page(GET, "/families/{id}/chronology.csv", FAMILY_RECORDS, families::chronology_csv),
        // ---- work, oversight, administration, the person's own account ----
        page(GET, "/caseload", Can(HoldCaseload), work::caseload),
        page(GET, "/capacity", Can(ViewCapacity), work::capacity),
        page(POST, "/capacity/settings", Can(ViewCapacity), work::capacity_settings),
        page(GET, "/capacity/{id}", Can(ViewCapacity), work::worker),
        page(GET, "/audit", Can(ViewAuditLog), admin::audit),
        page(GET, "/admin/users", Can(ManageUsers), admin::users),
        page(GET, "/admin/bank-holidays", Can(ManageUsers), admin::bank_holidays),
        page(POST, "/admin/bank-holidays", Can(ManageUsers), admin::add_bank_holiday),
        page(GET, "/admin/unit-costs", Can(ManageUsers), admin::unit_costs),
        page(POST, "/admin/unit-costs", Can(ManageUsers), admin::set_unit_costs),
        page(POST, "/admin/users", Can(ManageUsers), admin::create_user),
        page(POST, "/accounts/{id}/approve", Can(ApproveAccounts), admin::approve),
        page(GET, "/account", Can(UseApiTokens), account::account),
        page(POST, "/account/tokens", Can(UseApiTokens), account::create_token),
        page(POST, "/account/tokens/{id}/revoke", Can(UseApiTokens), account::revoke_token),
        page(POST, "/account/password", SignedIn, account::change_password),
        page(POST, "/account/sessions/{id}/end", SignedIn, account::end_session),
        page(POST, "/account/sessions/end-others", SignedIn, account::end_other_sessions),
        page(GET, "/my/account", Can(UseParentPortal), account::account),
        page(GET, "/admin/users/{id}", Can(ManageUsers), account::user),
        page(POST, "/admin/users/{id}/disable", Can(ManageUsers), account::disable_user),
        page(POST, "/admin/users/{id}/enable", Can(ManageUsers), account::enable_user),
        page(POST, "/admin/users/{id}/role", Can(ManageUsers), account::change_role),
        page(POST, "/admin/users/{id}/reset-code", Can(ManageUsers), account::make_reset_code),
        page(GET, "/reset", Public, account::reset_form),
        page(POST, "/reset", Public, account::reset),
        // ---- the information log ----
        page(GET, "/families/{id}/information", FAMILY_RECORDS, information::family_log),
        page(GET, "/families/{id}/information/new", FAMILY_RECORDS, information::new_form),
        page(POST, "/families/{id}/information/new", FAMILY_RECORDS, information::create).uploads(),
        page(GET, "/information/{id}", FAMILY_RECORDS, information::show),
        page(GET, "/information/{id}/check", FAMILY_RECORDS, information::check_form),
        page(POST, "/information/{id}/check", FAMILY_RECORDS, information::check),
        page(POST, "/information/{id}/review", Can(ReviewInformation), information::review),
        page(GET, "/review", Can(ReviewInformation), information::queue),
        page(GET, "/attachments/{id}", SignedIn, information::attachment),
        // ---- the parent portal: invitations (the worker's side), joining, the parent's pages ----
        page(GET, "/families/{id}/invitations", Can(InviteParents), parent::invitations),
        page(POST, "/families/{id}/invitations", Can(InviteParents), parent::invite),
        page(POST, "/families/{id}/invitations/{inv}/withdraw", Can(InviteParents), parent::withdraw),
        page(GET, "/join", Public, parent::join_form),
        page(POST, "/join", Public, parent::join),
        page(GET, "/exit", Public, parent::exit),
        page(GET, "/my", Can(UseParentPortal), parent::home),
        page(GET, "/my/children/{id}/profile", Can(UseParentPortal), missing::show),
        page(GET, "/my/children/{id}/profile/edit", Can(UseParentPortal), missing::edit_form),
        page(POST, "/my/children/{id}/profile/edit", Can(UseParentPortal), missing::save),
        page(POST, "/my/children/{id}/profile/photo", Can(UseParentPortal), missing::add_photo).uploads(),
        page(GET, "/my/children/{id}/profile/photo", Can(UseParentPortal), missing::photo),
        page(GET, "/my/children/{id}/profile/print", Can(UseParentPortal), missing::print),
        page(GET, "/my/children/{id}/profile.pdf", Can(UseParentPortal), missing::pdf),
        page(POST, "/my/children/{id}/profile/share", Can(UseParentPortal), missing::share),
        page(POST, "/my/children/{id}/profile/share/withdraw", Can(UseParentPortal), missing::withdraw_share),
        page(GET, "/my/children/{id}/placements", Can(UseParentPortal), placements::show),
        page(GET, "/my/missing-now", Can(UseParentPortal), episodes::missing_now_form),
        page(POST, "/my/missing-now", Can(UseParentPortal), episodes::missing_now),
        page(GET, "/my/episodes/{id}/now", Can(UseParentPortal), episodes::missing_now_next),
        page(GET, "/my/episodes/{id}", Can(UseParentPortal), episodes::show),
        page(POST, "/my/episodes/{id}", Can(UseParentPortal), episodes::save),
        page(GET, "/my/plans/{id}", Can(UseParentPortal), plans::show),
        page(GET, "/my/plans/{id}/versions/{n}", Can(UseParentPortal), plans::version),
        page(POST, "/my/plans/{id}/responses", Can(UseParentPortal), plans::respond),
        page(GET, "/my/notes/new", Can(UseParentPortal), parent::note_form),
        page(POST, "/my/notes/new", Can(UseParentPortal), parent::note_create).uploads(),
        page(GET, "/my/notes/{id}", Can(UseParentPortal), parent::note),
        page(GET, "/my/notes/{id}/check", Can(UseParentPortal), parent::note_check_form),
        page(POST, "/my/notes/{id}/check", Can(UseParentPortal), parent::note_check),
        page(GET, "/my/incidents/new", Can(UseParentPortal), parent::incident_form),
        page(POST, "/my/incidents/new", Can(UseParentPortal), parent::incident_create),
        // ---- intelligence submissions to the police ----
        page(GET, "/families/{id}/intelligence", Can(SubmitIntelligence), intelligence::family_intelligence),
        page(GET, "/families/{id}/intelligence/new", Can(SubmitIntelligence), intelligence::new_form),
        page(POST, "/families/{id}/intelligence/new", Can(SubmitIntelligence), intelligence::create),
        page(GET, "/intelligence", INTELLIGENCE, intelligence::list),
        page(GET, "/intelligence/{id}", INTELLIGENCE, intelligence::show),
        page(POST, "/intelligence/{id}/acknowledge", Can(ReceiveIntelligence), intelligence::acknowledge),
        page(POST, "/intelligence/{id}/outcome", Can(ReceiveIntelligence), intelligence::record_outcome),
        page(GET, "/intelligence/{id}/photos/{n}", INTELLIGENCE, intelligence::photo),
        page(GET, "/intelligence/{id}/print", INTELLIGENCE, intelligence::print),
        page(GET, "/intelligence/{id}/export.json", INTELLIGENCE, intelligence::export_json),
        // ---- evidence and its chain of custody; threats and incidents ----
        page(GET, "/families/{id}/evidence", FAMILY_RECORDS, evidence::family_evidence),
        page(GET, "/families/{id}/evidence/new", FAMILY_RECORDS, evidence::evidence_form),
        page(POST, "/families/{id}/evidence/new", FAMILY_RECORDS, evidence::add_evidence),
        page(GET, "/evidence", Can(HandleHubEvidence), evidence::hub_evidence),
        page(GET, "/evidence/{id}", EVIDENCE, evidence::item),
        page(POST, "/evidence/{id}/handovers", EVIDENCE, evidence::add_handover),
        page(POST, "/evidence/{id}/corrections", EVIDENCE, evidence::add_correction),
        page(GET, "/families/{id}/incidents", FAMILY_RECORDS, evidence::incidents),
        page(GET, "/families/{id}/incidents/new", FAMILY_RECORDS, evidence::incident_form),
        page(POST, "/families/{id}/incidents/new", FAMILY_RECORDS, evidence::add_incident),
        page(GET, "/incidents/{id}", FAMILY_RECORDS, evidence::incident),
        page(POST, "/incidents/{id}/review", Can(ReviewInformation), evidence::review_incident),
        page(GET, "/reports/incidents", Can(ViewCapacity), evidence::incident_report),
        // ---- alerts and the network picture ----
        page(GET, "/alerts", Can(ReceiveAlerts), alerts::list),
        page(GET, "/network", Can(ViewNetwork), network::hub_page),
        page(GET, "/network/graph.json", Can(ViewNetwork), network::hub_json),
        page(GET, "/network/export/{file}", Can(ViewNetwork), network::export),
        page(GET, "/families/{id}/network", FAMILY_RECORDS, network::family_page),
        page(GET, "/families/{id}/network/graph.json", FAMILY_RECORDS, network::family_json),
        page(POST, "/network/merges", Can(ViewNetwork), network::merge),
        page(POST, "/network/merges/{id}/unmerge", Can(ViewNetwork), network::unmerge),
        // ---- the JSON API ----
        api_plain(GET, "/api/v1/openapi.json", Public, api::openapi),
        api(SignedIn, routes!(api::me)),
        api(FAMILY_RECORDS, routes!(api::list_families)),
        api(FAMILY_RECORDS, routes!(api::get_family)),
        api(FAMILY_RECORDS, routes!(api::list_contacts)),
        api(FAMILY_RECORDS, routes!(api::create_contact)),
        api(FAMILY_RECORDS, routes!(api::get_chronology)),
        api(FAMILY_RECORDS, routes!(api::create_member)),
        api(FAMILY_RECORDS, routes!(api::put_strengths)),
        api(Can(TriageReferrals), routes!(api::list_referrals)),
        api(Can(CreateReferral), routes!(api::create_referral)),
        api(SignedIn, routes!(api::get_referral)),
        api(Can(TriageReferrals), routes!(api::triage_referral)),
        api(INTELLIGENCE, routes!(api::list_submissions)),
        api(INTELLIGENCE, routes!(api::get_submission)),
        api(INTELLIGENCE, routes!(api::get_submission_photo)),
        api(Can(ReceiveIntelligence), routes!(api::acknowledge_submission)),
        api(Can(ReceiveIntelligence), routes!(api::submission_outcome)),
        api(Can(SubmitIntelligence), routes!(api::create_submission)),
        api(FAMILY_RECORDS, routes!(api::list_family_evidence)),
        api(FAMILY_RECORDS, routes!(api::list_plans)),
        api(FAMILY_RECORDS, routes!(api::create_plan)),
        api(FAMILY_RECORDS, routes!(api::get_plan)),
        api(FAMILY_RECORDS, routes!(api::get_profile)),
        api(FAMILY_RECORDS, routes!(api::list_episodes)),
        api(FAMILY_RECORDS, routes!(api::get_episode)),
        api(FAMILY_RECORDS, routes!(api::get_placements)),
        api(FAMILY_RECORDS, routes!(api::get_continuity)),
        api(FAMILY_RECORDS, routes!(api::revise_plan)),
        api(FAMILY_RECORDS, routes!(api::respond_to_plan)),
        api(EVIDENCE, routes!(api::get_evidence)),
        api(EVIDENCE, routes!(api::create_handover)),
        api(FAMILY_RECORDS, routes!(api::list_incidents)),
        api(FAMILY_RECORDS, routes!(api::create_incident)),
        api(FAMILY_RECORDS, routes!(api::list_entries)),
        api(FAMILY_RECORDS, routes!(api::create_entry)),
        api(FAMILY_RECORDS, routes!(api::get_entry)),
    ]
}

/// The routes, built from the table: those outside sessions, those inside them (to
/// which the caller adds the session and CSRF layers), and the API's description.
pub(crate) struct Built {
    pub bare: Router<AppState>,
    pub with_session: Router<AppState>,
    pub openapi: utoipa::openapi::OpenApi,
}

pub(crate) fn build(state: &AppState) -> Built {
    let mut bare: Router<AppState> = Router::new();
    let mut with_session = OpenApiRouter::with_openapi(api::document_base());
    for r in table() {
        let mut endpoint = r.endpoint;
        if r.upload {
            endpoint = endpoint.route_layer(DefaultBodyLimit::max(crate::UPLOAD_LIMIT));
        }
        if r.access != Access::Public {
            assert!(
                r.face != Face::Bare,
                "{} {}: a route outside sessions cannot know who is asking",
                r.method,
                r.path
            );
            // `route_layer`: the gate guards the method declared, not the 405 answer
            // to other methods.
            endpoint = endpoint.route_layer(from_fn_with_state(
                Gate {
                    state: state.clone(),
                    access: r.access,
                    face: r.face,
                    route: format!("{} {}", r.method, r.path).into(),
                },
                gate,
            ));
        }
        match (r.face, r.doc) {
            (Face::Bare, _) => bare = bare.route(&r.path, endpoint),
            (_, Some((schemas, paths))) => {
                with_session = with_session.routes((schemas, paths, endpoint))
            }
            (_, None) => with_session = with_session.route(&r.path, endpoint),
        }
    }
    let (with_session, mut openapi) = with_session.split_for_parts();
    api::complete_document(&mut openapi);
    Built {
        bare,
        with_session,
        openapi,
    }
}

#[derive(Clone)]
struct Gate {
    state: AppState,
    access: Access,
    face: Face,
    /// The route's method and pattern, as refused probes are recorded.
    route: std::sync::Arc<str>,
}

/// The first gate: someone must be signed in, with the capability the route declares.
/// It resolves the person exactly as the handler's extractor will (the session for
/// pages; a token, else the session with its CSRF header, for the API), so when it
/// refuses it gives the answer the handler would have given.
async fn gate(State(g): State<Gate>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let path = parts.uri.path().to_string();
    let (actor, refused) = match g.face {
        Face::Api => match ApiCaller::from_request_parts(&mut parts, &g.state).await {
            Err(e) => return e.into_response(),
            Ok(caller) if !g.access.allows(caller.actor.role()) => (
                caller.actor,
                Some(api::ApiError::Forbidden(api::refusal(&g.access)).into_response()),
            ),
            Ok(caller) => {
                let actor = caller.actor.clone();
                api::pass_checked(&mut parts, caller);
                (actor, None)
            }
        },
        Face::Page | Face::Bare => match Viewer::from_request_parts(&mut parts, &g.state).await {
            Err(e) => return e.into_response(),
            Ok(viewer) if !g.access.allows(viewer.actor.role()) => {
                (viewer.actor, Some(AppError::Forbidden.into_response()))
            }
            Ok(viewer) => (viewer.actor, None),
        },
    };
    let response = match refused {
        Some(r) => r,
        None => next.run(Request::from_parts(parts, body)).await,
    };
    // A refused probe of a record (403, or 404 for a record not theirs or not there) is
    // recorded with the address and the record asked for (issue 10, L8): trying ids is
    // how records are hunted. Only the route's pattern and the ids in the path are kept.
    let status = response.status();
    if status == StatusCode::FORBIDDEN || (status == StatusCode::NOT_FOUND && g.route.contains('{'))
    {
        let ids: Vec<&str> = path
            .split('/')
            .filter(|s| {
                (!s.is_empty() && s.len() <= 19 && s.chars().all(|c| c.is_ascii_digit()))
                    || (s.len() == 64 && s.chars().all(|c| c.is_ascii_hexdigit()))
            })
            .collect();
        let event = alongside_store::AuditEvent::new(
            alongside_domain::audit::AuditAction::Refuse,
            alongside_domain::audit::AuditRecord::Page,
            ids.first().and_then(|i| i.parse::<i64>().ok()),
            None,
        )
        .change(
            g.route.to_string(),
            format!("{} {}", status.as_u16(), ids.join(",")),
        );
        if let Err(e) = g.state.store.record_audit(&actor, &event).await {
            tracing::error!(error = %e, "could not record a refused request");
        }
    }
    response
}
