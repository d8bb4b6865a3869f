import { attrs, AttributeValue, html, SafeHtml } from './html';

/**
 * A form that posts to `action` with the session's CSRF token in `_csrf`, which `CsrfGuard` requires of
 * every form post (403 without it). `className` styles it: `stack` (fields one under another, the
 * default), `row` (a field and its button side by side, wrapping on a phone) or `inline` (a lone button).
 */
export function postForm(
  action: string,
  csrf: string,
  body: SafeHtml,
  className: 'stack' | 'row' | 'inline' = 'stack',
): SafeHtml {
  return html`<form class="${className}" method="post" action="${action}">
    <input type="hidden" name="_csrf" value="${csrf}" />
    ${body}
  </form>`;
}

/** A value the form sends back unseen, e.g. `next` after a login. */
export function hiddenField(name: string, value: string): SafeHtml {
  return html`<input type="hidden" name="${name}" value="${value}" />`;
}

export interface FieldOptions {
  /** The name the form sends; also the input's `id` unless `id` is given. */
  name: string;
  label: string;
  /** `text` by default. */
  type?: 'text' | 'email' | 'password' | 'search' | 'tel' | 'url' | 'number';
  value?: string;
  /** Give one when two fields of a page share a `name` (two forms that both ask for `password`). */
  id?: string;
  /** A line under the input, read out with it (`aria-describedby`). */
  hint?: string;
  /** This field's own error: shown under it, read out with it, and the input is marked `aria-invalid`. */
  error?: string;
  /** Any other attribute of the input: `required` is on unless `required: false`. */
  attributes?: Record<string, AttributeValue>;
}

/** A labelled input: the `<label for>` names it for screen readers and a tap on it focuses the input. */
export function field(options: FieldOptions): SafeHtml {
  const id = options.id ?? options.name;
  const hintId = options.hint ? `${id}-hint` : undefined;
  const errorId = options.error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  const input = attrs({
    id,
    type: options.type ?? 'text',
    name: options.name,
    value: options.value,
    required: true,
    'aria-describedby': describedBy,
    'aria-invalid': options.error ? 'true' : undefined,
    ...options.attributes,
  });
  return html`<div class="field">
    <label for="${id}">${options.label}</label>
    <input${input} />
    ${hintId ? html`<p class="hint" id="${hintId}">${options.hint}</p>` : ''}
    ${errorId ? html`<p class="field-error" id="${errorId}">${options.error}</p>` : ''}
  </div>`;
}

/** A checkbox with its label beside it; it sends `value` (`true` by default) when ticked. */
export function checkbox(options: {
  name: string;
  label: string;
  value?: string;
  checked?: boolean;
  id?: string;
}): SafeHtml {
  const id = options.id ?? options.name;
  return html`<div class="field check">
    <input${attrs({ id, type: 'checkbox', name: options.name, value: options.value ?? 'true', checked: options.checked })} />
    <label for="${id}">${options.label}</label>
  </div>`;
}

/**
 * `primary` for the one action a form is for, `secondary` for the others, `danger` for one that ends or
 * removes something. `block` spans the column (the one button of a narrow form).
 */
export type ButtonVariant = 'primary' | 'secondary' | 'danger';

function buttonClass(variant: ButtonVariant, block?: boolean): string {
  return ['button', variant === 'primary' ? '' : variant, block ? 'block' : '']
    .filter(Boolean)
    .join(' ');
}

/** A submit button. */
export function button(
  text: string,
  options: { variant?: ButtonVariant; block?: boolean; name?: string; value?: string } = {},
): SafeHtml {
  const { variant = 'primary', block, name, value } = options;
  return html`<button${attrs({ type: 'submit', class: buttonClass(variant, block), name, value })}>
    ${text}
  </button>`;
}

/** A link that looks like a button: for an action that is a page, not a post. */
export function linkButton(
  text: string,
  href: string,
  variant: ButtonVariant = 'primary',
): SafeHtml {
  return html`<a class="${buttonClass(variant)}" href="${href}">${text}</a>`;
}
