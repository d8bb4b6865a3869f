import { attrs, html, SafeHtml } from './html';

/**
 * A message about the whole page. `error` (a refused login, a form that failed) is `role="alert"`, read out
 * at once; `notice` (a mail was sent, a change was saved) and `success` are `role="status"`, read out when
 * the reader is idle.
 */
export function alert(
  message: string | SafeHtml,
  kind: 'error' | 'notice' | 'success' = 'error',
): SafeHtml {
  return html`<p class="${kind}" role="${kind === 'error' ? 'alert' : 'status'}">${message}</p>`;
}

/** The page's `<h1>` and an optional line under it. */
export function pageHeading(title: string, lead?: string | SafeHtml): SafeHtml {
  return html`<h1>${title}</h1>
    ${lead ? html`<p class="lead">${lead}</p>` : ''}`;
}

/**
 * A section of a page on its own panel, titled by an `<h2>` that also names it for screen readers
 * (`aria-labelledby`): the settings page's Password, Email and Sessions are one card each. `id` makes the
 * title's id (`<id>-title`) and lets a link point at the card (`/account#change-password`); it must not be
 * the id of a field inside (`field` uses the field's name).
 */
export function card(options: { title?: string; id?: string }, body: SafeHtml): SafeHtml {
  const titleId = options.title && options.id ? `${options.id}-title` : undefined;
  return html`<section${attrs({ class: 'card', id: options.id, 'aria-labelledby': titleId })}>
    ${options.title ? html`<h2${attrs({ id: titleId })}>${options.title}</h2>` : ''} ${body}
  </section>`;
}

/** Buttons and links side by side, wrapping on a phone. */
export function actions(...items: SafeHtml[]): SafeHtml {
  return html`<div class="actions">${items}</div>`;
}
