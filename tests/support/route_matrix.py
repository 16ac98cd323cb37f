"""The authorization matrix: every route × every actor → allowed or refused, as data.

tests/web/test_route_matrix.py requests each case as each actor against the world of
tests/support/route_seed.py and fails for a route of `app.url_map` with no entry here.

To add a route: one line in MATRIX, keyed "METHOD /rule" exactly as Flask spells the rule,
with one or more `at(path, allowed)` cases. `path` is a real URL; `{name}` is filled from
the ids tests/support/route_seed.py puts in `Seeded.ids`; a write that uses its target
up (removing a member) gets one target per allowed actor from the seed, so each of them
meets it. `allowed` is a set of actors (or a shorthand below):
- allowed  → the response is neither 401/403/404, nor a 5xx, nor a sign-in redirect
             (a 4xx for the empty form we send, or a 409, still passes authorization);
- refused  → 403 or 404 when signed in; for anonymous also 401 or a redirect to sign-in.
Writes carry a valid CSRF token (and are tried once without: 400 unless `csrf_exempt`);
`form=`/`json=` add a body. A state-changing case is tried
by refused actors first, so the first allowed actor meets the seeded state. The walker
also checks that no page the (blind) reviewing assessor gets names the owner.

Actors: two districts, "home" (the owner's) and "far".
"""

from __future__ import annotations

from dataclasses import dataclass, field

ACTORS = (
    "anonymous",
    "owner",  # teacher, home district: owns every seeded submission, notice, device …
    "teacher",  # another teacher of the home district
    "earner",  # home teacher who EARNED the credential, without the assessor role
    "assessor",  # home assessor appointed for the credential's stack
    "far_assessor",  # appointed too, but in the far district
    "coach",  # coaches the owner's cohort (home)
    "far_coach",  # a coach in the far district
    "admin",  # home admin
    "far_admin",  # far-district admin
)
EVERYONE = frozenset(ACTORS)
SIGNED_IN = EVERYONE - {"anonymous"}
NOBODY: frozenset[str] = frozenset()
OWNER = frozenset({"owner"})
INSIDERS = frozenset({"owner", "coach", "admin"})  # the owner, their coach, home admin
READERS = INSIDERS | {"assessor"}  # + a qualified home reviewer, while it waits
REVIEWERS = frozenset({"assessor", "admin"})
ASSESSOR_PAGES = frozenset({"assessor", "far_assessor", "admin", "far_admin"})
COACH_PAGES = frozenset({"coach", "far_coach", "admin", "far_admin"})
COHORT_RUNNERS = frozenset({"coach", "admin"})  # the cohort's coach, its district's admin
ADMINS = frozenset({"admin", "far_admin"})  # any district's admin, on their own district
HOME_ADMIN = frozenset({"admin"})  # the admin of the district that owns the thing


@dataclass(frozen=True)
class Case:
    path: str
    allowed: frozenset[str]
    form: dict = field(default_factory=dict)
    json: dict | None = None
    # The path holds the owner's own secret (a one-time device link): only they can know
    # it, so the page may greet them by name; the blind-review name check skips it.
    owner_secret: bool = False
    # Accepted without a CSRF token: say why beside the entry (the walker checks that every
    # other write made by someone allowed is refused with 400 when the token is missing).
    csrf_exempt: bool = False


def at(path: str, allowed: frozenset[str], **body) -> Case:
    return Case(path, frozenset(allowed), **body)


