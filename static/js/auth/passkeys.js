// Passkey ceremonies for every element marked data-passkey="sign-in | sign-up | add".
// The server keeps each challenge and checks every answer; this module carries the
// options to the browser's WebAuthn API and the answer back, and explains what happened.
import { csrfToken } from "../lib/csrf.js";

const MESSAGES = {
  unsupported:
    "This browser can't use passkeys. Please update it, or try a recent Chrome, Safari, " +
    "Edge or Firefox. You can also sign in with a recovery code.",
  cancelled:
    "The passkey request was cancelled or timed out, or your device couldn't confirm " +
    "it's you. Nothing was changed. Please try again.",
  exists: "This device already has a passkey for this account. Sign in with it instead.",
  insecure:
    "Passkeys only work on Chalkmark's own web address. Open Chalkmark from its usual " +
    "link and try again.",
  offline: "Couldn't reach Chalkmark. Check your connection and try again.",
  stale: "This page was out of date. Reload the page and try again.",
  busy: "Too many tries from here. Please wait a minute, then try again.",
  generic: "Something went wrong, so nothing was changed. Please try again.",
};
const WAITING = "Waiting for your passkey…";
const CHECKING = "Checking your passkey…";
const DONE = "Done. Opening Chalkmark…";

class ProblemShown extends Error {
  constructor(message, field = null) {
    super(message);
    this.field = field;
  }
}

async function postJSON(url, body) {
  let response;
  try {
    response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": csrfToken(),
      },
      body: JSON.stringify(body),
    });
  } catch {
    throw new ProblemShown(MESSAGES.offline);
  }
  const data = await response.json().catch(() => null);
  if (response.ok && data) return data;
  if (data?.error) throw new ProblemShown(data.error.message, data.error.field ?? null);
  if (response.status === 400) throw new ProblemShown(MESSAGES.stale);
  if (response.status === 429) throw new ProblemShown(MESSAGES.busy);
  throw new ProblemShown(MESSAGES.generic);
}

// --- JSON <-> WebAuthn objects: the browser's own helpers, or a small fallback -----

function fromBase64url(text) {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "===".slice((base64.length + 3) % 4));
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0)).buffer;
}

function toBase64url(buffer) {
  let binary = "";
  for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

const withBinaryIds = (list) => (list ?? []).map((c) => ({ ...c, id: fromBase64url(c.id) }));

// The browser's own parsers where it has them; otherwise decode the binary fields here.
const decoded = (json, binaryFields) => ({ ...json, challenge: fromBase64url(json.challenge), ...binaryFields });

function creationOptions(json) {
  return PublicKeyCredential.parseCreationOptionsFromJSON?.(json) ?? decoded(json, {
    user: { ...json.user, id: fromBase64url(json.user.id) },
    excludeCredentials: withBinaryIds(json.excludeCredentials),
  });
}

function requestOptions(json) {
  return PublicKeyCredential.parseRequestOptionsFromJSON?.(json)
    ?? decoded(json, { allowCredentials: withBinaryIds(json.allowCredentials) });
}

function credentialJSON(credential) {
  if (typeof credential.toJSON === "function") return credential.toJSON();
  const answer = credential.response;
  const response = { clientDataJSON: toBase64url(answer.clientDataJSON) };
  if (answer.attestationObject) {
    response.attestationObject = toBase64url(answer.attestationObject);
    response.transports = answer.getTransports?.() ?? [];
  } else {
    response.authenticatorData = toBase64url(answer.authenticatorData);
    response.signature = toBase64url(answer.signature);
    if (answer.userHandle) response.userHandle = toBase64url(answer.userHandle);
  }
  return {
    id: credential.id,
    rawId: toBase64url(credential.rawId),
    type: credential.type,
    authenticatorAttachment: credential.authenticatorAttachment ?? undefined,
    clientExtensionResults: credential.getClientExtensionResults?.() ?? {},
    response,
  };
}

function browserProblem(error) {
  switch (error?.name) {
    case "NotAllowedError":
    case "AbortError":
      return MESSAGES.cancelled;
    case "InvalidStateError":
      return MESSAGES.exists;
    case "SecurityError":
      return MESSAGES.insecure;
    case "NotSupportedError":
      return MESSAGES.unsupported;
    default:
      return MESSAGES.generic;
  }
}

// --- the page side ----------------------------------------------------------------

function makeView(root) {
  const button = root.querySelector("[data-passkey-start]");
  const status = root.querySelector("[data-passkey-status]");
  const alertBox = root.querySelector("[data-passkey-error]");
  const label = button.textContent;
  return {
    button,
    busy(text) {
      button.disabled = true;
      button.textContent = text;
      status.textContent = text;
      alertBox.replaceChildren();
    },
    idle() {
      button.disabled = false;
      button.textContent = label;
      status.textContent = "";
    },
    problem(message) {
      const paragraph = document.createElement("p");
      paragraph.className = "notice notice-error";
      paragraph.textContent = message;
      alertBox.replaceChildren(paragraph);
    },
  };
}

function formFields(form) {
  const data = new FormData(form);
  return {
    display_name: data.get("display_name") ?? "",
    email: data.get("email") ?? "",
    timezone: data.get("timezone") ?? "",
  };
}

function clearFieldErrors(form) {
  for (const box of form.querySelectorAll("[data-field-error]")) {
    box.textContent = "";
    form.querySelector(`#${box.dataset.fieldError}`)?.removeAttribute("aria-invalid");
  }
}

function showFieldError(form, field, message) {
  const box = form.querySelector(`[data-field-error="${field}"]`);
  const input = form.querySelector(`#${field}`);
  if (!box || !input) return false;
  box.textContent = message;
  input.setAttribute("aria-invalid", "true");
  input.focus();
  return true;
}

async function ceremony(root, view) {
  const kind = root.dataset.passkey;
  const body = kind === "sign-up" ? formFields(root) : {};
  const options = await postJSON(root.dataset.optionsUrl, body);
  view.busy(WAITING);
  let credential;
  try {
    credential =
      kind === "sign-in"
        ? await navigator.credentials.get({ publicKey: requestOptions(options.publicKey) })
        : await navigator.credentials.create({ publicKey: creationOptions(options.publicKey) });
  } catch (error) {
    throw new ProblemShown(browserProblem(error));
  }
  if (!credential) throw new ProblemShown(MESSAGES.cancelled);
  view.busy(CHECKING);
  const result = await postJSON(root.dataset.verifyUrl, {
    challengeId: options.challengeId,
    credential: credentialJSON(credential),
    next: root.dataset.next ?? "",
  });
  view.busy(DONE);
  location.assign(result.redirect);
}

function setUp(root) {
  const view = makeView(root);
  if (!window.PublicKeyCredential || !navigator.credentials) {
    view.problem(MESSAGES.unsupported);
    view.button.disabled = true;
    return;
  }
  const start = async (event) => {
    event.preventDefault();
    if (view.button.disabled) return;
    if (root.tagName === "FORM") clearFieldErrors(root);
    view.busy(WAITING);
    try {
      await ceremony(root, view);
    } catch (error) {
      view.idle();
      const message = error instanceof ProblemShown ? error.message : MESSAGES.generic;
      const field = error instanceof ProblemShown ? error.field : null;
      if (!(field && root.tagName === "FORM" && showFieldError(root, field, message))) {
        view.problem(message);
      }
    }
  };
  if (root.tagName === "FORM") root.addEventListener("submit", start);
  else view.button.addEventListener("click", start);
}

document.querySelectorAll("[data-passkey]").forEach(setUp);
