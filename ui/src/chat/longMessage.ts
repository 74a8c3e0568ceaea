// A chat message can be any length the service passes on (a 60,000-character comment was a 36,048 px
// row): a long one is folded to its start, with "Show more".

/** Characters of a chat message shown before "Show more". */
export const CLAMP_CHARS = 600;
/** Lines of a chat message shown before "Show more" (a message of many short lines). */
export const CLAMP_LINES = 6;

/** Whether `message` is long enough to be folded behind "Show more". */
export function isLong(message: string): boolean {
  if (message.length > CLAMP_CHARS) return true;
  let lines = 1;
  for (let at = message.indexOf("\n"); at >= 0; at = message.indexOf("\n", at + 1)) {
    lines += 1;
    if (lines > CLAMP_LINES) return true;
  }
  return false;
}

/** The start of a long message, never cut inside a surrogate pair. */
export function clamp(message: string): string {
  let end = Math.min(message.length, CLAMP_CHARS);
  const code = message.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return message.slice(0, end);
}
