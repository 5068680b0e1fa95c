/** HTML/XML text and attribute escaping: the report embeds user-controlled names, notes and errors. */
export function esc(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
