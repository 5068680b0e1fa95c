/**
 * The `objective.command` of a space file: a string split like a POSIX shell splits words (quotes
 * and backslashes, no expansion, no pipes), and the `{name}` placeholders in its arguments. Kept
 * here so that a bad command is refused when the space is read, not at the first trial.
 */

/** Words of a command line: 'single' and "double" quotes group, backslash escapes; nothing is expanded. */
export function splitCommand(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) word += text[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\') {
      if (i + 1 >= text.length) throw new Error('a command cannot end with a backslash');
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new Error(`unclosed ${quote} quote in ${JSON.stringify(text)}`);
  if (inWord) words.push(word);
  return words;
}

/** Placeholders a command may use beside the parameter names. */
export const COMMAND_PLACEHOLDERS = ['trial', 'seed', 'workdir'] as const;

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** The `{name}` placeholders of one argument, in order. */
export function placeholders(arg: string): string[] {
  return [...arg.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** Replace each `{name}` with `values[name]`; a name without a value stays as written. */
export function substitute(arg: string, values: Readonly<Record<string, unknown>>): string {
  return arg.replace(PLACEHOLDER, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
