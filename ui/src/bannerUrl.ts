// One rule for banner addresses, used at go-live and while live.

/** Why a banner URL will be refused, or null: https, or http on this computer (the sandbox). */
export function bannerProblem(url: string): string | null {
  const value = url.trim();
  if (value === "") return null;
  try {
    const parsed = new URL(value);
    const loopback = parsed.hostname === "127.0.0.1" || parsed.hostname === "localhost";
    if (parsed.protocol === "https:" || (parsed.protocol === "http:" && loopback)) return null;
    return "Use an https:// address.";
  } catch {
    return "This is not a web address.";
  }
}
