/**
 * Server-rendered pages without a template engine: `html` escapes what it interpolates, `layout` wraps a
 * page in the app's header and stylesheet, and the helpers build its parts. docs/pages.md shows how.
 */
export { attrs, html, SafeHtml } from './html';
export { APP_NAME, layout } from './layout';
export type { LayoutOptions, PageUser } from './layout';
export { button, checkbox, field, hiddenField, linkButton, postForm } from './forms';
export type { ButtonVariant, FieldOptions } from './forms';
export { actions, alert, card, pageHeading } from './components';
export { cartPage, dashboardPage, errorPage, homePage, loginPage } from './pages';
