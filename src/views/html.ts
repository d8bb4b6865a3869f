import escapeHtml from 'escape-html';

/** Markup that is already safe: produced by the `html` tag, never from user input. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/**
 * Tagged template that escapes every interpolated value (an item named `<script>` shows as text), except
 * `SafeHtml` from a nested `html` call; arrays are joined. Plain template literals, no engine: the pages
 * are few and small.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0];
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1];
  });
  return new SafeHtml(out);
}

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  if (typeof value === 'string') return escapeHtml(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new TypeError('html: interpolate strings, numbers or html`` only');
}

/** Values `attrs` renders: `true` gives a bare boolean attribute; `false`, `null` and `undefined` leave it out. */
export type AttributeValue = string | number | boolean | null | undefined;

/**
 * Attributes from an object, each value escaped: `attrs({ name: 'email', required: true, hint: undefined })`
 * gives ` name="email" required`. The names come from the code, never from input; they are not escaped.
 */
export function attrs(attributes: Record<string, AttributeValue>): SafeHtml {
  let out = '';
  for (const [name, value] of Object.entries(attributes)) {
    if (value === true) out += ` ${name}`;
    else if (value !== false && value != null) out += ` ${name}="${escapeHtml(String(value))}"`;
  }
  return new SafeHtml(out);
}
