// Where to go after signing in (or out): only a path on this site — an open
// redirect after sign-in is a phishing gift. Browsers drop tabs and newlines
// from URLs and read `\` as `/`, so `/%09/evil.example` arrives as `/\t/evil.example`
// and becomes `//evil.example`, another host; a newline also breaks the
// Location header. The value is decoded until it stops changing (encoded forms
// such as %2f%2f and %5c included) and refused when any form of it carries a
// control character or a backslash, or when the URL it resolves to leaves the origin.

const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\\]/;
// Any origin: only whether the value resolves to the same one matters.
const PROBE_ORIGIN = "http://agora.invalid";

function decodedForms(value: string): string[] {
  const forms = [value];
  for (let i = 0; i < 5; i++) {
    let next: string;
    try {
      next = decodeURIComponent(forms[forms.length - 1]!);
    } catch {
      break; // a stray `%` is no encoding: nothing more to decode
    }
    if (next === forms[forms.length - 1]) break;
    forms.push(next);
  }
  return forms;
}

/**
 * A same-origin path (`/keys?x=1`) from a callback URL, or `fallback`. `origin`,
 * when given, also accepts absolute URLs on it (next-auth's redirect callback
 * passes those); the result is always a path.
 */
export function safeCallbackUrl(value: string | undefined | null, fallback = "/workspace", origin = PROBE_ORIGIN): string {
  if (!value) return fallback;
  const base = new URL(origin);
  const relative = value.startsWith(`${base.origin}/`) ? value.slice(base.origin.length) : value;
  for (const form of decodedForms(relative)) {
    if (!form.startsWith("/") || form.startsWith("//") || FORBIDDEN.test(form)) return fallback;
  }
  let url: URL;
  try {
    url = new URL(relative, base);
  } catch {
    return fallback;
  }
  const path = `${url.pathname}${url.search}${url.hash}`;
  // `/.//evil.example` normalises to `//evil.example`: check what the browser would get, too.
  return url.origin === base.origin && !path.startsWith("//") ? path : fallback;
}