MATRIX: dict[str, tuple[Case, ...]] = {
    # --- public: catalog, PWA shell, static --------------------------------------------
    "GET /": (at("/", EVERYONE),),
    "GET /home": (at("/home", SIGNED_IN),),
    "GET /stacks": (at("/stacks", EVERYONE),),
    "GET /stacks/<slug>": (at("/stacks/{stack_slug}", EVERYONE),),
    "GET /credentials/<slug>": (
        at("/credentials/{credential_slug}", EVERYONE),
        at("/credentials/{draft_slug}", NOBODY),  # a draft is for its district's admins only
    ),
    "GET /manifest.webmanifest": (at("/manifest.webmanifest", EVERYONE),),
    "GET /sw.js": (at("/sw.js", EVERYONE),),
    "GET /sw-push.js": (at("/sw-push.js", EVERYONE),),
    "GET /offline": (at("/offline", EVERYONE),),
    "GET /static/<path:filename>": (at("/static/css/app.css", EVERYONE),),
    # --- operations: probes for a load balancer (public, no secrets in them) ----------
    "GET /healthz": (at("/healthz", EVERYONE),),
    "GET /readyz": (at("/readyz", EVERYONE),),
    # --- auth: ceremonies are public; the account is one's own --------------------------
    "GET /auth/sign-in": (at("/auth/sign-in", EVERYONE),),
    "GET /auth/sign-up": (at("/auth/sign-up", EVERYONE),),
    "POST /auth/sign-up": (at("/auth/sign-up", EVERYONE),),
    "POST /auth/sign-out": (at("/auth/sign-out", EVERYONE),),
    "POST /auth/login/options": (at("/auth/login/options", EVERYONE),),
    "POST /auth/login/verify": (at("/auth/login/verify", EVERYONE),),
    "POST /auth/register/options": (at("/auth/register/options", EVERYONE),),
    "POST /auth/register/verify": (at("/auth/register/verify", EVERYONE),),
    "POST /auth/recovery": (at("/auth/recovery", EVERYONE),),
    "POST /auth/demo/<role>": (at("/auth/demo/teacher", NOBODY),),  # demo mode is off
    "GET /auth/link/<token>": (at("/auth/link/{link_token}", EVERYONE, owner_secret=True),),
    "POST /auth/link/<token>/options": (at("/auth/link/{link_token}/options", EVERYONE),),
    "POST /auth/link/<token>/verify": (at("/auth/link/{link_token}/verify", EVERYONE),),
    "GET /auth/account": (at("/auth/account", SIGNED_IN),),
    "POST /auth/account/profile": (at("/auth/account/profile", SIGNED_IN),),
    "POST /auth/account/time-zone": (
        at("/auth/account/time-zone", SIGNED_IN, form={"timezone": "America/Chicago"}),
    ),
    "POST /auth/account/devices/<key>/sign-out": (
        at("/auth/account/devices/{spare_session}/sign-out", OWNER),
    ),
    "POST /auth/account/devices/sign-out-everywhere": (
        at("/auth/account/devices/sign-out-everywhere", SIGNED_IN),
    ),
    "GET /auth/account/device-link": (at("/auth/account/device-link", SIGNED_IN),),
    "POST /auth/account/device-link": (at("/auth/account/device-link", SIGNED_IN),),
    "POST /auth/account/recovery-codes": (at("/auth/account/recovery-codes", SIGNED_IN),),
    "GET /auth/recovery-codes": (at("/auth/recovery-codes", SIGNED_IN),),
    "POST /auth/passkeys/options": (at("/auth/passkeys/options", SIGNED_IN),),
    "POST /auth/passkeys/verify": (at("/auth/passkeys/verify", SIGNED_IN),),
    "GET /auth/passkeys/<int:passkey_id>": (at("/auth/passkeys/{passkey}", OWNER),),
    "GET /auth/passkeys/<int:passkey_id>/rename": (at("/auth/passkeys/{passkey}/rename", OWNER),),
    "POST /auth/passkeys/<int:passkey_id>/rename": (
        at("/auth/passkeys/{passkey}/rename", OWNER, form={"nickname": "Phone"}),
    ),
    "GET /auth/passkeys/<int:passkey_id>/remove": (at("/auth/passkeys/{passkey}/remove", OWNER),),
    "POST /auth/passkeys/<int:passkey_id>/remove": (at("/auth/passkeys/{passkey}/remove", OWNER),),
    # --- submissions and evidence: the owner's; readers while it waits -----------------
    "POST /credentials/<slug>/start": (at("/credentials/{credential_slug}/start", SIGNED_IN),),
    "GET /me/credentials": (at("/me/credentials", SIGNED_IN),),
    "GET /submissions/<int:id>": (
        at("/submissions/{submitted}", READERS),
        at("/submissions/{draft}", INSIDERS),
    ),
    "POST /submissions/<int:id>/submit": (at("/submissions/{draft}/submit", OWNER),),
    "POST /submissions/<int:id>/retry": (at("/submissions/{not_yet}/retry", OWNER),),
    # A second opinion after "not yet" (sent empty: 422 "say why", nothing filed).
    "POST /submissions/<int:id>/appeal": (at("/submissions/{not_yet}/appeal", OWNER),),
    "POST /submissions/<int:id>/evidence": (at("/submissions/{draft}/evidence", OWNER),),
    # One part as the fragment that replaces itself (a plain request is sent to the page).
    "GET /submissions/<int:id>/parts/<int:req_id>": (
        at("/submissions/{submitted}/parts/{text_req}", READERS),
        at("/submissions/{draft}/parts/{text_req}", INSIDERS),
    ),
    "POST /submissions/<int:id>/evidence/<int:item_id>/delete": (
        at("/submissions/{draft}/evidence/{doomed_item}/delete", OWNER),
    ),
    "POST /submissions/<int:id>/requirements/<int:req_id>/text": (
        at(
            "/submissions/{draft}/requirements/{text_req}/text",
            OWNER,
            form={"text": "We sorted fractions."},
        ),
    ),
    "GET /submissions/<int:id>/evidence/erase": (
        at("/submissions/{to_erase}/evidence/erase", OWNER),
    ),
    "POST /submissions/<int:id>/evidence/erase": (
        at("/submissions/{to_erase}/evidence/erase", OWNER),
    ),
    # Without the typed confirmation nothing is erased (422): everyone reaches only their own.
    "GET /me/evidence/erase": (at("/me/evidence/erase", SIGNED_IN),),
    "POST /me/evidence/erase": (at("/me/evidence/erase", SIGNED_IN),),
    "POST /submissions/<int:id>/uploads": (at("/submissions/{draft}/uploads", OWNER),),
    "GET /uploads/<token>": (at("/uploads/{upload_token}", OWNER),),
    "PATCH /uploads/<token>": (at("/uploads/{upload_token}", OWNER),),
    "POST /uploads/<token>/finish": (at("/uploads/{upload_token}/finish", OWNER),),
    "GET /evidence/<int:item_id>": (
        at("/evidence/{sub_photo}", READERS),
        at("/evidence/{draft_photo}", INSIDERS),
    ),
    "GET /evidence/<int:item_id>/file": (
        at("/evidence/{sub_photo}/file", READERS),
        at("/evidence/{draft_photo}/file", INSIDERS),
    ),
    "GET /evidence/<int:item_id>/thumb": (
        at("/evidence/{sub_photo}/thumb", READERS),
        at("/evidence/{draft_photo}/thumb", INSIDERS),
    ),
    # --- capture (PWA) -----------------------------------------------------------------
    "GET /capture": (at("/capture", SIGNED_IN),),
    "GET /capture/token": (at("/capture/token", SIGNED_IN),),
    "GET /capture/drafts.json": (at("/capture/drafts.json", SIGNED_IN),),
    "GET /submissions/<int:id>/capture.json": (at("/submissions/{draft}/capture.json", OWNER),),
    # --- review: qualified assessors (role + earned/appointed) of the owner's district -
    "GET /review": (at("/review", ASSESSOR_PAGES),),
    "GET /review/history": (at("/review/history", ASSESSOR_PAGES),),
    "GET /review/<int:submission_id>": (at("/review/{submitted}", REVIEWERS),),
    "POST /review/<int:submission_id>/claim": (at("/review/{to_claim}/claim", REVIEWERS),),
    "POST /review/<int:submission_id>/decide": (at("/review/{to_decide}/decide", REVIEWERS),),
    "POST /review/<int:submission_id>/criteria/<int:criterion_id>/phrases": (
        at(
            "/review/{submitted}/criteria/{criterion}/phrases",
            REVIEWERS,
            form={"text": "Names the learning goal"},
        ),
    ),
    # Calibration: a home reviewer of the anchored credential; the far district has no
    # anchors (404). Scoring with no open try is a 409.
    "GET /review/calibrate/<int:credential_id>": (at("/review/calibrate/{calibrated}", REVIEWERS),),
    "POST /review/calibrate/<int:credential_id>/start": (
        at("/review/calibrate/{calibrated}/start", REVIEWERS),
    ),
    "POST /review/calibrate/<int:credential_id>/score": (
        at("/review/calibrate/{calibrated}/score", REVIEWERS),
    ),
    "POST /review/<int:submission_id>/phrases/<int:phrase_id>/delete": (
        at("/review/{submitted}/phrases/{phrase}/delete", REVIEWERS),
    ),
    # A scoring draft is the claim's own: the home assessor holds {drafting}; an admin who
    # may review it is still refused (403), another district gets 404.
    "GET /review/<int:submission_id>/draft": (at("/review/{drafting}/draft", {"assessor"}),),
    "POST /review/<int:submission_id>/draft": (
        at("/review/{drafting}/draft", {"assessor"}, json={"feedback": "So far"}),
    ),
    # --- badges: public documents by unguessable link; the earner and their admin act -
    "GET /badges/<uuid>": (at("/badges/{award}", EVERYONE),),
    "GET /badges/<uuid>/badge.png": (at("/badges/{award}/badge.png", EVERYONE),),
    "GET /badges/<uuid>/baked.<fmt>": (
        at("/badges/{award}/baked.png", EVERYONE),
        at("/badges/{award}/baked.svg?spec=2", EVERYONE),
    ),
    "GET /badges/<uuid>/ob2": (at("/badges/{award}/ob2", EVERYONE),),
    "GET /badges/<uuid>/ob3.json": (at("/badges/{award}/ob3.json", EVERYONE),),
    "POST /badges/<uuid>/visibility": (at("/badges/{award}/visibility", {"earner"}),),
    "GET /badges/<uuid>/revoke": (at("/badges/{award}/revoke", {"admin"}),),
    "POST /badges/<uuid>/revoke": (at("/badges/{award}/revoke", {"admin"}),),
    "GET /badges/achievements/<slug>/v<int:version>/image.<fmt>": (
        at("/badges/achievements/{credential_slug}/v1/image.svg", EVERYONE),
    ),
    "GET /badges/issuers/<slug>": (at("/badges/issuers/{issuer}", EVERYONE),),
    "GET /badges/issuers/<slug>/ob2": (at("/badges/issuers/{issuer}/ob2", EVERYONE),),
    "GET /badges/issuers/<slug>/status/revocation": (
        at("/badges/issuers/{issuer}/status/revocation", EVERYONE),
    ),
    "GET /badges/issuers/<slug>/badges/<credential_slug>/v<int:version>": (
        at("/badges/issuers/{issuer}/badges/{credential_slug}/v1", EVERYONE),
    ),
    "GET /badges/issuers/<slug>/status/stack-revocation": (
        at("/badges/issuers/{issuer}/status/stack-revocation", EVERYONE),
    ),
    # the earner's public profile (random slug), and an unknown one: the same empty page
    "GET /badges/people/<slug>": (
        at("/badges/people/{profile}", EVERYONE),
        at("/badges/people/nobody-here", EVERYONE),
    ),
    # the earner's stack credential (the seeded stack has one credential): link-only
    "GET /badges/stack/<uuid>": (at("/badges/stack/{stack_award}", EVERYONE),),
    "GET /badges/stack/<uuid>/ob3.json": (at("/badges/stack/{stack_award}/ob3.json", EVERYONE),),
    "POST /badges/stack/<uuid>/visibility": (
        at("/badges/stack/{stack_award}/visibility", {"earner"}),
    ),
    "GET /badges/stack/<uuid>/baked.<fmt>": (
        at("/badges/stack/{stack_award}/baked.png", EVERYONE),
        at("/badges/stack/{stack_award}/baked.svg", EVERYONE),
    ),
    "GET /badges/stack-achievements/<slug>/image.<fmt>": (
        at("/badges/stack-achievements/{stack_slug}/image.svg", EVERYONE),
    ),
    # --- transcript: one's own for everyone signed in; the district report for its admin -
    "GET /transcript": (at("/transcript", SIGNED_IN),),
    "GET /transcript.csv": (at("/transcript.csv", SIGNED_IN),),
    "GET /transcript.pdf": (at("/transcript.pdf", SIGNED_IN),),
    "GET /transcript/districts/<slug>/credit-hours": (
        at("/transcript/districts/{issuer}/credit-hours", {"admin"}),
    ),
    "GET /transcript/districts/<slug>/credit-hours.csv": (
        at(
            "/transcript/districts/{issuer}/credit-hours.csv?from=2025-07-01&to=2026-06-30",
            {"admin"},
        ),
    ),
    # --- coach: the cohort's coach and its district's admin ---------------------------
    "GET /coach/cohorts": (at("/coach/cohorts", COACH_PAGES),),
    "POST /coach/cohorts": (at("/coach/cohorts", COACH_PAGES),),
    "GET /coach/cohorts/<int:cohort_id>": (at("/coach/cohorts/{cohort}", COHORT_RUNNERS),),
    "GET /coach/cohorts/<int:cohort_id>/members": (
        at("/coach/cohorts/{cohort}/members", COHORT_RUNNERS),
    ),
    "POST /coach/cohorts/<int:cohort_id>/members": (
        at("/coach/cohorts/{cohort}/members", COHORT_RUNNERS),
    ),
    "POST /coach/cohorts/<int:cohort_id>/members/<int:user_id>/remove": (
        at("/coach/cohorts/{cohort}/members/{extra_member}/remove", COHORT_RUNNERS),
    ),
    "GET /coach/cohorts/<int:cohort_id>/nudge-message": (
        at("/coach/cohorts/{cohort}/nudge-message", COHORT_RUNNERS),
    ),
    "GET /coach/cohorts/<int:cohort_id>/members/<int:user_id>/nudges": (
        at("/coach/cohorts/{cohort}/members/{cohort_member}/nudges", COHORT_RUNNERS),
    ),
    "POST /coach/cohorts/<int:cohort_id>/nudges": (
        at("/coach/cohorts/{cohort}/nudges", COHORT_RUNNERS),
    ),
    "GET /coach/my-cohorts": (at("/coach/my-cohorts", SIGNED_IN),),
    "POST /coach/my-cohorts/<int:cohort_id>/<any(accept, leave):answer>": (
        at("/coach/my-cohorts/{cohort}/accept", OWNER),
        at("/coach/my-cohorts/{invited_cohort}/leave", OWNER),
    ),
    "GET /coach/join/<code>": (at("/coach/join/{cohort_code}", SIGNED_IN),),
    "POST /coach/join/<code>": (at("/coach/join/{cohort_code}", SIGNED_IN),),
    # --- notices, push, game: one's own -----------------------------------------------
    "GET /inbox": (at("/inbox", SIGNED_IN),),
    "POST /inbox/<int:notice_id>/open": (at("/inbox/{notice}/open", OWNER),),
    "POST /inbox/read-all": (at("/inbox/read-all", SIGNED_IN),),
    "GET /notifications/settings": (at("/notifications/settings", SIGNED_IN),),
    "GET /push/key": (at("/push/key", EVERYONE),),
    "POST /push/subscriptions": (at("/push/subscriptions", SIGNED_IN, json={}),),
    "GET /push/subscriptions/<int:subscription_id>/delete": (
        at("/push/subscriptions/{subscription}/delete", OWNER),
    ),
    "POST /push/subscriptions/<int:subscription_id>/delete": (
        at("/push/subscriptions/{subscription}/delete", OWNER),
    ),
    "POST /push/test": (at("/push/test", SIGNED_IN),),
    # The service worker has no page to read a token from; it must name the old endpoint.
    "POST /push/resubscribe": (at("/push/resubscribe", EVERYONE, json={}, csrf_exempt=True),),
    "GET /me": (at("/me", SIGNED_IN),),
    # --- admin: each district's admin, for their own district only ---------------------
    "GET /admin/analytics": (at("/admin/analytics", ADMINS),),
    "POST /admin/analytics/refresh": (at("/admin/analytics/refresh", ADMINS),),
    "GET /admin/analytics/<table>.csv": (
        at("/admin/analytics/credentials.csv", ADMINS),
        at("/admin/analytics/cohorts.csv?period=school-year", ADMINS),
    ),
    "GET /admin": (at("/admin", ADMINS),),
    # Roster import: an upload without a file is a 422 for an admin; a preview (and its
    # import) belongs to the admin who uploaded it; the links CSV is 410 when none is kept.
    "GET /admin/roster": (at("/admin/roster", ADMINS),),
    "POST /admin/roster": (at("/admin/roster", ADMINS),),
    "GET /admin/roster/<token>": (at("/admin/roster/{roster_token}", {"admin"}),),
    "POST /admin/roster/<token>/import": (at("/admin/roster/{roster_token}/import", {"admin"}),),
    "GET /admin/roster/links.csv": (at("/admin/roster/links.csv", ADMINS),),
    # People: only those of the admin's own district (a far admin finds nobody).
    "GET /admin/people": (at("/admin/people", ADMINS),),
    "GET /admin/people/<int:user_id>/deactivate": (
        at("/admin/people/{roster_person}/deactivate", {"admin"}),
    ),
    "POST /admin/people/<int:user_id>/deactivate": (
        at("/admin/people/{roster_person}/deactivate", {"admin"}),
    ),
    "POST /admin/people/<int:user_id>/reactivate": (
        at("/admin/people/{roster_person}/reactivate", {"admin"}),
    ),
    "POST /admin/people/<int:user_id>/device-link": (
        at("/admin/people/{roster_person}/device-link", {"admin"}),
    ),
    "GET /admin/people/device-link": (at("/admin/people/device-link", ADMINS),),
    "POST /admin/submissions/<int:submission_id>/release": (
        at("/admin/submissions/{lapsed_claim}/release", {"admin"}),
    ),
    # Reassigning a claim: the home admin's only; the empty form is a 422 ("Choose the
    # assessor"), so nothing moves.
    "GET /admin/submissions/<int:submission_id>/reassign": (
        at("/admin/submissions/{lapsed_claim}/reassign", HOME_ADMIN),
    ),
    "POST /admin/submissions/<int:submission_id>/reassign": (
        at("/admin/submissions/{lapsed_claim}/reassign", HOME_ADMIN),
    ),
    # Calibration anchors and the agreement report: the district's own (a far admin finds
    # neither the owner's decided attempt nor the home anchor); an empty mark form is a 422.
    "GET /admin/calibration": (at("/admin/calibration", ADMINS),),
    "GET /admin/calibration/submissions/<int:submission_id>/anchor": (
        at("/admin/calibration/submissions/{not_yet}/anchor", HOME_ADMIN),
    ),
    "POST /admin/calibration/submissions/<int:submission_id>/anchor": (
        at("/admin/calibration/submissions/{not_yet}/anchor", HOME_ADMIN),
    ),
    "POST /admin/calibration/anchors/<int:anchor_id>/retire": (
        at("/admin/calibration/anchors/{anchor}/retire", HOME_ADMIN),
    ),
    "GET /admin/agreement": (at("/admin/agreement", ADMINS),),
    "GET /admin/agreement.csv": (at("/admin/agreement.csv", ADMINS),),
    "GET /admin/settings": (at("/admin/settings", ADMINS),),
    # The empty form is refused field by field (422): nothing is saved.
    "POST /admin/settings": (at("/admin/settings", ADMINS),),
    "POST /admin/settings/recompute-totals": (at("/admin/settings/recompute-totals", ADMINS),),
    "GET /admin/roles": (at("/admin/roles?q=a", ADMINS),),
    "GET /admin/people/<int:user_id>/roles": (at("/admin/people/{role_target}/roles", {"admin"}),),
    "POST /admin/people/<int:user_id>/roles": (
        at("/admin/people/{role_target}/roles", {"admin"}, form={"roles": "coach"}),
    ),
    # authoring: any admin has their own library; a district's stacks are its admins' alone
    # (empty forms are refused with 422, an empty status change with 409: nothing changes)
    "GET /admin/authoring": (at("/admin/authoring", ADMINS),),
    "GET /admin/authoring/stacks/new": (at("/admin/authoring/stacks/new", ADMINS),),
    "POST /admin/authoring/stacks/new": (at("/admin/authoring/stacks/new", ADMINS),),
    "POST /admin/authoring/import": (at("/admin/authoring/import", ADMINS),),
    "GET /admin/authoring/stacks/<int:stack_id>": (
        at("/admin/authoring/stacks/{authored_stack}", HOME_ADMIN),
    ),
    "POST /admin/authoring/stacks/<int:stack_id>": (
        at("/admin/authoring/stacks/{authored_stack}", HOME_ADMIN),
    ),
    "GET /admin/authoring/stacks/<int:stack_id>/export.json": (
        at("/admin/authoring/stacks/{authored_stack}/export.json", HOME_ADMIN),
    ),
    "GET /admin/authoring/stacks/<int:stack_id>/credentials/new": (
        at("/admin/authoring/stacks/{authored_stack}/credentials/new", HOME_ADMIN),
    ),
    "POST /admin/authoring/stacks/<int:stack_id>/credentials/new": (
        at("/admin/authoring/stacks/{authored_stack}/credentials/new", HOME_ADMIN),
    ),
    "GET /admin/authoring/credentials/<int:credential_id>": (
        at("/admin/authoring/credentials/{draft}", HOME_ADMIN),
    ),
    "POST /admin/authoring/credentials/<int:credential_id>": (
        at("/admin/authoring/credentials/{draft}", HOME_ADMIN),
    ),
    "POST /admin/authoring/credentials/<int:credential_id>/status": (
        at("/admin/authoring/credentials/{draft}/status", HOME_ADMIN),
    ),
    "GET /admin/authoring/credentials/<int:credential_id>/preview": (
        at("/admin/authoring/credentials/{draft}/preview", HOME_ADMIN),
    ),
    "GET /admin/authoring/credentials/<int:credential_id>/history": (
        at("/admin/authoring/credentials/{draft}/history", HOME_ADMIN),
    ),
    "POST /me/visibility": (at("/me/visibility", SIGNED_IN),),
    "GET /leaderboards": (at("/leaderboards", SIGNED_IN),),
    "GET /leaderboards/export.csv": (at("/leaderboards/export.csv", COACH_PAGES),),
}
