/** Only same-site paths: an open redirect after sign-in is a phishing gift. */
export function safeCallbackUrl(value: string | undefined | null, fallback = "/workspace"): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  return value;
}
